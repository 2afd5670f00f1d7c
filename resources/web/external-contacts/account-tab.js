// The 账号信息 tab of the large contact card (SPEC R3, R6.4): the contact's
// account or 暂未开通账号, the pending application (同意 / 驳回 for approvers),
// the earlier applications, 【申请开通】 (a modal dialog with a remark) and, for an
// account waiting for activation, 【获取激活链接】 (a one-time link to copy).
// Admins and maintain-holders (`mayManage`) also manage the account directly:
// 【直接开通】, 【停用账号】 / 【启用账号】 and 【重置密码】, each but 启用 confirmed in a
// small alertdialog first; a reset shows its new one-time link as 获取激活链接 does.
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
// Direct account management (R6.4): the route of each action and the button that starts it.
const MANAGE = {
	assign: { route: '/account', button: 'ec-acct-assign' },
	disable: { route: '/account/disable', button: 'ec-acct-disable' },
	enable: { route: '/account/enable', button: 'ec-acct-enable' },
	reset: { route: '/account/reset', button: 'ec-acct-reset' },
};

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
	// retry: the management action (a MANAGE key) the tab offers 【重试】 for after a network failure.
	const state = { contactId: null, contactName: '', data: null, generation: 0, busy: false, link: null, rejecting: null, retry: null, actions: 0, reloads: 0 };

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
		case 'person_has_account': return tr('account.personHasAccount');
		default:
			if (error.status === 403) return tr('account.forbidden');
			if (error.status === 404) return tr('card.notFound');
			return errorText(error);
		}
	}
	const STALE = new Set(['already_decided', 'application_pending', 'account_exists', 'no_pending_account', 'no_account', 'person_has_account']);

	/** A refusal of a management action (kind: a MANAGE key) → the text to show. */
	function manageRefusalText(kind, error) {
		switch (error.code) {
		case 'account_exists': return tr('account.accountExists');
		case 'no_account': return tr('account.noAccount');
		case 'person_has_account': return tr('account.personHasAccount');
		case 'conflict':
			if (kind === 'reset') return tr('account.resetDisabled');
			break;
		default: break;
		}
		if (error.status === 403) return tr('account.manageForbidden');
		if (error.status === 404) return tr('card.notFound');
		return errorText(error);
	}

	/** Failures worth trying again as they are: no answer, busy or broken server. */
	const retryable = (error) => error.status === 0 || error.code === 'network' || error.status === 429 || error.status >= 500;

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
			tabError,
			state.retry ? h('button', { type: 'button', id: 'ec-acct-retry', class: 'ec-button ec-acct-retry', onClick: () => retryManage() }, tr('list.retry')) : null,
		].filter(Boolean));
	}

	function accountSection(account, pending, data) {
		// A manager is offered 直接开通 first; applying stays possible but secondary.
		const applyButton = data.mayApply
			? h('button', { type: 'button', id: 'ec-acct-apply', class: `ec-button${data.mayManage ? '' : ' ec-button-primary'}`, 'aria-haspopup': 'dialog', onClick: () => openApply() }, tr('account.apply'))
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
			if (account.status === 'disabled') {
				section.append(h('p', { class: 'ec-hint' }, tr('account.disabledHint'), data.mayManage ? ` ${tr('account.disabledResetHint')}` : null));
			}
		} else {
			section.append(h('div', { id: 'ec-acct-none', class: 'ec-empty ec-empty-small ec-acct-none' },
				h('p', { class: 'ec-empty-title' }, tr('account.emptyTitle')),
				h('p', { id: 'ec-acct-none-hint', class: 'ec-empty-hint' }, tr(pending ? 'account.noneWaiting'
					: data.personHasAccount ? 'account.personHasAccount'
						: data.mayApply ? 'account.noneHint' : 'account.noneNoApply'))));
		}
		if (applyButton || linkButton) section.append(h('div', { class: 'ec-card-actions ec-acct-actions' }, applyButton, linkButton));
		if (account && account.status === 'pending' && state.link) section.append(linkBox(state.link));
		if (data.mayManage) {
			const buttons = manageButtons(account, data);
			if (buttons.length) {
				section.append(h('div', {
					id: 'ec-acct-manage', class: 'ec-card-actions ec-acct-actions ec-acct-manage', role: 'group', 'aria-label': tr('account.manageGroup'),
				}, buttons));
			}
		}
		return section;
	}

	/** 直接开通 without an account (unless the person logs in with an account of their own
	 *  org: 从其他组织添加); 停用 or 启用 and (for an active one) 重置密码 with one. */
	function manageButtons(account, data) {
		const button = (kind, text, style, confirm) => h('button', {
			type: 'button', id: MANAGE[kind].button, class: `ec-button${style ? ` ${style}` : ''}`,
			'aria-haspopup': confirm ? 'dialog' : null, disabled: state.busy,
			onClick: () => (confirm ? askManage(kind) : runManage(kind)),
		}, text);
		if (!account) return data.personHasAccount ? [] : [button('assign', tr('account.assign'), 'ec-button-primary', true)];
		switch (account.status) {
		case 'pending': return [button('disable', tr('account.disable'), 'ec-button-danger', true)];
		case 'active': return [button('reset', tr('account.reset'), '', true), button('disable', tr('account.disable'), 'ec-button-danger', true)];
		case 'disabled': return [button('enable', tr('account.enable'), 'ec-button-primary', false)];
		default: return []; // creating: nothing to manage yet
		}
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
		// Only the newest answer is shown: an older one may describe the account before a later action.
		const mine = ++state.reloads;
		try {
			const data = await ctx.api('GET', path('/account'));
			if (destroyed || generation !== state.generation || mine !== state.reloads) return false;
			state.data = data;
		} catch (error) {
			if (destroyed || generation !== state.generation || mine !== state.reloads || error.status === 401) return false;
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

	/** Shows why an action was refused and reloads the tab; an action started meanwhile speaks instead. */
	async function explainAndReload(text) {
		const action = state.actions;
		tabError.textContent = text;
		await reload({ focus: 'ec-acct-title' });
		if (action === state.actions) tabError.textContent = text;
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
		state.actions += 1;
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
			await explainAndReload(text);
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
		state.actions += 1;
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
		showLink(answer, tr('account.linkReady'));
		onChanged();
	}

	/** Shows a one-time link answer ({path, url, expiresAt}) in the tab, says text, focuses the link. */
	function showLink(answer, text) {
		const relative = typeof answer.path === 'string' ? answer.path : '';
		const full = typeof answer.url === 'string' && answer.url ? answer.url : `${location.origin}${relative.startsWith('/') ? '' : '/'}${relative}`;
		const expires = typeof answer.expiresAt === 'number' ? answer.expiresAt : typeof answer.expiresAt === 'string' ? Date.parse(answer.expiresAt) : NaN;
		state.link = { full, expiresAt: Number.isFinite(expires) ? formatTime(expires) : null };
		copyStatus.textContent = '';
		render();
		notify(text);
		const input = panel.querySelector('#ec-acct-link');
		if (input) input.focus();
	}

	// ---- 直接开通 / 停用 / 启用 / 重置密码 (R6.4, admins and maintain-holders) -------------------
	// 开通, 停用 and 重置 are confirmed in a small alertdialog (focus on 取消 for the two that
	// take something away); 启用 runs at once. A network failure keeps the dialog open with
	// 【重试】 (or, for 启用, puts 【重试】 under the tab's error); a refusal closes it, is
	// explained in #ec-acct-error and the tab reloads.
	const confirmTitle = h('h2', { id: 'ec-acct-confirm-title', class: 'ec-dialog-title' });
	const confirmText = h('p', { id: 'ec-acct-confirm-text' });
	const confirmError = h('p', { id: 'ec-acct-confirm-error', class: 'ec-form-error', role: 'alert' });
	const confirmOk = h('button', { type: 'button', id: 'ec-acct-confirm-ok', class: 'ec-button' });
	const confirmCancel = h('button', { type: 'button', id: 'ec-acct-confirm-cancel', class: 'ec-button', onClick: () => closeConfirm() }, tr('account.cancel'));
	const confirmDialog = h('dialog', {
		id: 'ec-acct-confirm-dialog', class: 'ec-dialog ec-dialog-small', role: 'alertdialog', 'aria-modal': 'true',
		'aria-labelledby': 'ec-acct-confirm-title', 'aria-describedby': 'ec-acct-confirm-text',
	},
	h('div', { class: 'ec-dialog-head' }, confirmTitle),
	h('div', { class: 'ec-form' }, confirmText, confirmError, h('div', { class: 'ec-dialog-actions' }, confirmCancel, confirmOk)));
	host.append(confirmDialog);
	// The action the open dialog confirms (a MANAGE key), or null.
	let confirming = null;

	function confirmLabel(kind) {
		switch (kind) {
		case 'assign': return tr('account.assignConfirm');
		case 'disable': return tr('account.disableConfirm');
		default: return tr('account.resetConfirm');
		}
	}

	function askManage(kind) {
		if (state.busy || confirmDialog.open) return;
		const data = state.data || {};
		const account = data.account || {};
		const pending = data.pendingApplication || null;
		const name = state.contactName;
		const login = account.login || '';
		confirming = kind;
		if (kind === 'assign') {
			confirmTitle.textContent = tr('account.assignTitle');
			confirmText.textContent = pending
				? `${tr('account.assignText', { name })} ${tr('account.assignPendingText', { applicant: personName(pending.applicant) })}`
				: tr('account.assignText', { name });
		} else if (kind === 'disable') {
			confirmTitle.textContent = tr('account.disableTitle');
			confirmText.textContent = tr('account.disableText', { name, login });
		} else {
			confirmTitle.textContent = tr('account.resetTitle');
			confirmText.textContent = tr('account.resetText', { name, login });
		}
		confirmError.textContent = '';
		confirmOk.textContent = confirmLabel(kind);
		confirmOk.className = `ec-button ${kind === 'assign' ? 'ec-button-primary' : 'ec-button-danger'}`;
		confirmOk.disabled = false;
		openModal(confirmDialog);
		(kind === 'assign' ? confirmOk : confirmCancel).focus();
	}

	function closeConfirm({ focus = true } = {}) {
		if (state.busy && confirming) return;
		const kind = confirming;
		confirming = null;
		closeModal(confirmDialog);
		if (focus && kind) focusAfter(MANAGE[kind].button);
	}

	// Escape (the modal's cancel) closes it; focus goes back to the button that opened it.
	confirmDialog.addEventListener('cancel', (event) => {
		event.preventDefault();
		closeConfirm();
	});

	confirmOk.addEventListener('click', () => {
		if (confirming) runManage(confirming);
	});

	function retryManage() {
		const kind = state.retry;
		if (kind) runManage(kind);
	}

	function setManageBusy(busy) {
		for (const button of panel.querySelectorAll('#ec-acct-manage button, #ec-acct-retry')) button.disabled = busy;
		confirmOk.disabled = busy;
		confirmCancel.disabled = busy;
		if (busy) confirmDialog.setAttribute('aria-busy', 'true');
		else confirmDialog.removeAttribute('aria-busy');
	}

	/** Sends the action kind; the dialog, when open, belongs to it. */
	async function runManage(kind) {
		if (state.busy) return;
		const generation = state.generation;
		const inDialog = confirmDialog.open && confirming === kind;
		state.busy = true;
		state.retry = null;
		state.actions += 1;
		tabError.textContent = '';
		confirmError.textContent = '';
		const retryButton = panel.querySelector('#ec-acct-retry');
		if (retryButton) retryButton.remove();
		setManageBusy(true);
		if (inDialog) confirmOk.textContent = tr('account.working');
		let answer = null;
		let failure = null;
		try {
			answer = await sendJson(ctx, 'POST', path(MANAGE[kind].route), {});
		} catch (error) {
			failure = error;
		} finally {
			state.busy = false;
			if (!destroyed) setManageBusy(false);
		}
		if (destroyed || generation !== state.generation) return;
		if (failure) {
			if (failure.status === 401) {
				closeConfirm({ focus: false });
				return;
			}
			const text = manageRefusalText(kind, failure);
			if (retryable(failure)) {
				if (inDialog && confirmDialog.open) {
					confirmError.textContent = text;
					confirmOk.textContent = tr('list.retry');
					confirmOk.focus();
				} else {
					state.retry = kind;
					render();
					tabError.textContent = text;
					focusAfter('ec-acct-retry');
				}
				return;
			}
			// Refused: someone changed the account (409), the right went (403) or the contact (404).
			closeConfirm({ focus: false });
			await explainAndReload(text);
			return;
		}
		closeConfirm({ focus: false });
		await manageDone(kind, answer || {});
		onChanged();
	}

	async function manageDone(kind, answer) {
		const data = state.data || {};
		const account = data.account || {};
		if (kind === 'assign') {
			const login = answer.account && answer.account.login ? answer.account.login : '';
			notify(tr(data.pendingApplication ? 'account.assignedApproved' : 'account.assigned', { login }));
			await reload({ focus: 'ec-acct-link-get' });
			return;
		}
		if (kind === 'reset') {
			// The password is gone and the account waits for activation with this link.
			state.data = { ...data, account: { ...account, status: 'pending' } };
			showLink(answer, tr('account.resetDone'));
			return;
		}
		const status = typeof answer.status === 'string' && answer.status ? answer.status : kind === 'disable' ? 'disabled' : 'active';
		state.data = { ...data, account: { ...account, status } };
		if (status !== 'pending') state.link = null;
		render();
		if (kind === 'disable') {
			notify(tr('account.disabledDone'));
			focusAfter('ec-acct-enable');
		} else {
			notify(tr(status === 'pending' ? 'account.enabledPending' : 'account.enabledDone'));
			focusAfter(status === 'active' ? 'ec-acct-reset' : 'ec-acct-disable');
		}
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
				state.retry = null;
				state.busy = false;
				tabError.textContent = '';
				confirming = null;
				closeModal(confirmDialog);
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
			state.retry = null;
			state.busy = false;
			tabError.textContent = '';
			applying = false;
			closeModal(applyDialog);
			confirming = null;
			closeModal(confirmDialog);
			clear(panel);
		},
		destroy() {
			destroyed = true;
			closeModal(applyDialog);
			applyDialog.remove();
			closeModal(confirmDialog);
			confirmDialog.remove();
		},
	};
}
