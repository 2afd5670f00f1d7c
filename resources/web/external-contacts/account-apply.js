// 【申请开通】 of the 账号信息 tab (R3.1): a modal dialog with a remark (at most 500
// characters); a refusal is explained in the dialog, and when the tab behind is stale
// (someone applied meanwhile, the contact got an account) the tab reloads.
import { h, openModal, closeModal } from './dom.js';
import { request } from './api.js';
import { limitedText } from './limited-text.js';

/** tab: the 账号信息 tab's context (account-tab.js). Returns { open(), close(), reset(), destroy() }. */
export function createApplyDialog(tab) {
	const { ctx, tr, errorText, host, state } = tab;
	const applyError = h('p', { id: 'ec-apply-error', class: 'ec-form-error', role: 'alert' });
	const applyRemark = limitedText(tr, 'ec-apply-remark', tr('account.applyRemark'), tr('account.applyRemarkHint'), {
		onFixed: () => {
			if (applyError.textContent === tr('account.fixErrors')) applyError.textContent = '';
		},
	});
	const applyIntro = h('p', { id: 'ec-apply-intro', class: 'ec-form-intro' });
	const applySubmit = h('button', { type: 'submit', class: 'ec-button ec-button-primary', id: 'ec-apply-submit' }, tr('account.submit'));
	const applyCancel = h('button', { type: 'button', class: 'ec-button', id: 'ec-apply-cancel', onClick: () => close() }, tr('account.cancel'));
	const applyForm = h('form', { class: 'ec-form', novalidate: true, 'aria-describedby': 'ec-apply-intro' },
		applyIntro, applyRemark.element, applyError, h('div', { class: 'ec-dialog-actions' }, applyCancel, applySubmit));
	const applyDialog = h('dialog', {
		id: 'ec-apply-dialog', class: 'ec-dialog ec-dialog-small', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'ec-apply-title',
	},
	h('div', { class: 'ec-dialog-head' },
		h('h2', { id: 'ec-apply-title', class: 'ec-dialog-title' }, tr('account.applyTitle')),
		h('button', { type: 'button', class: 'ec-icon-button', 'aria-label': tr('card.close'), onClick: () => close() }, '×')),
	applyForm);
	host.append(applyDialog);
	let applying = false;

	function open() {
		if (applyDialog.open) return;
		applyRemark.reset();
		applyError.textContent = '';
		applyIntro.textContent = tr('account.applyIntro', { name: state.contactName });
		openModal(applyDialog);
		applyRemark.input.focus();
	}

	function close({ focus = 'ec-acct-apply' } = {}) {
		if (applying) return;
		closeModal(applyDialog);
		if (focus) tab.focusAfter(focus);
	}

	// Escape (the modal's cancel) closes it; focus goes back to 【申请开通】.
	applyDialog.addEventListener('cancel', (event) => {
		event.preventDefault();
		close();
	});

	function setApplying(busy) {
		applying = busy;
		if (tab.isDestroyed()) return;
		applySubmit.disabled = busy;
		applySubmit.textContent = tr(busy ? 'account.submitting' : 'account.submit');
		if (busy) applyForm.setAttribute('aria-busy', 'true');
		else applyForm.removeAttribute('aria-busy');
	}

	function showFailure(failure) {
		if (failure.code === 'validation_failed' && failure.field === 'remark') {
			applyRemark.setError(errorText(failure, { fields: { remark: tr('account.remarkInvalid') } }));
			applyError.textContent = tr('account.fixErrors');
			applyRemark.input.focus();
			return;
		}
		applyError.textContent = tab.refusalText(failure);
		// Someone applied meanwhile, or the contact got an account: the tab behind shows it.
		if (tab.isStale(failure)) tab.reload();
	}

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
		setApplying(true);
		let created = null;
		let failure = null;
		try {
			created = await request(ctx, 'POST', tab.path('/applications'), { remark });
		} catch (error) {
			failure = error;
		} finally {
			setApplying(false);
		}
		if (tab.isDestroyed() || generation !== state.generation) return;
		if (failure) {
			if (failure.status !== 401) showFailure(failure);
			return;
		}
		if (!created) return;
		close({ focus: null });
		tab.notify(tr('account.applied'));
		await tab.reload({ focus: 'ec-acct-pending-title' });
		tab.onChanged();
	});

	return {
		open,
		/** The tab shows another contact or none: the dialog goes. */
		reset() {
			applying = false;
			closeModal(applyDialog);
		},
		destroy() {
			closeModal(applyDialog);
			applyDialog.remove();
		},
	};
}
