// The 账号信息 tab of the large contact card (SPEC R3, R6.4): the contact's
// account or 暂未开通账号, the pending application (同意 / 驳回 for approvers,
// account-decide.js), the earlier applications, 【申请开通】 (a modal dialog with a
// remark, account-apply.js) and, for an account waiting for activation,
// 【获取激活链接】 (a one-time link to copy). Admins and maintain-holders (`mayManage`)
// also manage the account directly (account-manage.js): 【直接开通】, 【停用账号】 /
// 【启用账号】 and 【重置密码】; a reset shows its new one-time link as 获取激活链接 does.
//
// GET /contacts/{id}/account is asked by the card together with its other routes
// (contact-card.js); the tab asks it again after each of its own actions. This module
// renders the tab and hands its parts one context (`tab`).
import { h, clear } from './dom.js';
import { request, contactPath } from './api.js';
import { memberLabel, timeValue } from './format.js';
import { createApplyDialog } from './account-apply.js';
import { createDecisions } from './account-decide.js';
import { createAccountManagement } from './account-manage.js';

const ACCOUNT_STATUSES = ['creating', 'pending', 'active', 'disabled'];
const APPLICATION_STATUSES = ['pending', 'approved', 'rejected'];
// Refusals that mean the tab shows an old state: it reloads.
const STALE = new Set(['already_decided', 'application_pending', 'account_exists', 'no_pending_account', 'no_account', 'person_has_account']);

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

	// The context of the tab's parts (申请开通, 同意 / 驳回, direct management).
	const tab = {
		ctx, tr, errorText, host, panel, state, tabError, notify, onChanged,
		isDestroyed: () => destroyed,
		path: (suffix = '') => contactPath(state.contactId, suffix),
		isStale: (error) => STALE.has(error.code),
		personName, refusalText, render, reload, focusAfter, explainAndReload, showRefusal, showLink,
	};
	const apply = createApplyDialog(tab);
	const decisions = createDecisions(tab);
	const manage = createAccountManagement(tab);

	function statusTag(kind, status) {
		const known = kind === 'account' ? ACCOUNT_STATUSES : APPLICATION_STATUSES;
		const text = known.includes(status) ? tr(`account.${kind}Status.${status}`) : String(status || '');
		return h('span', { class: `ec-status-tag ec-status-${status}`, dataset: { status } }, text);
	}

	function personName(person) {
		return person ? memberLabel(person) : tr('history.unknownActor');
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
			state.retry ? h('button', { type: 'button', id: 'ec-acct-retry', class: 'ec-button ec-acct-retry', onClick: () => manage.retry() }, tr('list.retry')) : null,
		].filter(Boolean));
	}

	function accountSection(account, pending, data) {
		// A manager is offered 直接开通 first; applying stays possible but secondary.
		const applyButton = data.mayApply
			? h('button', { type: 'button', id: 'ec-acct-apply', class: `ec-button${data.mayManage ? '' : ' ec-button-primary'}`, 'aria-haspopup': 'dialog', onClick: () => apply.open() }, tr('account.apply'))
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
			const buttons = manage.buttons(account, data);
			if (buttons.length) {
				section.append(h('div', {
					id: 'ec-acct-manage', class: 'ec-card-actions ec-acct-actions ec-acct-manage', role: 'group', 'aria-label': tr('account.manageGroup'),
				}, buttons));
			}
		}
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
		const ms = timeValue(value);
		if (!Number.isFinite(ms)) return tr('card.empty');
		return h('time', { datetime: new Date(ms).toISOString() }, formatTime(ms));
	}

	function pendingSection(pending, data) {
		const section = h('section', { id: 'ec-acct-pending', class: 'ec-acct-section ec-acct-pending', 'aria-labelledby': 'ec-acct-pending-title', dataset: { id: String(pending.id) } },
			h('h3', { id: 'ec-acct-pending-title', class: 'ec-panel-title', tabindex: '-1' }, tr('account.pendingTitle'), ' ', statusTag('application', 'pending')),
			applicationMeta(pending));
		if (data.mayDecide) {
			const rejecting = state.rejecting && String(state.rejecting.id) === String(pending.id);
			section.append(rejecting ? decisions.form(pending) : decisions.buttons(pending));
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
			const data = await request(ctx, 'GET', tab.path('/account'));
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

	/** A refusal: a stale tab is explained and reloaded, else the text shows and focus goes to focusId. */
	async function showRefusal(error, focusId) {
		const text = refusalText(error);
		if (STALE.has(error.code)) {
			await explainAndReload(text);
		} else {
			tabError.textContent = text;
			focusAfter(focusId);
		}
	}

	function focusAfter(focus) {
		if (!focus || panel.hidden) return;
		const target = focus === 'panel' ? panel : panel.querySelector(`#${focus}`);
		(target || panel.querySelector('#ec-acct-title') || panel).focus();
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
			answer = await request(ctx, 'POST', tab.path('/account/activation-link'), {});
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
		const expires = timeValue(answer.expiresAt);
		state.link = { full, expiresAt: Number.isFinite(expires) ? formatTime(expires) : null };
		copyStatus.textContent = '';
		render();
		notify(text);
		const input = panel.querySelector('#ec-acct-link');
		if (input) input.focus();
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
				manage.reset();
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
			apply.reset();
			manage.reset();
			clear(panel);
		},
		destroy() {
			destroyed = true;
			apply.destroy();
			manage.destroy();
		},
	};
}
