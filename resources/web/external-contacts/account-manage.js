// 直接开通 / 停用 / 启用 / 重置密码 of the 账号信息 tab (R6.4, admins and maintain-holders).
// 开通, 停用 and 重置 are confirmed in a small alertdialog (focus on 取消 for the two that
// take something away); 启用 runs at once. A network failure keeps the dialog open with
// 【重试】 (or, for 启用, puts 【重试】 under the tab's error); a refusal closes it, is
// explained in #ec-acct-error and the tab reloads.
import { h, openModal, closeModal } from './dom.js';
import { request } from './api.js';

// The route of each action and the button that starts it.
const MANAGE = {
	assign: { route: '/account', button: 'ec-acct-assign' },
	disable: { route: '/account/disable', button: 'ec-acct-disable' },
	enable: { route: '/account/enable', button: 'ec-acct-enable' },
	reset: { route: '/account/reset', button: 'ec-acct-reset' },
};

/** Failures worth trying again as they are: no answer, busy or broken server. */
const retryable = (error) => error.status === 0 || error.code === 'network' || error.status === 429 || error.status >= 500;

/** tab: the 账号信息 tab's context (account-tab.js). */
export function createAccountManagement(tab) {
	const { ctx, tr, errorText, host, panel, state } = tab;

	/** A refusal of a management action (kind: a MANAGE key) → the text to show. */
	function refusalText(kind, error) {
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

	/** 直接开通 without an account (unless the person logs in with an account of their own
	 *  org: 从其他组织添加); 停用 or 启用 and (for an active one) 重置密码 with one. */
	function buttons(account, data) {
		const button = (kind, text, style, confirm) => h('button', {
			type: 'button', id: MANAGE[kind].button, class: `ec-button${style ? ` ${style}` : ''}`,
			'aria-haspopup': confirm ? 'dialog' : null, disabled: state.busy,
			onClick: () => (confirm ? ask(kind) : run(kind)),
		}, text);
		if (!account) return data.personHasAccount ? [] : [button('assign', tr('account.assign'), 'ec-button-primary', true)];
		switch (account.status) {
		case 'pending': return [button('disable', tr('account.disable'), 'ec-button-danger', true)];
		case 'active': return [button('reset', tr('account.reset'), '', true), button('disable', tr('account.disable'), 'ec-button-danger', true)];
		case 'disabled': return [button('enable', tr('account.enable'), 'ec-button-primary', false)];
		default: return []; // creating: nothing to manage yet
		}
	}

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

	function ask(kind) {
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
				? `${tr('account.assignText', { name })} ${tr('account.assignPendingText', { applicant: tab.personName(pending.applicant) })}`
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
		if (focus && kind) tab.focusAfter(MANAGE[kind].button);
	}

	// Escape (the modal's cancel) closes it; focus goes back to the button that opened it.
	confirmDialog.addEventListener('cancel', (event) => {
		event.preventDefault();
		closeConfirm();
	});

	confirmOk.addEventListener('click', () => {
		if (confirming) run(confirming);
	});

	function setBusy(busy) {
		for (const button of panel.querySelectorAll('#ec-acct-manage button, #ec-acct-retry')) button.disabled = busy;
		confirmOk.disabled = busy;
		confirmCancel.disabled = busy;
		if (busy) confirmDialog.setAttribute('aria-busy', 'true');
		else confirmDialog.removeAttribute('aria-busy');
	}

	/** A network failure of kind: 【重试】 in the dialog when it is open, else under the tab's error. */
	function offerRetry(kind, text, inDialog) {
		if (inDialog && confirmDialog.open) {
			confirmError.textContent = text;
			confirmOk.textContent = tr('list.retry');
			confirmOk.focus();
		} else {
			state.retry = kind;
			tab.render();
			tab.tabError.textContent = text;
			tab.focusAfter('ec-acct-retry');
		}
	}

	/** Sends the action kind; the dialog, when open, belongs to it. */
	async function run(kind) {
		if (state.busy) return;
		const generation = state.generation;
		const inDialog = confirmDialog.open && confirming === kind;
		state.busy = true;
		state.retry = null;
		state.actions += 1;
		tab.tabError.textContent = '';
		confirmError.textContent = '';
		const retryButton = panel.querySelector('#ec-acct-retry');
		if (retryButton) retryButton.remove();
		setBusy(true);
		if (inDialog) confirmOk.textContent = tr('account.working');
		let answer = null;
		let failure = null;
		try {
			answer = await request(ctx, 'POST', tab.path(MANAGE[kind].route), {});
		} catch (error) {
			failure = error;
		} finally {
			state.busy = false;
			if (!tab.isDestroyed()) setBusy(false);
		}
		if (tab.isDestroyed() || generation !== state.generation) return;
		if (failure) {
			if (failure.status === 401) {
				closeConfirm({ focus: false });
				return;
			}
			const text = refusalText(kind, failure);
			if (retryable(failure)) {
				offerRetry(kind, text, inDialog);
				return;
			}
			// Refused: someone changed the account (409), the right went (403) or the contact (404).
			closeConfirm({ focus: false });
			await tab.explainAndReload(text);
			return;
		}
		closeConfirm({ focus: false });
		await done(kind, answer || {});
		tab.onChanged();
	}

	async function done(kind, answer) {
		const data = state.data || {};
		const account = data.account || {};
		if (kind === 'assign') {
			const login = answer.account && answer.account.login ? answer.account.login : '';
			tab.notify(tr(data.pendingApplication ? 'account.assignedApproved' : 'account.assigned', { login }));
			await tab.reload({ focus: 'ec-acct-link-get' });
			return;
		}
		if (kind === 'reset') {
			// The password is gone and the account waits for activation with this link.
			state.data = { ...data, account: { ...account, status: 'pending' } };
			tab.showLink(answer, tr('account.resetDone'));
			return;
		}
		const status = typeof answer.status === 'string' && answer.status ? answer.status : kind === 'disable' ? 'disabled' : 'active';
		state.data = { ...data, account: { ...account, status } };
		if (status !== 'pending') state.link = null;
		tab.render();
		if (kind === 'disable') {
			tab.notify(tr('account.disabledDone'));
			tab.focusAfter('ec-acct-enable');
		} else {
			tab.notify(tr(status === 'pending' ? 'account.enabledPending' : 'account.enabledDone'));
			tab.focusAfter(status === 'active' ? 'ec-acct-reset' : 'ec-acct-disable');
		}
	}

	return {
		buttons,
		/** 【重试】 under the tab's error: the action that failed on the network. */
		retry() {
			if (state.retry) run(state.retry);
		},
		/** The tab shows another contact or none: the dialog goes. */
		reset() {
			confirming = null;
			closeModal(confirmDialog);
		},
		destroy() {
			closeModal(confirmDialog);
			confirmDialog.remove();
		},
	};
}
