// The modal plumbing 邀请微信好友 (invite-dialog.js) and 从其他组织添加
// (org-request-dialog.js) share: the accessible <dialog> with its head, error and
// notice lines, focus kept inside, Escape, focus given back to the opener; the small
// alertdialog that confirms a step; field errors and the 429 texts.
import { h, openModal, closeModal } from './dom.js';

/** The focusable elements of a dialog, in order, that can take focus now. */
export function focusables(root) {
	return [...root.querySelectorAll('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])')]
		.filter((el) => !el.disabled && !el.hidden && el.getClientRects().length > 0);
}

/** Keeps Tab / Shift+Tab inside the dialog (the modal makes the page inert; this also keeps it off the browser's chrome). */
export function trapFocus(dialog) {
	dialog.addEventListener('keydown', (event) => {
		if (event.key !== 'Tab') return;
		const items = focusables(dialog);
		if (!items.length) {
			event.preventDefault();
			return;
		}
		const first = items[0];
		const last = items[items.length - 1];
		const active = document.activeElement;
		if (event.shiftKey && (active === first || !dialog.contains(active))) {
			event.preventDefault();
			last.focus();
		} else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
			event.preventDefault();
			first.focus();
		}
	});
}

/** Shows (or clears, with '') a field's error line and its aria-invalid. */
export function setFieldError(input, errorEl, text) {
	errorEl.textContent = text || '';
	if (text) input.setAttribute('aria-invalid', 'true');
	else input.removeAttribute('aria-invalid');
}

/** The seconds a 429 asks to wait (body.retryAfterSeconds, else Retry-After), or null. */
export function retrySeconds(error) {
	const body = error && error.body && typeof error.body === 'object' ? error.body : {};
	const fromBody = Number(body.retryAfterSeconds);
	if (Number.isFinite(fromBody) && fromBody > 0) return Math.ceil(fromBody);
	return Number.isInteger(error.retryAfter) && error.retryAfter > 0 ? error.retryAfter : null;
}

/**
 * A 429 → `${prefix}.rateLimited`, `…Seconds` ({seconds}) or `…Minutes` ({minutes} and
 * what minutesParams(seconds) adds).
 */
export function rateLimitText(tr, prefix, error, minutesParams = () => ({})) {
	const seconds = retrySeconds(error);
	if (!seconds) return tr(`${prefix}.rateLimited`);
	if (seconds < 60) return tr(`${prefix}.rateLimitedSeconds`, { seconds });
	return tr(`${prefix}.rateLimitedMinutes`, { minutes: Math.ceil(seconds / 60), ...minutesParams(seconds) });
}

/**
 * The dialog #${prefix}-dialog (role dialog, aria-modal, labelled by #${prefix}-title)
 * in host: a head with the title (h2, focusable by script) and #${prefix}-close (×,
 * closeLabel), then .${prefix}-body with #${prefix}-error (alert), #${prefix}-notice
 * (polite status) and content. The × and Escape call close(); a close that skipped
 * them calls onClosed() and gives focus back to returnFocus() only if it was lost.
 * Confirmations made with it as parent close and go with it.
 * → { dialog, title, mainError, notice, hide({focus}), destroy() }.
 */
export function createModal({ host, prefix, title, closeLabel, content, close, onClosed, returnFocus }) {
	let destroyed = false;
	const children = [];
	const mainError = h('p', { id: `${prefix}-error`, class: 'ec-form-error', role: 'alert' });
	const notice = h('p', { id: `${prefix}-notice`, class: 'ec-notice', role: 'status', 'aria-live': 'polite' });
	const closeButton = h('button', { type: 'button', id: `${prefix}-close`, class: 'ec-icon-button', 'aria-label': closeLabel, onClick: () => close() }, '×');
	const titleEl = h('h2', { id: `${prefix}-title`, class: 'ec-dialog-title', tabindex: '-1' }, title);
	const dialog = h('dialog', {
		id: `${prefix}-dialog`, class: `ec-dialog ${prefix}-dialog`, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': `${prefix}-title`,
	},
	h('div', { class: 'ec-dialog-head' }, titleEl, closeButton),
	h('div', { class: `ec-form ${prefix}-body` }, mainError, notice, content));
	host.append(dialog);
	trapFocus(dialog);

	function restoreFocus() {
		const target = typeof returnFocus === 'function' ? returnFocus() : null;
		if (!destroyed && target && document.contains(target)) target.focus();
	}

	// Escape (the modal's cancel) closes it; focus goes back to the opener.
	dialog.addEventListener('cancel', (event) => {
		event.preventDefault();
		close();
	});
	// A close that skipped 'cancel': put focus back only if it was lost.
	dialog.addEventListener('close', () => {
		onClosed();
		const active = document.activeElement;
		if (!active || active === document.body || dialog.contains(active)) restoreFocus();
	});

	return {
		dialog,
		title: titleEl,
		mainError,
		notice,
		/** createConfirm's: a confirmation that closes and goes with this dialog. */
		adopt(child) {
			children.push(child);
		},
		/** Closes the confirmations and the dialog; focus goes back to returnFocus() (unless focus is false). */
		hide({ focus = true } = {}) {
			for (const child of children) child.dismiss();
			closeModal(dialog);
			if (focus) restoreFocus();
		},
		destroy() {
			destroyed = true;
			for (const child of children) closeModal(child.dialog);
			closeModal(dialog);
			for (const child of children) child.dialog.remove();
			dialog.remove();
		},
	};
}

