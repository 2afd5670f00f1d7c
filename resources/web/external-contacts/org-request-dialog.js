// 从其他组织添加 (SPEC R5.1, R5.2, R5.5): the dialog the 【新建】 drop-down item opens.
// A search needs both the other org's exact name and a name, mobile or email of
// the person (this is not a directory browser); results show name, org, title and
// masked mobile / email with 【添加】 per person, which sends a contact request (the
// row then says 已发送申请, or why it was refused: pending, already a contact,
// too many attempts). Below: 我发出的申请, the member's requests with their states,
// 撤回 per pending one (confirmed first) and 加载更多.
// Routes: docs/API.md (/directory/search, /org-requests*).
import { h, clear, openModal } from './dom.js';
import { formatMinute } from './format.js';
import { createModal, createConfirm, pagedList, showPaging, setFieldError, rateLimitText } from './modal.js';
import { request as apiRequest, BASE } from './api.js';

const PAGE_SIZE = 20;
const ORG_MAX = 100;
const Q_MAX = 64;
const STATES = ['pending', 'accepted', 'declined', 'cancelled', 'expired'];

const charCount = (text) => [...text].length;

/**
 * ctx, tr, errorText: as the page's; host: where the dialogs go; returnFocus(): the
 * element focus goes back to when the dialog closes (【新建】); openContact(id): shows
 * a contact's card (for 已是外部联系人).
 */
