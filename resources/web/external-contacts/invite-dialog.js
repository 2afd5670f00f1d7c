// 邀请微信好友 (SPEC R4.1): the dialog the 【新建】 drop-down item opens. Without a link
// of this browser session it offers 有效期 and 使用次数上限 and 【生成邀请链接】; with one
// it shows the link's QR code, the link (read-only, 【复制链接】), its expiry and uses,
// and 【重新生成】 / 【撤销】 (each confirmed first). Below: 我的邀请链接, the member's
// links with their states, 撤销 per active one and 加载更多.
//
// The token of a link is shown by the server only when the link is made, so the
// browser keeps token and URL of the links it made in sessionStorage (never in
// localStorage), keyed by invitation id; the QR image is fetched with the token
// in the X-Invite-Token header and shown as a data: URL (the shell's CSP allows
// img-src 'self' data:, not blob:). Routes: docs/API.md (invitations).
import { h, clear, openModal } from './dom.js';
import { createModal, createConfirm, pagedList, showPaging, setFieldError, rateLimitText } from './modal.js';
import { request, BASE } from './api.js';
import { createInviteQr } from './invite-qr.js';
import { linkStore } from './invite-link-store.js';
import { formatMinute } from './format.js';

const TTL_CHOICES = [1, 24, 168, 720];
const TTL_DEFAULT = 168;
const MAX_USES = 1000;
const PAGE_SIZE = 20;
const STATES = ['active', 'expired', 'revoked', 'used_up'];

/**
 * ctx, tr, errorText: as the page's; host: where the dialogs go; returnFocus(): the
 * element focus goes back to when the dialog closes (【新建】).
 */
