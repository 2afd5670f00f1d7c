// The 账号信息 tab of the large contact card (SPEC R3, R6.4): the contact's
// account or 暂未开通账号, the pending application (同意 / 驳回 for approvers),
// the earlier applications, 【申请开通】 (a modal dialog with a remark) and, for an
// account waiting for activation, 【获取激活链接】 (a one-time link to copy).
//
// GET /contacts/{id}/account is asked by the card together with its other routes
// (contact-card.js); the tab asks it again after each of its own actions. Refusals
// whose body matters (409 already_decided names who decided) go through send.js.
import { h, clear, openModal, closeModal } from './dom.js';
import { sendJson } from './send.js';

const BASE = '/api/plugins/external-contacts';
const TEXT_MAX = 500;
const ACCOUNT_STATUSES = ['creating', 'pending', 'active', 'disabled'];
const APPLICATION_STATUSES = ['pending', 'approved', 'rejected'];

/** Characters as the server counts them (code points) of the trimmed text. */
export function textLength(text) {
	return [...String(text || '').trim()].length;
}

/**
 * A textarea with a label, a live character count and a field error.
 * idPrefix: e.g. 'ec-apply-remark' → #ec-apply-remark, -count, -error.
 */
function limitedText(tr, idPrefix, label, hint, { onFixed = null } = {}) {
	const count = h('p', { id: `${idPrefix}-count`, class: 'ec-hint ec-count' });
	const error = h('p', { id: `${idPrefix}-error`, class: 'ec-field-error' });
	const hintEl = hint ? h('p', { id: `${idPrefix}-hint`, class: 'ec-hint' }, hint) : null;
	const input = h('textarea', {
		id: idPrefix, class: 'ec-input', rows: '4',
		'aria-describedby': [hint ? `${idPrefix}-hint` : null, `${idPrefix}-count`, `${idPrefix}-error`].filter(Boolean).join(' '),
	});
	function update() {
		const used = textLength(input.value);
		count.textContent = tr('account.count', { count: used, max: TEXT_MAX });
		count.classList.toggle('ec-count-over', used > TEXT_MAX);
		if (used <= TEXT_MAX && error.textContent === tr('account.tooLong', { max: TEXT_MAX })) {
			setError('');
			if (onFixed) onFixed();
		}
	}
	function setError(text) {
		error.textContent = text || '';
		if (text) input.setAttribute('aria-invalid', 'true');
		else input.removeAttribute('aria-invalid');
	}
	input.addEventListener('input', update);
	update();
	return {
		input,
		setError,
		reset() {
			input.value = '';
			setError('');
			update();
		},
		/** The trimmed text, or null (with the error shown) when it is too long. */
		check() {
			if (textLength(input.value) > TEXT_MAX) {
				setError(tr('account.tooLong', { max: TEXT_MAX }));
				return null;
			}
			setError('');
			return input.value.trim();
		},
		element: h('div', { class: 'ec-field' }, h('label', { for: idPrefix }, label), hintEl, input, count, error),
	};
}

/**
 * ctx, tr, errorText: as the card's; host: where the 申请开通 dialog goes; panel: the
 * tab panel; formatTime(ms); notify(text): the card's polite notice; onChanged():
 * something was written (the card refreshes its 历史 tab).
 */