/**
 * The small alertdialog #${prefix}-confirm in host that confirms a step: title, text
 * (its description), an error line (alert), 取消-like #${prefix}-confirm-cancel then the
 * danger #${prefix}-confirm-ok (onOk()). ask(pending) opens it with focus on cancel
 * (unless busy or open); close() puts focus back on pending.opener while parent (a
 * createModal) is open; Escape is close(); neither closes it while busy. dismiss()
 * closes it as it is; stays(failure, text) keeps it open with text after a step that
 * did nothing (network, 429, 5xx).
 */
export function createConfirm({ host, prefix, title, ok, cancel, onOk, isBusy, parent }) {
	const id = `${prefix}-confirm`;
	const titleEl = h('h2', { id: `${id}-title`, class: 'ec-dialog-title' }, title);
	const text = h('p', { id: `${id}-text` });
	const error = h('p', { id: `${id}-error`, class: 'ec-form-error', role: 'alert' });
	const okButton = h('button', { type: 'button', id: `${id}-ok`, class: 'ec-button ec-button-danger', onClick: () => onOk() }, ok);
	const cancelButton = h('button', { type: 'button', id: `${id}-cancel`, class: 'ec-button', onClick: () => close() }, cancel);
	const dialog = h('dialog', {
		id, class: 'ec-dialog ec-dialog-small', role: 'alertdialog', 'aria-modal': 'true',
		'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-text`,
	},
	h('div', { class: 'ec-dialog-head' }, titleEl),
	h('div', { class: 'ec-form' }, text, error, h('div', { class: 'ec-dialog-actions' }, cancelButton, okButton)));
	host.append(dialog);
	trapFocus(dialog);

	let pending = null;

	/** Opens for pending ({opener, …}) with the texts given; false when busy or already open. */
	function ask(next, texts = {}) {
		if (isBusy() || dialog.open) return false;
		pending = next;
		if (texts.title !== undefined) titleEl.textContent = texts.title;
		if (texts.text !== undefined) text.textContent = texts.text;
		if (texts.ok !== undefined) okButton.textContent = texts.ok;
		error.textContent = '';
		openModal(dialog);
		cancelButton.focus();
		return true;
	}

	function close({ focus = true } = {}) {
		if (isBusy() && dialog.open) return;
		const was = pending;
		pending = null;
		closeModal(dialog);
		if (focus && was && was.opener && document.contains(was.opener) && parent.dialog.open) was.opener.focus();
	}

	/** Nothing happened (network, 429, 5xx): true, the confirmation staying with text to try again. */
	function stays(failure, message) {
		if (!(failure.status === 0 || failure.status === 429 || failure.status >= 500)) return false;
		error.textContent = message;
		okButton.focus();
		return true;
	}

	function dismiss() {
		pending = null;
		closeModal(dialog);
	}

	dialog.addEventListener('cancel', (event) => {
		event.preventDefault();
		close();
	});

	const confirm = {
		dialog,
		error,
		ok: okButton,
		cancel: cancelButton,
		get pending() {
			return pending;
		},
		ask,
		close,
		dismiss,
		stays,
	};
	parent.adopt(confirm);
	return confirm;
}

/**
 * The dialog's own list (我的邀请链接, 我发出的申请), page by page, in state.items /
 * nextCursor / listLoading / listError: load({append}) asks fetchPage(params) (query,
 * limit and the cursor of the next page when appending); the first page replaces the
 * items, a later one adds those not held yet; a 401 is no list error. render() runs
 * before and after, loaded(answer, {append, failure}) just before the last; an answer
 * that comes after a newer load or when since()'s check says stale is dropped.
 */
export function pagedList({ state, query, pageSize, fetchPage, render, since, loaded = () => {} }) {
	let token = 0;
	return async function load({ append = false } = {}) {
		const mine = ++token;
		const stale = since();
		state.listLoading = true;
		state.listError = null;
		render();
		const params = new URLSearchParams({ ...query, limit: String(pageSize) });
		if (append && state.nextCursor) params.set('cursor', state.nextCursor);
		let answer = null;
		let failure = null;
		try {
			answer = await fetchPage(params);
		} catch (error) {
			failure = error;
		}
		if (stale() || mine !== token) return;
		state.listLoading = false;
		if (failure) {
			if (failure.status !== 401) state.listError = failure;
		} else {
			const items = answer && Array.isArray(answer.items) ? answer.items : [];
			if (append) {
				const known = new Set(state.items.map((item) => String(item.id)));
				state.items = state.items.concat(items.filter((item) => !known.has(String(item.id))));
			} else state.items = items;
			state.nextCursor = answer && typeof answer.nextCursor === 'string' && answer.nextCursor ? answer.nextCursor : null;
		}
		loaded(answer, { append, failure });
		render();
	};
}

/** The list's paging state on screen: 加载更多 only with a next page, aria-busy while loading. */
export function showPaging(state, list, moreButton) {
	moreButton.hidden = !state.nextCursor || state.listLoading || Boolean(state.listError);
	if (state.listLoading) list.setAttribute('aria-busy', 'true');
	else list.removeAttribute('aria-busy');
}