export function createInviteDialog({ ctx, tr, errorText, host, returnFocus }) {
	const me = ctx.me || {};
	const store = linkStore(me.user ? me.user.id : null);
	let destroyed = false;
	// epoch moves whenever the dialog closes: late answers of an earlier opening are dropped.
	let epoch = 0;
	const state = {
		busy: false,
		ready: false, // the first page of the list answered (or failed): the form or the link can show
		current: null, // { invitation, url, token }
		items: [],
		nextCursor: null,
		maxUses: MAX_USES,
		listError: null,
		listLoading: false,
	};

	// ---- the dialog ------------------------------------------------------------------
	// The options form (no link of this session).
	const ttlSelect = h('select', { id: 'ec-invite-ttl', class: 'ec-select', 'aria-describedby': 'ec-invite-ttl-error' },
		TTL_CHOICES.map((hours) => h('option', { value: String(hours), selected: hours === TTL_DEFAULT }, tr(`invite.ttl.${hours}`))));
	const ttlError = h('p', { id: 'ec-invite-ttl-error', class: 'ec-field-error' });
	const maxInput = h('input', {
		id: 'ec-invite-max', class: 'ec-input', type: 'number', min: '1', max: String(MAX_USES), step: '1', inputmode: 'numeric',
		placeholder: tr('invite.maxUsesPlaceholder'), autocomplete: 'off', 'aria-describedby': 'ec-invite-max-hint ec-invite-max-error',
	});
	const maxHint = h('p', { id: 'ec-invite-max-hint', class: 'ec-hint' }, tr('invite.maxUsesHint', { max: MAX_USES }));
	const maxError = h('p', { id: 'ec-invite-max-error', class: 'ec-field-error' });
	const generateButton = h('button', { type: 'submit', id: 'ec-invite-generate', class: 'ec-button ec-button-primary' }, tr('invite.generate'));
	const form = h('form', { id: 'ec-invite-form', class: 'ec-invite-form', novalidate: true, 'aria-describedby': 'ec-invite-intro' },
		h('p', { id: 'ec-invite-intro', class: 'ec-form-intro' }, tr('invite.intro')),
		h('div', { class: 'ec-invite-options' },
			h('div', { class: 'ec-field' }, h('label', { for: 'ec-invite-ttl' }, tr('invite.ttl')), ttlSelect, ttlError),
			h('div', { class: 'ec-field' }, h('label', { for: 'ec-invite-max' }, tr('invite.maxUses')), maxInput, maxHint, maxError)),
		h('div', { class: 'ec-dialog-actions' }, generateButton));

	// The link view.
	const qr = createInviteQr({
		ctx, tr,
		since: () => {
			const at = epoch;
			return () => destroyed || at !== epoch;
		},
		onGone(current) {
			// The link went meanwhile (expired, used up, revoked elsewhere): forget it.
			store.remove(current.invitation.id);
			state.current = null;
			showCurrent();
			mainError.textContent = tr('invite.gone');
			loadList();
		},
	});
	const urlInput = h('input', {
		id: 'ec-invite-url', class: 'ec-input ec-invite-url', type: 'text', readonly: true, spellcheck: 'false', autocomplete: 'off',
		'aria-describedby': 'ec-invite-expiry ec-invite-uses ec-invite-copy-status',
	});
	urlInput.addEventListener('focus', () => urlInput.select());
	const copyButton = h('button', { type: 'button', id: 'ec-invite-copy', class: 'ec-button ec-button-primary', onClick: () => copyLink() }, tr('invite.copy'));
	const copyStatus = h('p', { id: 'ec-invite-copy-status', class: 'ec-notice', role: 'status', 'aria-live': 'polite' });
	const expiryText = h('p', { id: 'ec-invite-expiry', class: 'ec-invite-meta' });
	const usesText = h('p', { id: 'ec-invite-uses', class: 'ec-invite-meta' });
	const regenerateButton = h('button', {
		type: 'button', id: 'ec-invite-regenerate', class: 'ec-button', 'aria-haspopup': 'dialog',
		onClick: () => askConfirm('regenerate', state.current && state.current.invitation, regenerateButton),
	}, tr('invite.regenerate'));
	const revokeButton = h('button', {
		type: 'button', id: 'ec-invite-revoke', class: 'ec-button ec-button-danger', 'aria-haspopup': 'dialog',
		onClick: () => askConfirm('revoke', state.current && state.current.invitation, revokeButton),
	}, tr('invite.revoke'));
	const linkView = h('div', { id: 'ec-invite-link-view', class: 'ec-invite-link-view', hidden: true },
		qr.figure,
		h('div', { class: 'ec-invite-link-side' },
			h('div', { class: 'ec-field' },
				h('label', { for: 'ec-invite-url' }, tr('invite.linkLabel')),
				h('div', { class: 'ec-invite-link-row' }, urlInput, copyButton)),
			copyStatus,
			expiryText,
			usesText,
			h('div', { class: 'ec-invite-actions' }, regenerateButton, revokeButton)));

	// 我的邀请链接.
	const listStatus = h('div', { id: 'ec-invite-list-status', class: 'ec-invite-list-status' });
	const list = h('ul', { id: 'ec-invite-list', class: 'ec-invite-list', 'aria-labelledby': 'ec-invite-mine-title' });
	const moreButton = h('button', { type: 'button', id: 'ec-invite-more', class: 'ec-button', hidden: true, onClick: () => loadList({ append: true }) }, tr('invite.more'));
	const mine = h('section', { id: 'ec-invite-mine', class: 'ec-invite-mine', 'aria-labelledby': 'ec-invite-mine-title' },
		h('h3', { id: 'ec-invite-mine-title', class: 'ec-panel-title', tabindex: '-1' }, tr('invite.mine')),
		h('p', { id: 'ec-invite-note', class: 'ec-hint' }, tr('invite.note')),
		listStatus,
		list,
		h('div', { class: 'ec-more-wrap' }, moreButton));

	const modal = createModal({
		host, prefix: 'ec-invite', title: tr('invite.title'), closeLabel: tr('invite.close'), content: [form, linkView, mine],
		close: () => close(), onClosed: () => { epoch += 1; }, returnFocus,
	});
	const { dialog, title, mainError, notice } = modal;

	// ---- the confirmation (重新生成 / 撤销) ---------------------------------------------
	const confirm = createConfirm({
		host, prefix: 'ec-invite', cancel: tr('invite.cancel'), onOk: () => runConfirmed(), isBusy: () => state.busy, parent: modal,
	});

	// ---- errors --------------------------------------------------------------------------
	/** A refusal or failure → one localized line (never the server's message). */
	function failureText(error) {
		if (!error) return tr('error.generic');
		if (error.status === 0 || error.code === 'network') return tr('invite.network');
		if (error.code === 'too_many_active') return tr('invite.tooManyActive');
		if (error.status === 429) {
			return rateLimitText(tr, 'invite', error, (seconds) => ({ time: formatMinute(Date.now() + seconds * 1000).slice(11) }));
		}
		if (error.code === 'invitation_gone' || error.status === 410) return tr('invite.gone');
		if (error.status === 404) return tr('invite.notFound');
		return errorText(error, {
			fields: { ttlHours: tr('invite.ttlInvalid'), maxUses: tr('invite.maxUsesInvalid', { max: state.maxUses }) },
		});
	}

	function clearFieldErrors() {
		setFieldError(ttlSelect, ttlError, '');
		setFieldError(maxInput, maxError, '');
	}

	// ---- rendering --------------------------------------------------------------------------
	function usesLine(invitation) {
		const uses = Number(invitation.uses) || 0;
		return invitation.maxUses === null || invitation.maxUses === undefined
			? tr('invite.usesUnlimited', { uses })
			: tr('invite.usesLimited', { uses, max: invitation.maxUses });
	}

	function setBusy(busy) {
		state.busy = busy;
		for (const button of [generateButton, regenerateButton, revokeButton, confirm.ok, confirm.cancel, ...list.querySelectorAll('button')]) button.disabled = busy;
		if (busy) dialog.setAttribute('aria-busy', 'true');
		else dialog.removeAttribute('aria-busy');
	}

	function renderCurrent() {
		const current = state.current;
		form.hidden = !state.ready || Boolean(current);
		linkView.hidden = !current;
		if (!current) return;
		const invitation = current.invitation;
		if (urlInput.value !== current.url) urlInput.value = current.url;
		linkView.dataset.id = String(invitation.id);
		expiryText.textContent = tr('invite.expires', { time: formatMinute(invitation.expiresAt) });
		usesText.textContent = usesLine(invitation);
	}

	function stateTag(invitation) {
		const known = STATES.includes(invitation.state);
		return h('span', { class: `ec-status-tag ec-invite-state ec-invite-state-${known ? invitation.state : 'unknown'}`, dataset: { state: invitation.state } },
			known ? tr(`invite.state.${invitation.state}`) : String(invitation.state || ''));
	}

	function renderList() {
		clear(list);
		clear(listStatus);
		for (const invitation of state.items) {
			const created = formatMinute(invitation.createdAt);
			const isCurrent = state.current && String(state.current.invitation.id) === String(invitation.id);
			const maxText = invitation.maxUses === null || invitation.maxUses === undefined ? tr('invite.unlimited') : String(invitation.maxUses);
			list.append(h('li', { class: `ec-invite-item${isCurrent ? ' ec-invite-item-current' : ''}`, dataset: { id: String(invitation.id), state: invitation.state } },
				h('div', { class: 'ec-invite-item-head' },
					stateTag(invitation),
					isCurrent ? h('span', { class: 'ec-tag ec-invite-current-tag' }, tr('invite.current')) : null),
				h('p', { class: 'ec-invite-item-meta' },
					h('span', { class: 'ec-invite-created' }, tr('invite.createdAt', { time: created })),
					h('span', { class: 'ec-invite-expires' }, tr('invite.expires', { time: formatMinute(invitation.expiresAt) })),
					h('span', { class: 'ec-invite-item-uses' }, tr('invite.uses', { uses: Number(invitation.uses) || 0, max: maxText }))),
				invitation.state === 'active'
					? h('button', {
						type: 'button', class: 'ec-button ec-button-small ec-button-danger ec-invite-row-revoke', 'aria-haspopup': 'dialog',
						'aria-label': tr('invite.revokeRow', { time: created }), disabled: state.busy,
						onClick: (event) => askConfirm('revoke', invitation, event.currentTarget),
					}, tr('invite.revoke'))
					: null));
		}
		if (state.listLoading) {
			listStatus.append(h('p', { class: 'ec-loading' }, h('span', { class: 'ec-spinner', 'aria-hidden': 'true' }), tr('invite.loading')));
		} else if (state.listError) {
			listStatus.append(h('div', { class: 'ec-error', role: 'alert' },
				h('p', {}, tr('invite.listError', { message: failureText(state.listError) })),
				h('button', { type: 'button', id: 'ec-invite-list-retry', class: 'ec-button', onClick: () => loadList({ append: Boolean(state.items.length && state.nextCursor) }) }, tr('invite.retry'))));
		} else if (!state.items.length) {
			listStatus.append(h('p', { id: 'ec-invite-empty', class: 'ec-muted' }, tr('invite.empty')));
		}
		showPaging(state, list, moreButton);
	}

	/**
	 * The link shown: the current one while it is active, else the newest active link
	 * this session holds. Links the list shows no longer active leave the store.
	 */
	function settleCurrent({ pick = true } = {}) {
		for (const invitation of state.items) if (invitation.state !== 'active') store.remove(invitation.id);
		if (state.current) {
			const seen = state.items.find((item) => String(item.id) === String(state.current.invitation.id));
			if (seen && seen.state === 'active') state.current = { ...state.current, invitation: seen };
			else if (seen) state.current = null;
		}
		if (!state.current && pick) {
			for (const invitation of state.items) {
				if (invitation.state !== 'active') continue;
				const kept = store.get(invitation.id);
				if (kept) {
					state.current = { invitation, url: kept.url, token: kept.token };
					break;
				}
			}
		}
	}

	/** Shows the current link (or the form); loads its QR when it changed. */
	function showCurrent() {
		const before = linkView.dataset.shown || '';
		renderCurrent();
		const now = state.current ? String(state.current.invitation.id) : '';
		linkView.dataset.shown = now;
		if (now && now !== before) qr.load(state.current);
		if (!now) {
			qr.reset();
			copyStatus.textContent = '';
		}
	}

	// ---- loading -------------------------------------------------------------------------------
	const loadList = pagedList({
		state, query: {}, pageSize: PAGE_SIZE, render: () => renderList(),
		fetchPage: (params) => request(ctx, 'GET', `${BASE}/invitations?${params}`),
		since: () => {
			const at = epoch;
			return () => destroyed || at !== epoch;
		},
		loaded(answer, { append, failure }) {
			state.ready = true;
			if (!failure) {
				if (answer && answer.settings && Number.isInteger(answer.settings.maxUsesMax)) state.maxUses = answer.settings.maxUsesMax;
				// A later page does not swap the link shown for an older one.
				settleCurrent({ pick: !append });
			}
			showCurrent();
		},
	});

	// ---- 生成邀请链接 ----------------------------------------------------------------------
	/** The form's body, or null with the fields' errors shown. */
	function checkForm() {
		clearFieldErrors();
		const ttlHours = Number.parseInt(ttlSelect.value, 10);
		let ok = true;
		if (!TTL_CHOICES.includes(ttlHours)) {
			setFieldError(ttlSelect, ttlError, tr('invite.ttlInvalid'));
			ok = false;
		}
		// A number input gives '' for text it cannot parse: badInput tells that apart from empty.
		const raw = maxInput.value.trim();
		let maxUses = null;
		if (maxInput.validity && maxInput.validity.badInput) ok = setMaxInvalid();
		else if (raw !== '') {
			maxUses = /^\d+$/.test(raw) ? Number(raw) : NaN;
			if (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > state.maxUses) ok = setMaxInvalid();
		}
		return ok ? { ttlHours, maxUses } : null;
	}

	function setMaxInvalid() {
		setFieldError(maxInput, maxError, tr('invite.maxUsesInvalid', { max: state.maxUses }));
		return false;
	}

	function focusFirstInvalid() {
		(ttlSelect.getAttribute('aria-invalid') ? ttlSelect : maxInput).focus();
	}

	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		if (state.busy) return;
		mainError.textContent = '';
		notice.textContent = '';
		const body = checkForm();
		if (!body) {
			mainError.textContent = tr('invite.fixErrors');
			focusFirstInvalid();
			return;
		}
		const at = epoch;
		setBusy(true);
		generateButton.textContent = tr('invite.generating');
		form.setAttribute('aria-busy', 'true');
		let answer = null;
		let failure = null;
		try {
			answer = await request(ctx, 'POST', `${BASE}/invitations`, body);
		} catch (error) {
			failure = error;
		} finally {
			if (!destroyed) {
				setBusy(false);
				generateButton.textContent = tr('invite.generate');
				form.removeAttribute('aria-busy');
			}
		}
		if (destroyed || at !== epoch) return;
		if (failure) {
			if (failure.status === 401) return;
			const text = failureText(failure);
			if (failure.code === 'validation_failed' && (failure.field === 'ttlHours' || failure.field === 'maxUses')) {
				if (failure.field === 'ttlHours') setFieldError(ttlSelect, ttlError, text);
				else setFieldError(maxInput, maxError, text);
				mainError.textContent = tr('invite.fixErrors');
				focusFirstInvalid();
			} else mainError.textContent = text;
			return;
		}
		if (!answer || !answer.invitation || typeof answer.token !== 'string') {
			mainError.textContent = tr('error.generic');
			return;
		}
		adopt(answer);
		notice.textContent = tr('invite.generated');
		urlInput.focus();
		loadList();
	});

	/** Makes a created / regenerated link ({invitation, url, token}) the one shown. */
	function adopt(answer) {
		const url = typeof answer.url === 'string' && answer.url ? answer.url : `${location.origin}/invite/${answer.token}`;
		store.put(answer.invitation.id, answer.token, url);
		state.current = { invitation: answer.invitation, url, token: answer.token };
		const known = state.items.findIndex((item) => String(item.id) === String(answer.invitation.id));
		if (known < 0) state.items = [answer.invitation, ...state.items];
		copyStatus.textContent = '';
		showCurrent();
		renderList();
	}

	// ---- 复制链接 ----------------------------------------------------------------------------
	async function copyLink() {
		copyStatus.textContent = '';
		const text = urlInput.value;
		let copied = false;
		try {
			if (!navigator.clipboard || typeof navigator.clipboard.writeText !== 'function') throw new Error('no clipboard');
			await navigator.clipboard.writeText(text);
			copied = true;
		} catch {
			// No async clipboard (permission, insecure origin): the selection and execCommand.
			urlInput.focus();
			urlInput.select();
			try {
				copied = document.execCommand('copy');
			} catch {
				copied = false;
			}
		}
		if (destroyed) return;
		copyStatus.textContent = copied ? tr('invite.copied') : tr('invite.copyManual');
	}

	// ---- 重新生成 / 撤销 ------------------------------------------------------------------
	function askConfirm(kind, invitation, opener) {
		if (!invitation) return;
		confirm.ask({ kind, invitation, opener }, {
			title: tr(kind === 'regenerate' ? 'invite.regenerateTitle' : 'invite.revokeTitle'),
			text: tr(kind === 'regenerate' ? 'invite.regenerateText' : 'invite.revokeText'),
			ok: tr(kind === 'regenerate' ? 'invite.regenerate' : 'invite.revoke'),
		});
	}

	async function runConfirmed() {
		const pending = confirm.pending;
		if (!pending || state.busy) return;
		const { kind, invitation } = pending;
		const at = epoch;
		mainError.textContent = '';
		notice.textContent = '';
		confirm.error.textContent = '';
		setBusy(true);
		confirm.ok.textContent = tr('invite.working');
		let answer = null;
		let failure = null;
		const path = `${BASE}/invitations/${encodeURIComponent(invitation.id)}`;
		try {
			answer = kind === 'regenerate'
				? await request(ctx, 'POST', `${path}/regenerate`, {})
				: await request(ctx, 'DELETE', path);
		} catch (error) {
			failure = error;
		} finally {
			if (!destroyed) {
				setBusy(false);
				confirm.ok.textContent = tr(kind === 'regenerate' ? 'invite.regenerate' : 'invite.revoke');
			}
		}
		if (destroyed || at !== epoch) return;
		if (failure) {
			if (failure.status === 401) {
				confirm.close({ focus: false });
				return;
			}
			const text = failureText(failure);
			// Nothing happened: the confirmation stays, to try again.
			if (confirm.stays(failure, text)) return;
			// Refused (the link went meanwhile, 404, …): say so and show the list as it is now.
			confirm.close({ focus: false });
			if (failure.status === 410 || failure.status === 404) store.remove(invitation.id);
			mainError.textContent = text;
			title.focus();
			loadList();
			return;
		}
		confirm.close({ focus: false });
		const wasCurrent = state.current && String(state.current.invitation.id) === String(invitation.id);
		if (kind === 'regenerate') {
			store.remove(invitation.id);
			if (answer && answer.revoked) replaceItem(answer.revoked);
			if (answer && answer.invitation && typeof answer.token === 'string') adopt(answer);
			notice.textContent = tr('invite.regenerated');
			urlInput.focus();
		} else {
			store.remove(invitation.id);
			if (answer && answer.invitation) replaceItem(answer.invitation);
			if (wasCurrent) state.current = null;
			settleCurrent();
			showCurrent();
			renderList();
			notice.textContent = tr('invite.revoked');
			if (state.current) urlInput.focus();
			else if (wasCurrent) ttlSelect.focus();
			else mine.querySelector('#ec-invite-mine-title').focus();
		}
		loadList();
	}

	function replaceItem(invitation) {
		state.items = state.items.map((item) => (String(item.id) === String(invitation.id) ? invitation : item));
	}

	// ---- open / close ----------------------------------------------------------------------------
	function resetForm() {
		form.reset();
		ttlSelect.value = String(TTL_DEFAULT);
		maxInput.value = '';
		clearFieldErrors();
	}

	function open() {
		if (destroyed || dialog.open) return;
		mainError.textContent = '';
		notice.textContent = '';
		copyStatus.textContent = '';
		resetForm();
		state.items = [];
		state.nextCursor = null;
		state.current = null;
		state.ready = false;
		linkView.dataset.shown = '';
		settleCurrent();
		showCurrent();
		renderList();
		openModal(dialog);
		title.focus();
		loadList();
	}

	// The ×, Escape: focus goes back to 【新建】.
	function close() {
		if (!dialog.open) return;
		epoch += 1;
		setBusy(false);
		modal.hide();
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
