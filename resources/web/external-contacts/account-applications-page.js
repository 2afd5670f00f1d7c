// Back office 账号安全 / 外部账号开通申请 (SPEC R3.6): the org's log of account
// applications, newest first, with filters (status, submitted between two dates,
// applicant, keyword), 加载更多, 同意 / 驳回 on pending rows and 【导出 CSV】.
// Mounted by the shell at #/admin/p/account-applications (docs/WEB.md); the shell
// shows the back office to org admins only.
// Routes: GET /api/plugins/external-contacts/admin/applications[/export],
// POST /applications/{id}/approve|reject, GET /contacts/{id}/account (to refresh a
// row someone else decided), GET /members (the member picker).
import { translator } from './i18n.js';
import { h, clear, loadStylesheet } from './dom.js';
import { memberPicker, memberSearch } from './member-picker.js';
import { sendJson } from './send.js';
import { exportName, fetchCsv, localMidnight, saveCsv } from './export-file.js';

const BASE = '/api/plugins/external-contacts';
const LOG = `${BASE}/admin/applications`;
const PAGE_SIZE = 50;
const Q_MAX = 50;
const REASON_MAX = 500;
const DEBOUNCE_MS = 300;
const STATUSES = ['pending', 'approved', 'rejected'];
// Filters the server may name in a 400 (the others — cursor, limit — are the page's own).
const FILTER_FIELDS = ['status', 'from', 'to', 'applicant', 'q'];

let current = null;

export async function mount(root, ctx) {
	if (current) unmount();
	const page = createPage(root, ctx);
	current = page;
	await page.start();
}

export function unmount() {
	if (!current) return;
	current.destroy();
	current = null;
}

/** Characters as the server counts them (code points) of the trimmed text. */
function textLength(text) {
	return [...String(text || '').trim()].length;
}

