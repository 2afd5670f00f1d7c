// Back office 账号安全 / 外部账号开通申请 (SPEC R3.6): the org's log of account
// applications, newest first, with filters (status, submitted between two dates,
// applicant, keyword), 加载更多, 同意 / 驳回 on pending rows and 【导出 CSV】.
// Mounted by the shell at #/admin/p/account-applications (docs/WEB.md); the shell
// shows the back office to org admins only.
// Routes: GET /api/plugins/external-contacts/admin/applications[/export],
// POST /applications/{id}/approve|reject, GET /contacts/{id}/account (to refresh a
// row someone else decided), GET /members (the member picker).
import { h, clear } from './dom.js';
import { memberPicker, memberSearch } from './member-picker.js';
import { request, BASE } from './api.js';
import { formatTime } from './format.js';
import { pageModule } from './page-module.js';
import { noticeLines, filterErrors, periodFilter, personFilter } from './log-filters.js';
import { createLogList, logPage } from './log-list.js';
import { textLength } from './limited-text.js';

const LOG = `${BASE}/admin/applications`;
const Q_MAX = 50;
const REASON_MAX = 500;
const DEBOUNCE_MS = 300;
const STATUSES = ['pending', 'approved', 'rejected'];
// Filters the server may name in a 400 (the others — cursor, limit — are the page's own).
const FILTER_FIELDS = ['status', 'from', 'to', 'applicant', 'q'];

export const { mount, unmount } = pageModule(createPage);

function createPage(root, ctx, { tr, signal }) {
	let destroyed = false;
	let applied = null; // the filters the table shows: {status, from, to, applicant, q}
	let debounce = null;
	let busy = false; // a decision is being sent
	let rejecting = null; // the application whose reject form is open
	const timers = new Set();

	const errorText = (error, options) => ctx.errorText(error, options);
	const personName = (person) => (person ? person.displayName || tr('al.unknownName', { id: person.id }) : '');
	const time = (ms) => formatTime(ctx.locale, ms);
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
	const { notice, alert, say } = noticeLines('al');

	// ---- filters ------------------------------------------------------------------------
	const statusSelect = h('select', { id: 'al-status', name: 'status', class: 'ec-select', 'aria-describedby': 'al-status-error' },
		h('option', { value: '' }, tr('al.statusAll')),
		STATUSES.map((status) => h('option', { value: status }, statusText(status))));
	const period = periodFilter(tr, 'al');
	const { fromInput, toInput } = period;
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
	const fieldErrors = filterErrors('al', { fields: FILTER_FIELDS, inputs, picker, pickerField: 'applicant' });
	const errors = fieldErrors.errors;
	const applicantFilter = personFilter(tr, 'al', 'applicant', {
		picker,
		name: (member) => member.displayName || tr('al.unknownName', { id: member.id }),
		onClear: () => schedule(0),
	});
	const applicantBox = applicantFilter.box;
	const setApplicant = (member) => applicantFilter.set(member);
	const setFieldError = (name, text) => fieldErrors.set(name, text);

	/** The filters as the form states them, or null (errors shown) when one is wrong. */
	function readFilters({ focus = false } = {}) {
		fieldErrors.clear();
		const filters = { status: statusSelect.value, from: null, to: null, applicant: applicantFilter.chosen() ? applicantFilter.chosen().id : null, q: qInput.value.trim() };
		let bad = period.read(filters, setFieldError);
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
	const list = createLogList({
		ctx, tr, prefix: 'al', route: LOG, query, fieldTexts, signal, table, tbody, title, say, filterFields: FILTER_FIELDS,
		isDestroyed: () => destroyed,
		applied: () => applied,
		resetFilters: () => resetButton.click(),
		renderRows: (body, rows) => {
			for (const application of rows) {
				body.append(renderRow(application));
				if (rejecting && String(rejecting.id) === String(application.id) && application.status === 'pending') {
					body.append(h('tr', { class: 'al-reject-row' }, h('td', { colspan: '9' }, rejectForm(application))));
				}
			}
		},
		filterRefused(error, where) {
			setFieldError(error.field, errorText(error, { fields: fieldTexts() }));
			say(tr('al.fixFilters'), { error: true });
			if (where === 'list') {
				applied = null;
				return;
			}
			const input = error.field === 'applicant' ? picker.input : inputs[error.field];
			if (input) input.focus();
		},
		exportFile: 'external-account-applications',
		prepareExport() {
			clearTimeout(debounce);
			timers.delete(debounce);
			debounce = null;
			const filters = readFilters({ focus: true });
			if (filters && !sameFilters(filters, applied)) {
				applied = filters;
				load();
			}
			return filters;
		},
		focusFirst: (application) => focusRow(application),
	});

	const searchButton = h('button', { type: 'submit', class: 'ec-button ec-button-primary', id: 'al-search' }, tr('al.search'));
	const resetButton = h('button', { type: 'button', class: 'ec-button', id: 'al-reset' }, tr('al.reset'));

	const filterForm = h('form', { id: 'al-filters', class: 'al-filters', role: 'search', novalidate: true, 'aria-label': tr('al.filters') },
		h('div', { class: 'ec-field al-field' },
			h('label', { for: 'al-status' }, tr('al.status')), statusSelect, errors.status),
		period.element(errors),
		h('div', { class: 'ec-field al-field al-keyword' },
			h('label', { for: 'al-q' }, tr('al.keyword')), qInput,
			h('p', { id: 'al-q-hint', class: 'ec-hint' }, tr('al.keywordHint')), errors.q),
		h('div', { class: 'al-field al-applicant' }, picker.element, applicantBox),
		h('div', { class: 'al-filter-actions' }, searchButton, resetButton, list.exportButton));

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

	const none = () => h('span', { class: 'ec-muted al-none' }, tr('al.none'));
	const timeCell = (ms) => (typeof ms === 'number' ? h('time', { datetime: new Date(ms).toISOString() }, time(ms)) : none());
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
		list.renderRows();
	}

	/** Loads the first page (the open reject form goes) or, more, the next one. */
	function load({ more = false } = {}) {
		if (!more) rejecting = null;
		return list.load({ more });
	}

	function focusRow(application) {
		const row = document.getElementById(rowId(application));
		const cell = row && row.querySelector('.al-contact');
		if (cell) cell.focus();
		else title.focus();
	}

	function replaceRow(application) {
		const rows = list.rows();
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
			const answer = await request(ctx, 'POST', `${BASE}/applications/${encodeURIComponent(application.id)}/${action}`, body);
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
			const account = await request(ctx, 'GET', `${BASE}/contacts/${encodeURIComponent(application.contactId)}/account`, undefined, { signal });
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

	// ---- the page ------------------------------------------------------------------------------
	setApplicant(null);
	const page = logPage({
		tr, prefix: 'al', root, title, filterForm, notices: { notice, alert }, list,
		isDestroyed: () => destroyed,
		first() {
			applied = readFilters();
			return load();
		},
	});

	return {
		start: () => page.start(),
		destroy() {
			if (destroyed) return;
			destroyed = true;
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			clearTimeout(debounce);
			picker.destroy();
			page.remove();
		},
	};
}
