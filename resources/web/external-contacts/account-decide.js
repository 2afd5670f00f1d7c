// 同意 / 驳回 of the 账号信息 tab (R3.3): an approver decides the pending application;
// 驳回 opens a small form for the reason (Escape leaves the form, not the card). A
// refusal that means the tab is stale (already_decided names who decided) reloads it.
import { h } from './dom.js';
import { request, BASE } from './api.js';
import { limitedText } from './limited-text.js';

/** tab: the 账号信息 tab's context (account-tab.js). Returns { buttons(pending), form(pending) }. */
export function createDecisions(tab) {
	const { ctx, tr, errorText, panel, state } = tab;
	const busyButtons = () => panel.querySelectorAll('.ec-acct-decide button, #ec-reject-form button');

	async function decide(application, action, body) {
		if (state.busy) return { ok: false };
		const generation = state.generation;
		state.busy = true;
		state.actions += 1;
		tab.tabError.textContent = '';
		for (const button of busyButtons()) button.disabled = true;
		try {
			const answer = await request(ctx, 'POST', `${BASE}/applications/${encodeURIComponent(application.id)}/${action}`, body);
			return { ok: true, answer, generation };
		} catch (error) {
			return { ok: false, error, generation };
		} finally {
			state.busy = false;
			for (const button of busyButtons()) button.disabled = false;
		}
	}

	async function approve(application) {
		const result = await decide(application, 'approve', {});
		if (tab.isDestroyed() || result.generation !== state.generation) return;
		if (!result.ok) {
			if (!result.error || result.error.status === 401) return;
			await tab.showRefusal(result.error, 'ec-acct-approve');
			return;
		}
		const login = result.answer && result.answer.account ? result.answer.account.login : '';
		tab.notify(login ? tr('account.approvedLogin', { login }) : tr('account.approved'));
		await tab.reload({ focus: 'ec-acct-title' });
		tab.onChanged();
	}

	/** 同意 and 驳回 for the pending application. */
	function buttons(pending) {
		return h('div', { class: 'ec-card-actions ec-acct-decide' },
			h('button', { type: 'button', id: 'ec-acct-approve', class: 'ec-button ec-button-primary', onClick: () => approve(pending) }, tr('account.approve')),
			h('button', { type: 'button', id: 'ec-acct-reject', class: 'ec-button ec-button-danger', 'aria-expanded': 'false', 'aria-controls': 'ec-reject-form', onClick: () => startReject(pending) }, tr('account.reject')));
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
		tab.tabError.textContent = '';
		tab.render();
		rejectReason.input.focus();
	}

	function stopReject() {
		if (state.busy) return;
		state.rejecting = null;
		tab.render();
		tab.focusAfter('ec-acct-reject');
	}

	async function showRejectRefusal(error) {
		if (error.code === 'validation_failed' && error.field === 'reason') {
			rejectReason.setError(errorText(error, { fields: { reason: tr('account.reasonInvalid') } }));
			rejectError.textContent = tr('account.fixErrors');
			rejectReason.input.focus();
		} else if (tab.isStale(error)) {
			state.rejecting = null;
			await tab.showRefusal(error, 'ec-acct-title');
		} else {
			rejectError.textContent = tab.refusalText(error);
			rejectReason.input.focus();
		}
	}

	/** The reason form of 驳回 for application. */
	function form(application) {
		const element = h('form', { id: 'ec-reject-form', class: 'ec-form ec-reject-form', novalidate: true, 'aria-labelledby': 'ec-reject-title' },
			h('p', { id: 'ec-reject-title', class: 'ec-reject-title' }, tr('account.rejectTitle')),
			rejectReason.element,
			rejectError,
			h('div', { class: 'ec-dialog-actions' },
				h('button', { type: 'button', class: 'ec-button', id: 'ec-reject-cancel', onClick: () => stopReject() }, tr('account.cancel')),
				h('button', { type: 'submit', class: 'ec-button ec-button-danger', id: 'ec-reject-confirm' }, tr('account.rejectConfirm'))));
		// Escape leaves the small form, not the card.
		element.addEventListener('keydown', (event) => {
			if (event.key !== 'Escape') return;
			event.preventDefault();
			event.stopPropagation();
			stopReject();
		});
		element.addEventListener('submit', async (event) => {
			event.preventDefault();
			rejectError.textContent = '';
			const reason = rejectReason.check();
			if (reason === null) {
				rejectError.textContent = tr('account.fixErrors');
				rejectReason.input.focus();
				return;
			}
			const result = await decide(application, 'reject', { reason });
			if (tab.isDestroyed() || result.generation !== state.generation) return;
			if (!result.ok) {
				if (result.error && result.error.status !== 401) await showRejectRefusal(result.error);
				return;
			}
			state.rejecting = null;
			tab.notify(tr('account.rejected'));
			await tab.reload({ focus: 'ec-acct-history-title' });
			tab.onChanged();
		});
		return element;
	}

	return { buttons, form };
}