export function createAccountTab({ ctx, tr, errorText, host, panel, formatTime, notify, onChanged }) {
	let destroyed = false;
	// contactId, contactName and data of the contact shown; generation moves whenever
	// another contact is shown, so late answers for the old one are dropped.
	const state = { contactId: null, contactName: '', data: null, generation: 0, busy: false, link: null, rejecting: null };

	const tabError = h('p', { id: 'ec-acct-error', class: 'ec-form-error', role: 'alert' });
	const copyStatus = h('p', { id: 'ec-acct-link-status', class: 'ec-notice', role: 'status', 'aria-live': 'polite' });

	const path = (suffix = '') => `${BASE}/contacts/${encodeURIComponent(state.contactId)}${suffix}`;

	function statusTag(kind, status) {
		const known = kind === 'account' ? ACCOUNT_STATUSES : APPLICATION_STATUSES;
		const text = known.includes(status) ? tr(`account.${kind}Status.${status}`) : String(status || '');
		return h('span', { class: `ec-status-tag ec-status-${status}`, dataset: { status } }, text);
	}

	function personName(person) {
		if (!person) return tr('history.unknownActor');
		return person.displayName || `#${person.id}`;
	}

	/** A refusal of one of the tab's requests → the text to show (and whether the data is stale). */
	function refusalText(error) {
		const body = error.body && typeof error.body === 'object' ? error.body : {};
		const info = body.error && typeof body.error === 'object' ? body.error : {};
		switch (error.code) {
		case 'already_decided': {
			const who = info.decidedBy || body.decidedBy;
			return who ? tr('account.alreadyDecided', { name: personName(who) }) : tr('account.alreadyDecidedAnon');
		}
		case 'application_pending': return tr('account.applicationPending');
		case 'account_exists': return tr('account.accountExists');
		case 'no_pending_account': return tr('account.noPendingAccount');
		default:
			if (error.status === 403) return tr('account.forbidden');
			if (error.status === 404) return tr('card.notFound');
			return errorText(error);
		}
	}
	const STALE = new Set(['already_decided', 'application_pending', 'account_exists', 'no_pending_account']);

	// ---- rendering -----------------------------------------------------------------
	function render() {
		clear(panel);
		const data = state.data;
		if (!data) return;
		if (data.error) {
			panel.append(h('div', { class: 'ec-error' }, h('p', {}, tr('card.loadError', { message: errorText(data.error) })),
				h('button', { type: 'button', class: 'ec-button', onClick: () => reload({ focus: 'panel' }) }, tr('list.retry'))));
			return;
		}
		const account = data.account || null;
		const pending = data.pendingApplication || null;
		const earlier = (Array.isArray(data.applications) ? data.applications : [])
			.filter((item) => !pending || String(item.id) !== String(pending.id));
		panel.append(...[
			accountSection(account, pending, data),
			pending ? pendingSection(pending, data) : null,
			historySection(earlier),
			tabError].filter(Boolean));
	}

	function accountSection(account, pending, data) {
		const applyButton = data.mayApply
			? h('button', { type: 'button', id: 'ec-acct-apply', class: 'ec-button ec-button-primary', 'aria-haspopup': 'dialog', onClick: () => openApply() }, tr('account.apply'))
			: null;
		const linkButton = account && account.status === 'pending'
			? h('button', { type: 'button', id: 'ec-acct-link-get', class: 'ec-button ec-button-primary', onClick: () => fetchLink() },
				tr(state.link ? 'account.linkAgain' : 'account.link'))
			: null;
		const section = h('section', { class: 'ec-acct-section', 'aria-labelledby': 'ec-acct-title' },
			h('h3', { id: 'ec-acct-title', class: 'ec-panel-title', tabindex: '-1' }, tr('account.title')));
		if (account) {
			section.append(h('dl', { class: 'ec-details ec-acct-details' },
				h('div', { class: 'ec-detail', dataset: { field: 'login' } }, h('dt', {}, tr('account.login')),
					h('dd', { id: 'ec-acct-login', class: 'ec-acct-login' }, account.login || tr('card.empty'))),
				h('div', { class: 'ec-detail', dataset: { field: 'status' } }, h('dt', {}, tr('account.status')),
					h('dd', { id: 'ec-acct-status' }, statusTag('account', account.status)))));
			if (account.status === 'pending') section.append(h('p', { class: 'ec-hint' }, tr('account.pendingHint')));
			if (account.status === 'creating') section.append(h('p', { class: 'ec-hint' }, tr('account.creatingHint')));
		} else {
			section.append(h('div', { id: 'ec-acct-none', class: 'ec-empty ec-empty-small ec-acct-none' },
				h('p', { class: 'ec-empty-title' }, tr('account.emptyTitle')),
				h('p', { class: 'ec-empty-hint' }, tr(pending ? 'account.noneWaiting' : data.mayApply ? 'account.noneHint' : 'account.noneNoApply'))));
		}
		if (applyButton || linkButton) section.append(h('div', { class: 'ec-card-actions ec-acct-actions' }, applyButton, linkButton));
		if (account && account.status === 'pending' && state.link) section.append(linkBox(state.link));
		return section;
	}

	function linkBox(link) {
		const copy = h('button', { type: 'button', id: 'ec-acct-link-copy', class: 'ec-button' }, tr('account.copy'));
		const input = h('input', {
			id: 'ec-acct-link', class: 'ec-input ec-acct-link-input', type: 'text', readonly: true, value: link.full,
			'aria-describedby': 'ec-acct-link-note ec-acct-link-status', spellcheck: 'false', autocomplete: 'off',
		});
		input.addEventListener('focus', () => input.select());
		copy.addEventListener('click', () => copyLink(input));
		return h('div', { class: 'ec-acct-link' },
			h('label', { for: 'ec-acct-link' }, tr('account.linkLabel')),
			h('div', { class: 'ec-acct-link-row' }, input, copy),
			h('p', { id: 'ec-acct-link-note', class: 'ec-hint' },
				tr('account.linkNote'), ' ',
				link.expiresAt !== null ? tr('account.linkExpires', { time: link.expiresAt }) : null),
			copyStatus);
	}

	function applicationMeta(application) {
		return h('dl', { class: 'ec-details ec-acct-details' },
			h('div', { class: 'ec-detail', dataset: { field: 'applicant' } }, h('dt', {}, tr('account.applicant')),
				h('dd', { class: 'ec-acct-applicant' }, personName(application.applicant))),
			h('div', { class: 'ec-detail', dataset: { field: 'submittedAt' } }, h('dt', {}, tr('account.submittedAt')),
				h('dd', {}, timeElement(application.submittedAt))),
			h('div', { class: 'ec-detail ec-detail-multiline', dataset: { field: 'remark' } }, h('dt', {}, tr('account.remark')),
				h('dd', { class: `ec-acct-remark${application.remark ? '' : ' ec-muted'}` }, application.remark || tr('card.empty'))));
	}

	function timeElement(value) {
		const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
		if (!Number.isFinite(ms)) return tr('card.empty');
		return h('time', { datetime: new Date(ms).toISOString() }, formatTime(ms));
	}

	function pendingSection(pending, data) {
		const section = h('section', { id: 'ec-acct-pending', class: 'ec-acct-section ec-acct-pending', 'aria-labelledby': 'ec-acct-pending-title', dataset: { id: String(pending.id) } },
			h('h3', { id: 'ec-acct-pending-title', class: 'ec-panel-title', tabindex: '-1' }, tr('account.pendingTitle'), ' ', statusTag('application', 'pending')),
			applicationMeta(pending));
		if (data.mayDecide) {
			if (state.rejecting && String(state.rejecting.id) === String(pending.id)) section.append(rejectForm(pending));
			else {
				section.append(h('div', { class: 'ec-card-actions ec-acct-decide' },
					h('button', { type: 'button', id: 'ec-acct-approve', class: 'ec-button ec-button-primary', onClick: () => approve(pending) }, tr('account.approve')),
					h('button', { type: 'button', id: 'ec-acct-reject', class: 'ec-button ec-button-danger', 'aria-expanded': 'false', 'aria-controls': 'ec-reject-form', onClick: () => startReject(pending) }, tr('account.reject'))));
			}
		} else section.append(h('p', { class: 'ec-hint' }, tr('account.waitingForApprover')));
		return section;
	}

	function historySection(items) {
		return h('section', { class: 'ec-acct-section', 'aria-labelledby': 'ec-acct-history-title' },
			h('h3', { id: 'ec-acct-history-title', class: 'ec-panel-title', tabindex: '-1' }, tr('account.historyTitle')),
			items.length
				? h('ol', { id: 'ec-acct-history', class: 'ec-acct-history', 'aria-labelledby': 'ec-acct-history-title' }, items.map(historyItem))
				: h('p', { class: 'ec-muted' }, tr('account.historyEmpty')));
	}

	function historyItem(item) {
		const decided = item.status !== 'pending' && item.decidedBy;
		return h('li', { class: 'ec-acct-application', dataset: { id: String(item.id), status: String(item.status) } },
			h('p', { class: 'ec-history-head' },
				statusTag('application', item.status),
				h('span', { class: 'ec-acct-applied' }, tr('account.appliedBy', { name: personName(item.applicant) })),
				h('span', { class: 'ec-history-time' }, timeElement(item.submittedAt))),
			item.remark ? h('p', { class: 'ec-acct-line ec-acct-remark' }, h('span', { class: 'ec-muted' }, tr('account.remarkLabel')), item.remark) : null,
			decided ? h('p', { class: 'ec-acct-line ec-acct-decision' },
				h('span', { class: 'ec-acct-decider' }, tr(item.status === 'approved' ? 'account.approvedBy' : 'account.rejectedBy', { name: personName(item.decidedBy) })),
				' ', h('span', { class: 'ec-history-time' }, timeElement(item.decidedAt))) : null,
			item.status === 'rejected'
				? h('p', { class: 'ec-acct-line ec-acct-reason' }, h('span', { class: 'ec-muted' }, tr('account.reasonLabel')),
					item.comment ? item.comment : h('span', { class: 'ec-muted' }, tr('card.empty')))
				: null);
	}

	// ---- loading -------------------------------------------------------------------
	/** Asks GET /account again and re-renders; focus: 'panel' | an element id | null. */
	async function reload({ focus = null } = {}) {
		const generation = state.generation;
		try {
			const data = await ctx.api('GET', path('/account'));
			if (destroyed || generation !== state.generation) return false;
			state.data = data;
		} catch (error) {
			if (destroyed || generation !== state.generation || error.status === 401) return false;
			state.data = { error };
		}
		if (!state.data.account || state.data.account.status !== 'pending') state.link = null;
		if (state.rejecting && !(state.data.pendingApplication && String(state.data.pendingApplication.id) === String(state.rejecting.id))) state.rejecting = null;
		const keepError = tabError.textContent;
		render();
		tabError.textContent = keepError;
		focusAfter(focus);
		return true;
	}

	function focusAfter(focus) {
		if (!focus || panel.hidden) return;
		const target = focus === 'panel' ? panel : panel.querySelector(`#${focus}`);
		(target || panel.querySelector('#ec-acct-title') || panel).focus();
	}

	// ---- 申请开通 (R3.1) ----------------------------------------------------------------
	const applyError = h('p', { id: 'ec-apply-error', class: 'ec-form-error', role: 'alert' });
	const applyRemark = limitedText(tr, 'ec-apply-remark', tr('account.applyRemark'), tr('account.applyRemarkHint'), {
		onFixed: () => {
			if (applyError.textContent === tr('account.fixErrors')) applyError.textContent = '';
		},
	});
	const applyIntro = h('p', { id: 'ec-apply-intro', class: 'ec-form-intro' });
	const applySubmit = h('button', { type: 'submit', class: 'ec-button ec-button-primary', id: 'ec-apply-submit' }, tr('account.submit'));
	const applyCancel = h('button', { type: 'button', class: 'ec-button', id: 'ec-apply-cancel', onClick: () => closeApply() }, tr('account.cancel'));
	const applyForm = h('form', { class: 'ec-form', novalidate: true, 'aria-describedby': 'ec-apply-intro' },
		applyIntro, applyRemark.element, applyError, h('div', { class: 'ec-dialog-actions' }, applyCancel, applySubmit));
	const applyDialog = h('dialog', {
		id: 'ec-apply-dialog', class: 'ec-dialog ec-dialog-small', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'ec-apply-title',
	},
	h('div', { class: 'ec-dialog-head' },
		h('h2', { id: 'ec-apply-title', class: 'ec-dialog-title' }, tr('account.applyTitle')),
		h('button', { type: 'button', class: 'ec-icon-button', 'aria-label': tr('card.close'), onClick: () => closeApply() }, '×')),
	applyForm);
	host.append(applyDialog);
	let applying = false;

	function openApply() {
		if (applyDialog.open) return;
		applyRemark.reset();
		applyError.textContent = '';
		applyIntro.textContent = tr('account.applyIntro', { name: state.contactName });
		openModal(applyDialog);
		applyRemark.input.focus();
	}

	function closeApply({ focus = 'ec-acct-apply' } = {}) {
		if (applying) return;
		closeModal(applyDialog);
		if (focus) focusAfter(focus);
	}

	// Escape (the modal's cancel) closes it; focus goes back to 【申请开通】.
	applyDialog.addEventListener('cancel', (event) => {
		event.preventDefault();
		closeApply();
	});

	applyForm.addEventListener('submit', async (event) => {
		event.preventDefault();
		if (applying) return;
		applyError.textContent = '';
		const remark = applyRemark.check();
		if (remark === null) {
			applyError.textContent = tr('account.fixErrors');
			applyRemark.input.focus();
			return;
		}
		const generation = state.generation;
		applying = true;
		applySubmit.disabled = true;
		applySubmit.textContent = tr('account.submitting');
		applyForm.setAttribute('aria-busy', 'true');
		let created = null;
		let failure = null;
		try {
			created = await sendJson(ctx, 'POST', path('/applications'), { remark });
		} catch (error) {
			failure = error;
		} finally {
			applying = false;
			if (!destroyed) {
				applySubmit.disabled = false;
				applySubmit.textContent = tr('account.submit');
				applyForm.removeAttribute('aria-busy');
			}
		}
		if (destroyed || generation !== state.generation) return;
		if (failure) {
			if (failure.status === 401) return;
			if (failure.code === 'validation_failed' && failure.field === 'remark') {
				applyRemark.setError(errorText(failure, { fields: { remark: tr('account.remarkInvalid') } }));
				applyError.textContent = tr('account.fixErrors');
				applyRemark.input.focus();
				return;
			}
			applyError.textContent = refusalText(failure);
			// Someone applied meanwhile, or the contact got an account: the tab behind shows it.
			if (STALE.has(failure.code)) reload();
			return;
		}
		if (!created) return;
		closeApply({ focus: null });
		notify(tr('account.applied'));
		await reload({ focus: 'ec-acct-pending-title' });
		onChanged();
	});

	// ---- 同意 / 驳回 (R3.3) -----------------------------------------------------------
	async function decide(application, action, body) {
		if (state.busy) return { ok: false };
		const generation = state.generation;
		state.busy = true;
		tabError.textContent = '';
		for (const button of panel.querySelectorAll('.ec-acct-decide button, #ec-reject-form button')) button.disabled = true;
		try {
			const answer = await sendJson(ctx, 'POST', `${BASE}/applications/${encodeURIComponent(application.id)}/${action}`, body);
			return { ok: true, answer, generation };
		} catch (error) {
			return { ok: false, error, generation };
		} finally {
			state.busy = false;
			for (const button of panel.querySelectorAll('.ec-acct-decide button, #ec-reject-form button')) button.disabled = false;
		}
	}

	async function approve(application) {
		const result = await decide(application, 'approve', {});
		if (destroyed || result.generation !== state.generation) return;
		if (!result.ok) {
			if (!result.error || result.error.status === 401) return;
			await showRefusal(result.error, 'ec-acct-approve');
			return;
		}
		const login = result.answer && result.answer.account ? result.answer.account.login : '';
		notify(login ? tr('account.approvedLogin', { login }) : tr('account.approved'));
		await reload({ focus: 'ec-acct-title' });
		onChanged();
	}

	async function showRefusal(error, focusId) {
		const text = refusalText(error);
		if (STALE.has(error.code)) {
			tabError.textContent = text;
			await reload({ focus: 'ec-acct-title' });
			tabError.textContent = text;
		} else {
			tabError.textContent = text;
			focusAfter(focusId);
		}
	}

	const rejectError = h('p', { id: 'ec-reject-error', class: 'ec-form-error', role: 'alert' });
	const rejectReason = limitedText(tr, 'ec-reject-reason', tr('account.rejectReason'), null, {
		onFixed: () => {
			if (rejectError.textContent === tr('account.fixErrors')) rejectError.textContent = '';
		},
	});

	function startReject(application) {
		state.rejecting = { id: application.id };
		rejectReason.reset();
		rejectError.textContent = '';
		tabError.textContent = '';
		render();
		rejectReason.input.focus();
	}

	function stopReject() {
		if (state.busy) return;
		state.rejecting = null;
		render();
		focusAfter('ec-acct-reject');
	}

	function rejectForm(application) {
		const form = h('form', { id: 'ec-reject-form', class: 'ec-form ec-reject-form', novalidate: true, 'aria-labelledby': 'ec-reject-title' },
			h('p', { id: 'ec-reject-title', class: 'ec-reject-title' }, tr('account.rejectTitle')),
			rejectReason.element,
			rejectError,
			h('div', { class: 'ec-dialog-actions' },
				h('button', { type: 'button', class: 'ec-button', id: 'ec-reject-cancel', onClick: () => stopReject() }, tr('account.cancel')),
				h('button', { type: 'submit', class: 'ec-button ec-button-danger', id: 'ec-reject-confirm' }, tr('account.rejectConfirm'))));
		// Escape leaves the small form, not the card.
		form.addEventListener('keydown', (event) => {
			if (event.key !== 'Escape') return;
			event.preventDefault();
			event.stopPropagation();
			stopReject();
		});
		form.addEventListener('submit', async (event) => {
			event.preventDefault();
			rejectError.textContent = '';
			const reason = rejectReason.check();
			if (reason === null) {
				rejectError.textContent = tr('account.fixErrors');
				rejectReason.input.focus();
				return;
			}
			const result = await decide(application, 'reject', { reason });
			if (destroyed || result.generation !== state.generation) return;
			if (!result.ok) {
				if (!result.error || result.error.status === 401) return;
				if (result.error.code === 'validation_failed' && result.error.field === 'reason') {
					rejectReason.setError(errorText(result.error, { fields: { reason: tr('account.reasonInvalid') } }));
					rejectError.textContent = tr('account.fixErrors');
					rejectReason.input.focus();
					return;
				}
				if (STALE.has(result.error.code)) {
					state.rejecting = null;
					await showRefusal(result.error, 'ec-acct-title');
				} else {
					rejectError.textContent = refusalText(result.error);
					rejectReason.input.focus();
				}
				return;
			}
			state.rejecting = null;
			notify(tr('account.rejected'));
			await reload({ focus: 'ec-acct-history-title' });
			onChanged();
		});
		return form;
	}

	// ---- 获取激活链接 (R3.4) -------------------------------------------------------------
	async function fetchLink() {
		if (state.busy) return;
		const generation = state.generation;
		const button = panel.querySelector('#ec-acct-link-get');
		state.busy = true;
		tabError.textContent = '';
		if (button) button.disabled = true;
		let answer = null;
		let failure = null;
		try {
			answer = await sendJson(ctx, 'POST', path('/account/activation-link'), {});
		} catch (error) {
			failure = error;
		} finally {
			state.busy = false;
			if (button) button.disabled = false;
		}
		if (destroyed || generation !== state.generation) return;
		if (failure) {
			if (failure.status !== 401) await showRefusal(failure, 'ec-acct-link-get');
			return;
		}
		if (!answer) return;
		const relative = typeof answer.path === 'string' ? answer.path : '';
		const full = typeof answer.url === 'string' && answer.url ? answer.url : `${location.origin}${relative.startsWith('/') ? '' : '/'}${relative}`;
		const expires = typeof answer.expiresAt === 'number' ? answer.expiresAt : typeof answer.expiresAt === 'string' ? Date.parse(answer.expiresAt) : NaN;
		state.link = { full, expiresAt: Number.isFinite(expires) ? formatTime(expires) : null };
		copyStatus.textContent = '';
		render();
		notify(tr('account.linkReady'));
		const input = panel.querySelector('#ec-acct-link');
		if (input) input.focus();
		onChanged();
	}

	async function copyLink(input) {
		copyStatus.textContent = '';
		const text = input.value;
		try {
			if (!navigator.clipboard || typeof navigator.clipboard.writeText !== 'function') throw new Error('no clipboard');
			await navigator.clipboard.writeText(text);
			if (destroyed) return;
			copyStatus.textContent = tr('account.copied');
		} catch {
			if (destroyed) return;
			// No clipboard access (permission, insecure origin): select it for Ctrl+C.
			input.focus();
			input.select();
			copyStatus.textContent = tr('account.copyManual');
		}
	}

	return {
		/** Shows contact (its id and name) with data: GET /account's answer, {error} or null. */
		show(contact, data) {
			const same = contact && String(contact.id) === String(state.contactId);
			if (!same) {
				state.generation += 1;
				state.link = null;
				state.rejecting = null;
				state.busy = false;
				tabError.textContent = '';
			}
			state.contactId = contact ? contact.id : null;
			state.contactName = contact ? contact.name || '' : '';
			state.data = data;
			render();
		},
		/** The card closed or shows another contact: drop late answers and the dialog. */
		reset() {
			state.generation += 1;
			state.contactId = null;
			state.data = null;
			state.link = null;
			state.rejecting = null;
			state.busy = false;
			tabError.textContent = '';
			applying = false;
			closeModal(applyDialog);
			clear(panel);
		},
		destroy() {
			destroyed = true;
			closeModal(applyDialog);
			applyDialog.remove();
		},
	};
}