function createPage(root, ctx) {
	const tr = translator(ctx.locale);
	const controller = new AbortController();
	const signal = controller.signal;
	let destroyed = false;
	let listToken = 0;
	let cursor = null;
	let applied = null; // the filters the table shows: {status, from, to, applicant, q}
	let applicant = null; // {id, displayName} picked as the applicant filter
	let debounce = null;
	let busy = false; // a decision is being sent
	let rejecting = null; // the application whose reject form is open
	let rows = []; // the applications shown, in order
	const objectUrls = new Set();
	const timers = new Set();

	const errorText = (error, options) => ctx.errorText(error, options);
	const personName = (person) => (person ? person.displayName || tr('al.unknownName', { id: person.id }) : '');
	const formatTime = (ms) => {
		if (typeof ms !== 'number') return '';
		try {
			return new Date(ms).toLocaleString(ctx.locale);
		} catch {
			return new Date(ms).toISOString();
		}
	};
	const statusText = (status) => {
		switch (status) {
		case 'pending': return tr('al.status.pending');
		case 'approved': return tr('al.status.approved');
		case 'rejected': return tr('al.status.rejected');
		default: return String(status || '');
		}
	};
	const fieldTexts = () => ({
		status: tr('al.fieldStatus'), from: tr('al.fieldFrom'), to: tr('al.fieldTo'),
		applicant: tr('al.fieldApplicant'), q: tr('al.fieldQ'), reason: tr('al.reasonInvalid'),
	});

	// ---- heading and notices ------------------------------------------------------------
	const title = h('h1', { id: 'al-title', tabindex: '-1' }, tr('al.title'));
	const notice = h('p', { id: 'al-notice', class: 'ec-notice al-notice', role: 'status', 'aria-live': 'polite' });
	const alert = h('p', { id: 'al-alert', class: 'ec-form-error al-alert', role: 'alert' });

	function say(text, { error = false } = {}) {
		notice.textContent = error ? '' : text || '';
		alert.textContent = error ? text || '' : '';
	}

	// ---- filters ------------------------------------------------------------------------
	const fieldError = (name) => h('p', { id: `al-${name}-error`, class: 'ec-field-error' });
	const errors = { status: fieldError('status'), from: fieldError('from'), to: fieldError('to'), q: fieldError('q') };

	const statusSelect = h('select', { id: 'al-status', name: 'status', class: 'ec-select', 'aria-describedby': 'al-status-error' },
		h('option', { value: '' }, tr('al.statusAll')),
		STATUSES.map((status) => h('option', { value: status }, statusText(status))));
	const fromInput = h('input', { id: 'al-from', name: 'from', type: 'date', class: 'ec-input', 'aria-describedby': 'al-from-error' });
	const toInput = h('input', { id: 'al-to', name: 'to', type: 'date', class: 'ec-input', 'aria-describedby': 'al-to-hint al-to-error' });
	const qInput = h('input', {
		id: 'al-q', name: 'q', type: 'search', class: 'ec-input', maxlength: String(Q_MAX), autocomplete: 'off',
		placeholder: tr('al.keywordPlaceholder'), 'aria-describedby': 'al-q-hint al-q-error',
	});
	const inputs = { status: statusSelect, from: fromInput, to: toInput, q: qInput };

	const picker = memberPicker(tr, 'al-applicant', {
		label: tr('al.applicant'),
		search: memberSearch(ctx),
		errorText: (error) => errorText(error),
		chosen: () => [],
		onAdd(member) {
			setApplicant({ id: member.id, displayName: member.displayName });
			schedule(0);
			return true;
		},
	});
	const applicantBox = h('div', { id: 'al-applicant-chosen', class: 'al-chosen' });

	function setApplicant(member) {
		applicant = member;
		picker.setError('');
		clear(applicantBox);
		if (!member) {
			applicantBox.append(h('span', { class: 'ec-muted' }, tr('al.applicantAll')));
			return;
		}
		const name = personName(member);
		applicantBox.append(
			h('span', { class: 'ec-chip al-chosen-name', dataset: { id: String(member.id) } }, tr('al.applicantChosen', { name })),
			h('button', {
				type: 'button', id: 'al-applicant-clear', class: 'ec-button ec-button-small', 'aria-label': tr('al.applicantClearLabel', { name }),
				onClick: () => {
					setApplicant(null);
					picker.input.focus();
					schedule(0);
				},
			}, tr('al.applicantClear')));
	}

	function setFieldError(name, text) {
		if (name === 'applicant') {
			picker.setError(text || '');
			return;
		}
		const error = errors[name];
		const input = inputs[name];
		if (!error || !input) return;
		error.textContent = text || '';
		if (text) input.setAttribute('aria-invalid', 'true');
		else input.removeAttribute('aria-invalid');
	}

	function clearFieldErrors() {
		for (const name of FILTER_FIELDS) setFieldError(name, '');
	}

	/** The filters as the form states them, or null (errors shown) when one is wrong. */
	function readFilters({ focus = false } = {}) {
		clearFieldErrors();
		const filters = { status: statusSelect.value, from: null, to: null, applicant: applicant ? applicant.id : null, q: qInput.value.trim() };
		let bad = null;
		if (fromInput.value) {
			filters.from = localMidnight(fromInput.value);
			if (filters.from === null) {
				setFieldError('from', tr('al.fieldFrom'));
				bad = bad || fromInput;
			}
		} else if (fromInput.validity && fromInput.validity.badInput) {
			setFieldError('from', tr('al.fieldFrom'));
			bad = bad || fromInput;
		}
		if (toInput.value) {
			filters.to = localMidnight(toInput.value, 1); // to is exclusive: the day after the end date
			if (filters.to === null) {
				setFieldError('to', tr('al.fieldTo'));
				bad = bad || toInput;
			} else if (filters.from !== null && filters.to <= filters.from) {
				setFieldError('to', tr('al.toBeforeFrom'));
				bad = bad || toInput;
			}
		} else if (toInput.validity && toInput.validity.badInput) {
			setFieldError('to', tr('al.fieldTo'));
			bad = bad || toInput;
		}
		if (textLength(filters.q) > Q_MAX) {
			setFieldError('q', tr('al.fieldQ'));
			bad = bad || qInput;
		}
		if (bad) {
			if (focus) bad.focus();
			return null;
		}
		return filters;
	}

	function query(filters, extra = {}) {
		const params = new URLSearchParams();
		if (filters.status) params.set('status', filters.status);
		if (filters.from !== null) params.set('from', String(filters.from));
		if (filters.to !== null) params.set('to', String(filters.to));
		if (filters.applicant !== null) params.set('applicant', String(filters.applicant));
		if (filters.q) params.set('q', filters.q);
		for (const [key, value] of Object.entries(extra)) params.set(key, value);
		return params.toString();
	}

	const sameFilters = (a, b) => !!a && !!b && query(a) === query(b);
	const filtered = (filters) => !!filters && query(filters) !== '';

	/** Applies the form's filters after `delay` ms (0: now); nothing happens while they are wrong. */
	function schedule(delay = DEBOUNCE_MS) {
		clearTimeout(debounce);
		timers.delete(debounce);
		debounce = null;
		const run = () => {
			debounce = null;
			const filters = readFilters();
			if (!filters) return;
			if (sameFilters(filters, applied)) return;
			applied = filters;
			load();
		};
		if (delay <= 0) run();
		else {
			debounce = setTimeout(() => {
				timers.delete(debounce);
				run();
			}, delay);
			timers.add(debounce);
		}
	}

	statusSelect.addEventListener('change', () => schedule(0));
	fromInput.addEventListener('change', () => schedule());
	toInput.addEventListener('change', () => schedule());
	qInput.addEventListener('input', () => {
		setFieldError('q', '');
		schedule();
	});

	const searchButton = h('button', { type: 'submit', class: 'ec-button ec-button-primary', id: 'al-search' }, tr('al.search'));
	const resetButton = h('button', { type: 'button', class: 'ec-button', id: 'al-reset' }, tr('al.reset'));
	const exportButton = h('button', { type: 'button', class: 'ec-button', id: 'al-export' }, tr('al.export'));

	const filterForm = h('form', { id: 'al-filters', class: 'al-filters', role: 'search', novalidate: true, 'aria-label': tr('al.filters') },
		h('div', { class: 'ec-field al-field' },
			h('label', { for: 'al-status' }, tr('al.status')), statusSelect, errors.status),
		h('fieldset', { class: 'al-field al-period' },
			h('legend', {}, tr('al.period')),
			h('div', { class: 'al-period-inputs' },
				h('div', { class: 'ec-field' }, h('label', { for: 'al-from' }, tr('al.from')), fromInput, errors.from),
				h('div', { class: 'ec-field' }, h('label', { for: 'al-to' }, tr('al.to')), toInput,
					h('p', { id: 'al-to-hint', class: 'ec-visually-hidden' }, tr('al.toHint')), errors.to))),
		h('div', { class: 'ec-field al-field al-keyword' },
			h('label', { for: 'al-q' }, tr('al.keyword')), qInput,
			h('p', { id: 'al-q-hint', class: 'ec-hint' }, tr('al.keywordHint')), errors.q),
		h('div', { class: 'al-field al-applicant' }, picker.element, applicantBox),
		h('div', { class: 'al-filter-actions' }, searchButton, resetButton, exportButton));

	filterForm.addEventListener('submit', (event) => {
		event.preventDefault();
		clearTimeout(debounce);
		timers.delete(debounce);
		debounce = null;
		const filters = readFilters({ focus: true });
		if (!filters) return;
		applied = filters;
		load();
	});

	resetButton.addEventListener('click', () => {
		statusSelect.value = '';
		fromInput.value = '';
		toInput.value = '';
		qInput.value = '';
		picker.reset();
		setApplicant(null);
		say('');
		schedule(0);
		statusSelect.focus();
	});

	// ---- the table --------------------------------------------------------------------------
	const caption = h('caption', { id: 'al-caption', class: 'al-caption' }, tr('al.caption'));
	const tbody = h('tbody');
	const table = h('table', { id: 'al-table', class: 'al-table' },
		caption,
		h('thead', {}, h('tr', {},
			h('th', { scope: 'col' }, tr('al.col.contact')),
			h('th', { scope: 'col' }, tr('al.col.applicant')),
			h('th', { scope: 'col' }, tr('al.col.remark')),
			h('th', { scope: 'col' }, tr('al.col.submittedAt')),
			h('th', { scope: 'col' }, tr('al.col.status')),
			h('th', { scope: 'col' }, tr('al.col.decidedBy')),
			h('th', { scope: 'col' }, tr('al.col.decidedAt')),
			h('th', { scope: 'col' }, tr('al.col.comment')),
			h('th', { scope: 'col' }, h('span', { class: 'ec-visually-hidden' }, tr('al.col.actions'))))),
		tbody);
	const tableWrap = h('div', { class: 'al-table-wrap', role: 'region', tabindex: '0', 'aria-labelledby': 'al-caption' }, table);
	const countStatus = h('p', { id: 'al-count', class: 'al-count', role: 'status', 'aria-live': 'polite' });
	const stateBox = h('div', { class: 'al-state' });
	const moreButton = h('button', { type: 'button', id: 'al-more', class: 'ec-button', hidden: true }, tr('al.more'));
	moreButton.addEventListener('click', () => load({ more: true }));

	const none = () => h('span', { class: 'ec-muted al-none' }, tr('al.none'));
	const timeCell = (ms) => (typeof ms === 'number' ? h('time', { datetime: new Date(ms).toISOString() }, formatTime(ms)) : none());
	const rowId = (application) => `al-row-${application.id}`;

	function statusTag(status) {
		return h('span', { class: `ec-status-tag ec-status-${status}`, dataset: { status } }, statusText(status));
	}

	function renderRow(application) {
		const name = application.contactName || '';
		const pending = application.status === 'pending';
		const actions = h('td', { class: 'al-actions' });
		if (pending) {
			const open = rejecting && String(rejecting.id) === String(application.id);
			actions.append(
				h('button', {
					type: 'button', class: 'ec-button ec-button-small ec-button-primary al-approve', 'aria-label': tr('al.approveLabel', { name }),
					onClick: () => approve(application),
				}, tr('al.approve')),
				' ',
				h('button', {
					type: 'button', class: 'ec-button ec-button-small ec-button-danger al-reject', 'aria-label': tr('al.rejectLabel', { name }),
					'aria-expanded': open ? 'true' : 'false', 'aria-controls': open ? 'al-reject-form' : null,
					onClick: () => startReject(application),
				}, tr('al.reject')));
		}
		const row = h('tr', { id: rowId(application), class: 'al-row', dataset: { id: String(application.id), status: application.status } },
			h('th', { scope: 'row', class: 'al-contact', tabindex: '-1' }, name),
			h('td', { class: 'al-applicant-cell' }, personName(application.applicant) || none()),
			h('td', { class: 'al-remark' }, application.remark ? application.remark : none()),
			h('td', { class: 'al-submitted' }, timeCell(application.submittedAt)),
			h('td', { class: 'al-status' }, statusTag(application.status)),
			h('td', { class: 'al-decider' }, application.decidedBy ? personName(application.decidedBy) : none()),
			h('td', { class: 'al-decided' }, timeCell(application.decidedAt)),
			h('td', { class: 'al-comment' }, application.comment ? application.comment : none()),
			actions);
		return row;
	}

	function renderRows() {
		clear(tbody);
		for (const application of rows) {
			tbody.append(renderRow(application));
			if (rejecting && String(rejecting.id) === String(application.id) && application.status === 'pending') {
				tbody.append(h('tr', { class: 'al-reject-row' }, h('td', { colspan: '9' }, rejectForm(application))));
			}
		}
	}

	function renderCount() {
		countStatus.textContent = rows.length ? tr(cursor ? 'al.countMore' : 'al.count', { count: rows.length }) : '';
	}

	function showLoading() {
		clear(stateBox);
		stateBox.append(h('div', { class: 'ec-loading', role: 'status' }, h('span', { class: 'ec-spinner', 'aria-hidden': 'true' }), tr('al.loading')));
	}

	function showError(error, retry) {
		clear(stateBox);
		const retryButton = h('button', { type: 'button', class: 'ec-button', id: 'al-retry', onClick: retry }, tr('al.retry'));
		stateBox.append(h('div', { class: 'ec-error al-error', role: 'alert' },
			h('p', {}, tr('al.loadError', { message: errorText(error, { fields: fieldTexts() }) })), retryButton));
	}

	function showEmpty() {
		clear(stateBox);
		const narrowed = filtered(applied);
		stateBox.append(h('div', { class: 'ec-empty ec-empty-small al-empty' },
			h('p', { class: 'ec-empty-title' }, tr(narrowed ? 'al.noMatchTitle' : 'al.emptyTitle')),
			h('p', { class: 'ec-empty-hint' }, tr(narrowed ? 'al.noMatchHint' : 'al.emptyHint')),
			narrowed ? h('button', { type: 'button', class: 'ec-button', onClick: () => resetButton.click() }, tr('al.reset')) : null));
	}

	async function load({ more = false } = {}) {
		const token = ++listToken;
		const filters = applied;
		moreButton.disabled = true;
		moreButton.textContent = more ? tr('al.moreLoading') : tr('al.more');
		table.setAttribute('aria-busy', 'true');
		if (!more) {
			rejecting = null;
			showLoading();
			countStatus.textContent = '';
		}
		let page;
		try {
			const extra = { limit: String(PAGE_SIZE) };
			if (more && cursor) extra.cursor = cursor;
			page = await ctx.api('GET', `${LOG}?${query(filters, extra)}`, undefined, { signal });
		} catch (error) {
			if (destroyed || token !== listToken || error.status === 401) return;
			table.removeAttribute('aria-busy');
			moreButton.disabled = false;
			moreButton.textContent = tr('al.more');
			if (error.code === 'validation_failed' && FILTER_FIELDS.includes(error.field)) {
				// A filter the server refused: named next to it; the table is emptied until it is fixed.
				clear(stateBox);
				setFieldError(error.field, errorText(error, { fields: fieldTexts() }));
				say(tr('al.fixFilters'), { error: true });
				if (!more) {
					rows = [];
					cursor = null;
					renderRows();
					tableWrap.hidden = true;
					moreButton.hidden = true;
					renderCount();
				}
				applied = null;
				return;
			}
			if (more) say(tr('al.loadError', { message: errorText(error) }), { error: true });
			else {
				rows = [];
				cursor = null;
				renderRows();
				tableWrap.hidden = true;
				moreButton.hidden = true;
				showError(error, () => load());
			}
			return;
		}
		if (destroyed || token !== listToken) return;
		table.removeAttribute('aria-busy');
		clear(stateBox);
		const items = Array.isArray(page && page.items) ? page.items : [];
		rows = more ? [...rows, ...items] : items;
		cursor = page && page.nextCursor ? page.nextCursor : null;
		renderRows();
		tableWrap.hidden = rows.length === 0;
		moreButton.hidden = !cursor;
		moreButton.disabled = false;
		moreButton.textContent = tr('al.more');
		if (!rows.length) showEmpty();
		renderCount();
		if (more && items.length) focusRow(items[0]);
		else if (more && !cursor) title.focus();
	}

	function focusRow(application) {
		const row = document.getElementById(rowId(application));
		const cell = row && row.querySelector('.al-contact');
		if (cell) cell.focus();
		else title.focus();
	}

	function replaceRow(application) {
		const index = rows.findIndex((row) => String(row.id) === String(application.id));
		if (index < 0) return;
		rows[index] = { ...rows[index], ...application, contactName: application.contactName || rows[index].contactName };
		renderRows();
	}

	// ---- 同意 / 驳回 ---------------------------------------------------------------------------
	function setDeciding(flag) {
		for (const button of tbody.querySelectorAll('.al-actions button, #al-reject-form button')) button.disabled = flag;
	}

	async function decide(application, action, body) {
		if (busy) return null;
		busy = true;
		say('');
		setDeciding(true);
		try {
			const answer = await sendJson(ctx, 'POST', `${BASE}/applications/${encodeURIComponent(application.id)}/${action}`, body);
			return { ok: true, answer };
		} catch (error) {
			return { ok: false, error };
		} finally {
			busy = false;
			if (!destroyed) setDeciding(false);
		}
	}

	/** Someone decided first (409 already_decided): the row is shown as it is now. */
	async function refreshRow(application, error) {
		const body = error.body && typeof error.body === 'object' ? error.body : {};
		const info = body.error && typeof body.error === 'object' ? body.error : {};
		const decidedBy = info.decidedBy || body.decidedBy || null;
		const status = info.status || body.status || null;
		let fresh = null;
		try {
			const account = await ctx.api('GET', `${BASE}/contacts/${encodeURIComponent(application.contactId)}/account`, undefined, { signal });
			const all = [account && account.pendingApplication, ...(account && Array.isArray(account.applications) ? account.applications : [])];
			fresh = all.find((item) => item && String(item.id) === String(application.id)) || null;
		} catch {
			fresh = null;
		}
		if (destroyed) return decidedBy;
		if (fresh) replaceRow(fresh);
		else if (status && STATUSES.includes(status)) replaceRow({ id: application.id, status, decidedBy: decidedBy || application.decidedBy });
		return decidedBy || (fresh && fresh.decidedBy) || null;
	}

	function refusalText(error, decidedBy) {
		switch (error.code) {
		case 'already_decided':
			return decidedBy ? tr('al.alreadyDecided', { name: personName(decidedBy) }) : tr('al.alreadyDecidedAnon');
		case 'account_exists': return tr('al.accountExists');
		default:
			if (error.status === 403) return tr('al.forbidden');
			if (error.status === 404) return tr('al.notFound');
			return errorText(error, { fields: fieldTexts() });
		}
	}

	async function showRefusal(application, error) {
		if (error.code === 'already_decided' || error.code === 'account_exists') {
			rejecting = null;
			const decidedBy = await refreshRow(application, error);
			if (destroyed) return;
			say(refusalText(error, decidedBy), { error: true });
			focusRow(application);
			return;
		}
		say(refusalText(error, null), { error: true });
		focusRow(application);
	}

	async function approve(application) {
		if (rejecting) {
			rejecting = null;
			renderRows();
		}
		const result = await decide(application, 'approve', {});
		if (!result || destroyed) return;
		if (!result.ok) {
			if (result.error.status === 401) return;
			await showRefusal(application, result.error);
			return;
		}
		const answer = result.answer || {};
		if (answer.application) replaceRow(answer.application);
		const login = answer.account && answer.account.login;
		const name = application.contactName || '';
		say(login ? tr('al.approved', { name, login }) : tr('al.approvedNoLogin', { name }));
		focusRow(application);
	}

	function startReject(application) {
		if (busy) return;
		if (rejecting && String(rejecting.id) === String(application.id)) {
			stopReject();
			return;
		}
		rejecting = { id: application.id };
		say('');
		renderRows();
		const input = document.getElementById('al-reject-reason');
		if (input) input.focus();
	}

	function stopReject() {
		if (busy || !rejecting) return;
		const id = rejecting.id;
		rejecting = null;
		renderRows();
		const row = document.getElementById(`al-row-${id}`);
		const button = row && row.querySelector('.al-reject');
		if (button) button.focus();
		else title.focus();
	}

	function rejectForm(application) {
		const name = application.contactName || '';
		const reason = h('textarea', {
			id: 'al-reject-reason', class: 'ec-input', rows: '3',
			'aria-describedby': 'al-reject-count al-reject-reason-error',
		});
		const count = h('p', { id: 'al-reject-count', class: 'ec-hint ec-count' });
		const reasonError = h('p', { id: 'al-reject-reason-error', class: 'ec-field-error' });
		const formError = h('p', { id: 'al-reject-error', class: 'ec-form-error', role: 'alert' });
		const setReasonError = (text) => {
			reasonError.textContent = text || '';
			if (text) reason.setAttribute('aria-invalid', 'true');
			else reason.removeAttribute('aria-invalid');
		};
		const update = () => {
			const used = textLength(reason.value);
			count.textContent = tr('al.reasonCount', { count: used, max: REASON_MAX });
			count.classList.toggle('ec-count-over', used > REASON_MAX);
			if (used <= REASON_MAX && reason.getAttribute('aria-invalid')) {
				setReasonError('');
				formError.textContent = '';
			}
		};
		reason.addEventListener('input', update);
		update();
		const form = h('form', { id: 'al-reject-form', class: 'ec-form ec-reject-form al-reject-form', novalidate: true, 'aria-labelledby': 'al-reject-title' },
			h('p', { id: 'al-reject-title', class: 'ec-reject-title' }, tr('al.rejectTitle', { name })),
			h('div', { class: 'ec-field' }, h('label', { for: 'al-reject-reason' }, tr('al.rejectReason')), reason, count, reasonError),
			formError,
			h('div', { class: 'ec-dialog-actions al-reject-actions' },
				h('button', { type: 'button', class: 'ec-button', id: 'al-reject-cancel', onClick: () => stopReject() }, tr('al.cancel')),
				h('button', { type: 'submit', class: 'ec-button ec-button-danger', id: 'al-reject-confirm' }, tr('al.rejectConfirm'))));
		form.addEventListener('keydown', (event) => {
			if (event.key !== 'Escape') return;
			event.preventDefault();
			event.stopPropagation();
			stopReject();
		});
		form.addEventListener('submit', async (event) => {
			event.preventDefault();
			formError.textContent = '';
			if (textLength(reason.value) > REASON_MAX) {
				setReasonError(tr('al.tooLong', { max: REASON_MAX }));
				formError.textContent = tr('al.fixErrors');
				reason.focus();
				return;
			}
			setReasonError('');
			const result = await decide(application, 'reject', { reason: reason.value.trim() });
			if (!result || destroyed) return;
			if (!result.ok) {
				const error = result.error;
				if (error.status === 401) return;
				if (error.code === 'validation_failed' && error.field === 'reason') {
					setReasonError(errorText(error, { fields: fieldTexts() }));
					formError.textContent = tr('al.fixErrors');
					reason.focus();
					return;
				}
				if (error.code === 'already_decided' || error.code === 'account_exists') {
					await showRefusal(application, error);
					return;
				}
				formError.textContent = refusalText(error, null);
				reason.focus();
				return;
			}
			rejecting = null;
			const answer = result.answer || {};
			if (answer.application) replaceRow(answer.application);
			else renderRows();
			say(tr('al.rejected', { name }));
			focusRow(application);
		});
		return form;
	}

	// ---- 导出 CSV ------------------------------------------------------------------------------
	async function exportCsv() {
		clearTimeout(debounce);
		timers.delete(debounce);
		debounce = null;
		const filters = readFilters({ focus: true });
		if (!filters) return;
		if (!sameFilters(filters, applied)) {
			applied = filters;
			load();
		}
		exportButton.disabled = true;
		exportButton.textContent = tr('al.exporting');
		say('');
		let file;
		try {
			file = await fetchCsv(ctx, `${LOG}/export?${query(filters)}`, signal);
		} catch (error) {
			if (destroyed) return;
			finishExport();
			if (error.status === 401) return;
			if (error.code === 'validation_failed' && FILTER_FIELDS.includes(error.field)) {
				setFieldError(error.field, errorText(error, { fields: fieldTexts() }));
				say(tr('al.fixFilters'), { error: true });
				const input = error.field === 'applicant' ? picker.input : inputs[error.field];
				if (input) input.focus();
				return;
			}
			say(tr('al.exportError', { message: errorText(error) }), { error: true });
			return;
		}
		if (destroyed) return;
		saveCsv(file.blob, exportName('external-account-applications'), tr('al.export'), { urls: objectUrls, timers });
		finishExport();
		say(file.truncated ? tr('al.exportTruncated', { count: file.truncated }) : tr('al.exported'));
	}

	function finishExport() {
		exportButton.disabled = false;
		exportButton.textContent = tr('al.export');
	}

	exportButton.addEventListener('click', () => {
		exportCsv();
	});

	// ---- the page ------------------------------------------------------------------------------
	setApplicant(null);
	const section = h('section', { class: 'ec-page al-page', 'aria-labelledby': 'al-title' },
		h('p', { class: 'rh-breadcrumb al-breadcrumb' }, tr('al.section')),
		title,
		h('p', { class: 'ec-hint al-intro' }, tr('al.intro')),
		h('div', { class: 'gm-card al-card' }, filterForm),
		notice,
		alert,
		h('div', { class: 'gm-card al-card' }, countStatus, tableWrap, stateBox, h('div', { class: 'ec-more-wrap' }, moreButton)));

	return {
		async start() {
			await loadStylesheet();
			if (destroyed) return;
			root.replaceChildren(section);
			applied = readFilters();
			await load();
		},
		destroy() {
			if (destroyed) return;
			destroyed = true;
			controller.abort();
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			clearTimeout(debounce);
			for (const url of objectUrls) URL.revokeObjectURL(url);
			objectUrls.clear();
			picker.destroy();
			section.remove();
		},
	};
}