export function createOrgRequestDialog({ ctx, tr, errorText, host, returnFocus, openContact }) {
	let destroyed = false;
	let epoch = 0;
	let searchToken = 0;
	const state = {
		searching: false,
		results: null, // { org, items, orgName, q }
		rows: new Map(), // userId → { status: 'sent' | 'pending' | 'contact' | 'error', text, contactId }
		adding: new Set(),
		items: [],
		nextCursor: null,
		listLoading: false,
		listError: null,
		busy: false,
	};

	// ---- the dialog ------------------------------------------------------------------
	const orgInput = h('input', {
		id: 'ec-org-name', class: 'ec-input', type: 'text', maxlength: String(ORG_MAX), autocomplete: 'organization',
		required: true, 'aria-required': 'true', 'aria-describedby': 'ec-org-name-hint ec-org-name-error', placeholder: tr('orgreq.orgNamePlaceholder'),
	});
	const orgHint = h('p', { id: 'ec-org-name-hint', class: 'ec-hint' }, tr('orgreq.orgNameHint'));
	const orgError = h('p', { id: 'ec-org-name-error', class: 'ec-field-error' });
	const qInput = h('input', {
		id: 'ec-org-q', class: 'ec-input', type: 'text', maxlength: String(Q_MAX), autocomplete: 'off', spellcheck: 'false',
		required: true, 'aria-required': 'true', 'aria-describedby': 'ec-org-q-hint ec-org-q-error', placeholder: tr('orgreq.qPlaceholder'),
	});
	const qHint = h('p', { id: 'ec-org-q-hint', class: 'ec-hint' }, tr('orgreq.qHint'));
	const qError = h('p', { id: 'ec-org-q-error', class: 'ec-field-error' });
	const searchButton = h('button', { type: 'submit', id: 'ec-org-search', class: 'ec-button ec-button-primary' }, tr('orgreq.search'));
	const form = h('form', { id: 'ec-org-form', class: 'ec-org-form', novalidate: true, role: 'search', 'aria-describedby': 'ec-org-intro' },
		h('p', { id: 'ec-org-intro', class: 'ec-form-intro' }, tr('orgreq.intro')),
		h('div', { class: 'ec-org-fields' },
			h('div', { class: 'ec-field' }, h('label', { for: 'ec-org-name' }, tr('orgreq.orgName')), orgInput, orgHint, orgError),
			h('div', { class: 'ec-field' }, h('label', { for: 'ec-org-q' }, tr('orgreq.q')), qInput, qHint, qError)),
		h('div', { class: 'ec-dialog-actions' }, searchButton));

	// Results.
	const resultsStatus = h('div', { id: 'ec-org-results-status', class: 'ec-org-results-status', role: 'status', 'aria-live': 'polite' });
	const resultsList = h('ul', { id: 'ec-org-results', class: 'ec-org-results', 'aria-labelledby': 'ec-org-results-title' });
	const resultsTitle = h('h3', { id: 'ec-org-results-title', class: 'ec-panel-title', tabindex: '-1' }, tr('orgreq.results'));
	const results = h('section', { id: 'ec-org-results-section', class: 'ec-org-results-section', 'aria-labelledby': 'ec-org-results-title', hidden: true },
		resultsTitle, resultsStatus, resultsList);

	// 我发出的申请.
	const listStatus = h('div', { id: 'ec-org-outgoing-status', class: 'ec-org-outgoing-status' });
	const list = h('ul', { id: 'ec-org-outgoing', class: 'ec-org-outgoing', 'aria-labelledby': 'ec-org-mine-title' });
	const moreButton = h('button', { type: 'button', id: 'ec-org-more', class: 'ec-button', hidden: true, onClick: () => loadList({ append: true }) }, tr('orgreq.more'));
	const mine = h('section', { id: 'ec-org-mine', class: 'ec-org-mine', 'aria-labelledby': 'ec-org-mine-title' },
		h('h3', { id: 'ec-org-mine-title', class: 'ec-panel-title', tabindex: '-1' }, tr('orgreq.mine')),
		listStatus,
		list,
		h('div', { class: 'ec-more-wrap' }, moreButton));

	const modal = createModal({
		host, prefix: 'ec-org', title: tr('orgreq.title'), closeLabel: tr('orgreq.close'), content: [form, results, mine],
		close: () => close(), onClosed: () => { epoch += 1; }, returnFocus,
	});
	const { dialog, mainError, notice } = modal;

	// ---- the confirmation (撤回) ---------------------------------------------------------
	const confirm = createConfirm({
		host, prefix: 'ec-org', title: tr('orgreq.cancelTitle'), ok: tr('orgreq.withdraw'), cancel: tr('orgreq.keep'),
		onOk: () => runCancel(), isBusy: () => state.busy, parent: modal,
	});

	// ---- errors --------------------------------------------------------------------------
	/** A refusal or failure → one localized line (never the server's message). */
	function failureText(error) {
		if (!error) return tr('error.generic');
		if (error.status === 0 || error.code === 'network') return tr('orgreq.network');
		if (error.status === 429) return rateLimitText(tr, 'orgreq', error);
		return errorText(error, { fields: { orgName: tr('orgreq.orgNameInvalid'), q: tr('orgreq.qInvalid') } });
	}

	function clearFieldErrors() {
		setFieldError(orgInput, orgError, '');
		setFieldError(qInput, qError, '');
	}

	// ---- search ---------------------------------------------------------------------------
	/** {orgName, q} or null with the fields' errors shown. */
	function checkForm() {
		clearFieldErrors();
		const orgName = orgInput.value.trim();
		const q = qInput.value.trim();
		let ok = true;
		if (!orgName) {
			setFieldError(orgInput, orgError, tr('orgreq.orgNameRequired'));
			ok = false;
		} else if (charCount(orgName) > ORG_MAX) {
			setFieldError(orgInput, orgError, tr('orgreq.orgNameInvalid'));
			ok = false;
		}
		if (!q) {
			setFieldError(qInput, qError, tr('orgreq.qRequired'));
			ok = false;
		} else if (charCount(q) > Q_MAX) {
			setFieldError(qInput, qError, tr('orgreq.qInvalid'));
			ok = false;
		}
		return ok ? { orgName, q } : null;
	}

	function focusFirstInvalid() {
		(orgInput.getAttribute('aria-invalid') ? orgInput : qInput).focus();
	}

	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		if (state.searching) return;
		mainError.textContent = '';
		notice.textContent = '';
		const query = checkForm();
		if (!query) {
			// Both fields at once: one alone is refused here, before anything is sent.
			mainError.textContent = tr('orgreq.bothRequired');
			focusFirstInvalid();
			return;
		}
		const mineToken = ++searchToken;
		const at = epoch;
		state.searching = true;
		searchButton.disabled = true;
		searchButton.textContent = tr('orgreq.searching');
		form.setAttribute('aria-busy', 'true');
		let answer = null;
		let failure = null;
		try {
			const params = new URLSearchParams(query);
			answer = await apiRequest(ctx, 'GET', `${BASE}/directory/search?${params}`);
		} catch (error) {
			failure = error;
		} finally {
			if (!destroyed && mineToken === searchToken) {
				state.searching = false;
				searchButton.disabled = false;
				searchButton.textContent = tr('orgreq.search');
				form.removeAttribute('aria-busy');
			}
		}
		if (destroyed || at !== epoch || mineToken !== searchToken) return;
		if (failure) {
			if (failure.status === 401) return;
			const text = failureText(failure);
			if (failure.status === 400 && (failure.field === 'orgName' || failure.field === 'q')) {
				if (failure.field === 'orgName') setFieldError(orgInput, orgError, text);
				else setFieldError(qInput, qError, text);
				mainError.textContent = tr('orgreq.fixErrors');
				focusFirstInvalid();
			} else mainError.textContent = text;
			return;
		}
		state.results = {
			org: answer && answer.org && typeof answer.org === 'object' ? answer.org : null,
			items: answer && Array.isArray(answer.items) ? answer.items : [],
			orgName: query.orgName,
			q: query.q,
		};
		state.rows = new Map();
		renderResults();
	});

	function renderResults() {
		const found = state.results;
		results.hidden = !found;
		clear(resultsList);
		clear(resultsStatus);
		if (!found) return;
		if (!found.org) {
			resultsStatus.append(h('p', { id: 'ec-org-empty', class: 'ec-muted ec-org-empty', dataset: { reason: 'no_org' } },
				tr('orgreq.noOrg', { org: found.orgName })));
			return;
		}
		if (!found.items.length) {
			resultsStatus.append(h('p', { id: 'ec-org-empty', class: 'ec-muted ec-org-empty', dataset: { reason: 'no_match' } },
				tr('orgreq.noMatch', { org: found.org.name, q: found.q })));
			return;
		}
		resultsStatus.append(h('span', { class: 'ec-visually-hidden' }, tr('orgreq.found', { count: found.items.length, org: found.org.name })));
		for (const person of found.items) resultsList.append(resultRow(found.org, person));
	}

	function resultRow(org, person) {
		const id = String(person.userId);
		const row = state.rows.get(id);
		const name = person.displayName || '';
		const details = [
			person.mobileMasked ? h('span', { class: 'ec-org-mobile' }, h('span', { class: 'ec-visually-hidden' }, tr('orgreq.mobile')), person.mobileMasked) : null,
			person.emailMasked ? h('span', { class: 'ec-org-email' }, h('span', { class: 'ec-visually-hidden' }, tr('orgreq.email')), person.emailMasked) : null,
		];
		let action;
		if (row && row.status === 'sent') {
			action = h('span', { class: 'ec-status-tag ec-org-sent', dataset: { status: 'sent' } }, tr('orgreq.sent'));
		} else if (row && row.status === 'pending') {
			action = h('span', { class: 'ec-status-tag ec-org-sent', dataset: { status: 'pending' } }, tr('orgreq.pending'));
		} else if (row && row.status === 'contact') {
			action = h('span', { class: 'ec-org-contact' },
				h('span', { class: 'ec-status-tag', dataset: { status: 'contact' } }, tr('orgreq.alreadyContact')),
				row.contactId !== null && row.contactId !== undefined
					? h('button', {
						type: 'button', class: 'ec-link-button ec-org-open-contact',
						'aria-label': tr('orgreq.openContactLabel', { name }),
						onClick: () => showContact(row.contactId),
					}, tr('orgreq.openContact'))
					: null);
		} else {
			action = h('button', {
				type: 'button', class: 'ec-button ec-button-small ec-org-add', 'aria-label': tr('orgreq.addLabel', { name }),
				disabled: state.adding.has(id), onClick: (event) => add(org, person, event.currentTarget),
			}, state.adding.has(id) ? tr('orgreq.adding') : tr('orgreq.add'));
		}
		return h('li', { class: 'ec-org-result', dataset: { userId: id } },
			h('div', { class: 'ec-org-person' },
				h('span', { class: 'ec-org-person-name' }, name),
				h('span', { class: 'ec-org-person-org' }, org.name),
				person.title ? h('span', { class: 'ec-org-person-title' }, person.title) : null),
			h('div', { class: 'ec-org-person-contact' }, details),
			h('div', { class: 'ec-org-person-action' }, action),
			row && row.status === 'error' ? h('p', { class: 'ec-form-error ec-org-row-error', role: 'alert' }, row.text) : null);
	}

	function focusRow(userId, selector) {
		const row = resultsList.querySelector(`.ec-org-result[data-user-id="${CSS.escape(String(userId))}"]`);
		const target = row && (row.querySelector(selector) || row.querySelector('button') || null);
		if (target) target.focus();
		else resultsTitle.focus();
	}

	async function add(org, person, opener) {
		const id = String(person.userId);
		if (state.adding.has(id)) return;
		const at = epoch;
		const found = state.results;
		state.adding.add(id);
		state.rows.delete(id);
		notice.textContent = '';
		renderResults();
		let failure = null;
		try {
			await apiRequest(ctx, 'POST', `${BASE}/org-requests`, { orgId: org.id, userId: person.userId });
		} catch (error) {
			failure = error;
		}
		state.adding.delete(id);
		if (destroyed || at !== epoch || found !== state.results) return;
		if (!failure) {
			state.rows.set(id, { status: 'sent' });
			notice.textContent = tr('orgreq.sentNotice', { name: person.displayName || '' });
			loadList();
		} else if (failure.status === 401) {
			return;
		} else if (failure.code === 'request_pending') {
			state.rows.set(id, { status: 'pending' });
			loadList();
		} else if (failure.code === 'already_contact') {
			const body = failure.body && typeof failure.body === 'object' ? failure.body : {};
			state.rows.set(id, { status: 'contact', contactId: body.contactId ?? null });
		} else if (failure.status === 400 && (failure.field === 'orgId' || failure.field === 'userId')) {
			state.rows.set(id, { status: 'error', text: tr('orgreq.addRefused') });
		} else {
			state.rows.set(id, { status: 'error', text: failureText(failure) });
		}
		renderResults();
		const row = state.rows.get(id);
		focusRow(id, row && row.status === 'contact' ? '.ec-org-open-contact' : '.ec-org-add');
		if (opener && !document.contains(opener) && row && row.status !== 'error' && !resultsList.contains(document.activeElement)) resultsTitle.focus();
	}

	function showContact(contactId) {
		close({ focus: false });
		if (typeof openContact === 'function') openContact(contactId);
	}

	// ---- 我发出的申请 -----------------------------------------------------------------------
	function stateTag(request) {
		const known = STATES.includes(request.status);
		return h('span', { class: `ec-status-tag ec-org-state ec-org-state-${known ? request.status : 'unknown'}`, dataset: { status: request.status } },
			known ? tr(`orgreq.state.${request.status}`) : String(request.status || ''));
	}

	function renderList() {
		clear(list);
		clear(listStatus);
		for (const request of state.items) {
			const target = request.target || {};
			const name = target.displayName || '';
			const decided = typeof request.decidedAt === 'number' ? formatMinute(request.decidedAt) : '';
			list.append(h('li', { class: 'ec-org-request', dataset: { id: String(request.id), status: request.status } },
				h('div', { class: 'ec-org-request-who' },
					h('span', { class: 'ec-org-request-name' }, name),
					h('span', { class: 'ec-org-request-org' }, target.orgName || '')),
				stateTag(request),
				h('p', { class: 'ec-org-request-meta' },
					h('span', {}, tr('orgreq.sentAt', { time: formatMinute(request.createdAt) })),
					request.status === 'pending' && typeof request.expiresAt === 'number'
						? h('span', {}, tr('orgreq.expiresAt', { time: formatMinute(request.expiresAt) })) : null,
					decided && request.status !== 'pending' ? h('span', {}, tr('orgreq.decidedAt', { time: decided })) : null),
				request.status === 'pending'
					? h('button', {
						type: 'button', class: 'ec-button ec-button-small ec-org-withdraw', 'aria-haspopup': 'dialog',
						'aria-label': tr('orgreq.withdrawLabel', { name }), disabled: state.busy,
						onClick: (event) => askCancel(request, event.currentTarget),
					}, tr('orgreq.withdraw'))
					: h('span', { class: 'ec-org-request-none' })));
		}
		if (state.listLoading && !state.items.length) {
			listStatus.append(h('p', { class: 'ec-loading' }, h('span', { class: 'ec-spinner', 'aria-hidden': 'true' }), tr('orgreq.loading')));
		} else if (state.listError) {
			listStatus.append(h('p', { class: 'ec-form-error', role: 'alert' }, failureText(state.listError)),
				h('button', { type: 'button', id: 'ec-org-list-retry', class: 'ec-button ec-button-small', onClick: () => loadList() }, tr('orgreq.retry')));
		} else if (!state.listLoading && !state.items.length) {
			listStatus.append(h('p', { id: 'ec-org-outgoing-empty', class: 'ec-muted' }, tr('orgreq.noneSent')));
		}
		showPaging(state, list, moreButton);
	}

	const loadList = pagedList({
		state, query: { box: 'outgoing' }, pageSize: PAGE_SIZE, render: () => renderList(),
		fetchPage: (params) => apiRequest(ctx, 'GET', `${BASE}/org-requests?${params}`),
		since: () => {
			const at = epoch;
			return () => destroyed || at !== epoch;
		},
	});

	// ---- 撤回 ------------------------------------------------------------------------------
	function askCancel(request, opener) {
		if (!request) return;
		const target = request.target || {};
		confirm.ask({ request, opener }, { text: tr('orgreq.cancelText', { name: target.displayName || '', org: target.orgName || '' }) });
	}

	function setBusy(busy) {
		state.busy = busy;
		confirm.ok.disabled = busy;
		confirm.cancel.disabled = busy;
		for (const button of list.querySelectorAll('button')) button.disabled = busy;
		confirm.ok.textContent = busy ? tr('orgreq.working') : tr('orgreq.withdraw');
	}

	async function runCancel() {
		const pending = confirm.pending;
		if (!pending || state.busy) return;
		const { request } = pending;
		const at = epoch;
		mainError.textContent = '';
		notice.textContent = '';
		confirm.error.textContent = '';
		setBusy(true);
		let answer = null;
		let failure = null;
		try {
			answer = await apiRequest(ctx, 'POST', `${BASE}/org-requests/${encodeURIComponent(request.id)}/cancel`, {});
		} catch (error) {
			failure = error;
		} finally {
			if (!destroyed) setBusy(false);
		}
		if (destroyed || at !== epoch) return;
		if (failure) {
			if (failure.status === 401) {
				confirm.close({ focus: false });
				return;
			}
			// Nothing happened: the confirmation stays, to try again.
			if (confirm.stays(failure, failureText(failure))) return;
			confirm.close({ focus: false });
			const status = failure.body && typeof failure.body === 'object' ? failure.body.status : null;
			mainError.textContent = failure.code === 'request_settled' && STATES.includes(status)
				? tr('orgreq.settled', { state: tr(`orgreq.state.${status}`) })
				: failure.status === 404 ? tr('orgreq.notFound') : failureText(failure);
			mine.querySelector('#ec-org-mine-title').focus();
			loadList();
			return;
		}
		confirm.close({ focus: false });
		if (answer && answer.id !== undefined) {
			state.items = state.items.map((item) => (String(item.id) === String(answer.id) ? answer : item));
		}
		// The person can be asked again from the results.
		const targetId = request.target && request.target.userId !== undefined ? String(request.target.userId) : null;
		if (targetId && state.rows.has(targetId)) {
			state.rows.delete(targetId);
			renderResults();
		}
		renderList();
		notice.textContent = tr('orgreq.withdrawn', { name: (request.target && request.target.displayName) || '' });
		mine.querySelector('#ec-org-mine-title').focus();
		loadList();
	}

	// ---- open / close ----------------------------------------------------------------------------
	function open() {
		if (destroyed || dialog.open) return;
		mainError.textContent = '';
		notice.textContent = '';
		form.reset();
		clearFieldErrors();
		state.results = null;
		state.rows = new Map();
		state.adding = new Set();
		state.items = [];
		state.nextCursor = null;
		renderResults();
		renderList();
		openModal(dialog);
		orgInput.focus();
		loadList();
	}

	function close({ focus = true } = {}) {
		if (!dialog.open) return;
		epoch += 1;
		state.searching = false;
		searchButton.disabled = false;
		searchButton.textContent = tr('orgreq.search');
		form.removeAttribute('aria-busy');
		setBusy(false);
		modal.hide({ focus });
	}

	return {
		open,
		close,
		destroy() {
			if (destroyed) return;
			destroyed = true;
			modal.destroy();
		},
	};
}
