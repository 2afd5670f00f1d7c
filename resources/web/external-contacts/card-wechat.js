// The contact's WeChat on both cards (R4.6): the WeChat bound when the person joined
// through an invitation (avatar, nickname, 绑定于), 【解除绑定】 for those who may edit
// (confirmed first), and a WeChat a visitor proposed (issue 14, finding 3), bound only
// if an editor confirms it (【确认绑定】 / 【忽略】). The list's rows do not carry the
// WeChat: the small card asks the contact once (`known`, remembered per contact until
// the list reloads or the binding is removed).
import { h, initial } from './dom.js';
import { request, contactPath, BASE } from './api.js';
import { createConfirm } from './modal.js';

/** ui: the card's context (contact-card.js). */
export function createWeChatParts(ui) {
	const { ctx, tr, errorText, host, card } = ui;
	const known = new Map();

	function bound(contact) {
		const wechat = contact && contact.wechat;
		return wechat && wechat.bound ? wechat : null;
	}

	/** The avatar: the picture (no referrer sent to WeChat), else a placeholder that names it too. */
	function avatar(wechat, className) {
		const placeholder = () => h('span', { class: `ec-avatar ${className} ec-wechat-avatar ec-wechat-avatar-none`, role: 'img', 'aria-label': tr('card.wechat.avatar') },
			initial(wechat.nickname || tr('card.wechat.title')));
		const url = String(wechat.avatarUrl || '');
		if (!/^https?:\/\//i.test(url)) return placeholder();
		const size = className === 'ec-avatar-large' ? 48 : 36;
		const img = h('img', {
			class: `ec-avatar ${className} ec-wechat-avatar`, src: url, alt: tr('card.wechat.avatar'), width: size, height: size,
			referrerpolicy: 'no-referrer',
		});
		img.addEventListener('error', () => img.replaceWith(placeholder()), { once: true });
		return img;
	}

	/** The WeChat block (#${prefix}): avatar, nickname, 绑定于; actions (解除绑定) when given. */
	function block(wechat, prefix, { large = false, actions = null } = {}) {
		const time = ui.time(wechat.boundAt);
		return h('section', { id: prefix, class: 'ec-wechat', 'aria-labelledby': `${prefix}-title` },
			h(large ? 'h3' : 'h4', { id: `${prefix}-title`, class: large ? 'ec-panel-title' : 'ec-popover-label' }, tr('card.wechat.title')),
			h('div', { class: 'ec-popover-line ec-wechat-who' },
				avatar(wechat, large ? 'ec-avatar-large' : 'ec-avatar-small'),
				h('div', { class: 'ec-wechat-text' },
					h('p', { class: `ec-wechat-nickname${wechat.nickname ? '' : ' ec-muted'}` }, wechat.nickname || tr('card.wechat.noNickname')),
					time ? h('p', { class: 'ec-wechat-bound ec-muted' }, tr('card.wechat.boundAt', { time })) : null),
				actions));
	}

	/** The proposal section of 基本信息: who proposed, until when, 确认绑定 / 忽略. */
	function proposalSection(proposal) {
		return h('section', { id: 'ec-card-wechat-proposal', class: 'ec-wechat', 'aria-labelledby': 'ec-card-wechat-proposal-title' },
			h('h3', { id: 'ec-card-wechat-proposal-title', class: 'ec-panel-title' }, tr('card.wechat.proposalTitle')),
			h('div', { class: 'ec-popover-line ec-wechat-who' },
				avatar(proposal, 'ec-avatar-large'),
				h('div', { class: 'ec-wechat-text' },
					h('p', { class: `ec-wechat-nickname${proposal.nickname ? '' : ' ec-muted'}` }, proposal.nickname || tr('card.wechat.noNickname')),
					h('p', { class: 'ec-muted', id: 'ec-card-wechat-proposal-text' },
						tr('card.wechat.proposalText', { time: ui.time(proposal.expiresAt) })))),
			h('div', { class: 'ec-card-actions' },
				h('button', { type: 'button', class: 'ec-button ec-button-primary', id: 'ec-card-wechat-confirm', onClick: () => decideProposal(proposal, 'confirm') },
					tr('card.wechat.confirm')),
				h('button', { type: 'button', class: 'ec-button', id: 'ec-card-wechat-ignore', onClick: () => decideProposal(proposal, 'ignore') },
					tr('card.wechat.ignore'))));
	}

	/** What 基本信息 shows under the fields: the bound WeChat and (allowed: may edit) the proposal. */
	function sections(contact, allowed) {
		const wechat = bound(contact);
		known.set(String(contact.id), wechat);
		// 解除绑定: for those who may edit the basic info (R8), confirmed first.
		const unbind = wechat && allowed
			? h('button', { type: 'button', class: 'ec-button ec-button-danger', id: 'ec-card-wechat-unbind', onClick: (event) => askUnbind(event.currentTarget) },
				tr('card.wechat.unbind'))
			: null;
		const proposal = allowed ? card.proposal : null;
		return [wechat ? block(wechat, 'ec-card-wechat', { large: true, actions: unbind }) : null, proposal ? proposalSection(proposal) : null];
	}

	/** After an action on the WeChat: the card reloads and says notice. */
	async function reloadWith(contact, token, notice) {
		known.delete(String(contact.id));
		if (ui.isDestroyed() || token !== card.token) return;
		const reloaded = await ui.loadCard();
		if (!reloaded || ui.isDestroyed()) return;
		ui.notice.textContent = notice;
		ui.tabs.basic.focus();
	}

	// ---- 解除绑定 ------------------------------------------------------------------------
	let unbinding = false;
	const unbindConfirm = createConfirm({
		host, prefix: 'ec-wechat-unbind', title: tr('card.wechat.unbindTitle'), ok: tr('card.wechat.unbindConfirm'),
		cancel: tr('card.wechat.unbindCancel'), onOk: () => runUnbind(), isBusy: () => unbinding,
		parent: { dialog: ui.dialog, adopt() {} },
	});

	function askUnbind(opener) {
		const wechat = bound(card.contact);
		if (!wechat || card.busy) return;
		unbindConfirm.ask({ opener, contact: card.contact }, {
			text: tr('card.wechat.unbindText', { name: card.contact.name, nickname: wechat.nickname || tr('card.wechat.noNickname') }),
		});
	}

	async function runUnbind() {
		const pending = unbindConfirm.pending;
		if (unbinding || !pending) return;
		const contact = pending.contact;
		const token = card.token;
		unbinding = true;
		unbindConfirm.ok.disabled = true;
		let notice = tr('card.wechat.unbound', { name: contact.name });
		try {
			await request(ctx, 'DELETE', contactPath(contact.id, '/wechat'));
		} catch (error) {
			if (ui.isDestroyed() || error.status === 401) return;
			if (unbindConfirm.stays(error, errorText(error))) return;
			if (error.status === 403) {
				unbindConfirm.error.textContent = tr('edit.forbidden');
				return;
			}
			// 404: already unbound (or the contact is gone): the card shows what is there now.
			notice = tr('card.wechat.gone');
		} finally {
			unbinding = false;
			unbindConfirm.ok.disabled = false;
		}
		unbindConfirm.dismiss();
		await reloadWith(contact, token, notice);
	}

	// ---- 确认绑定 / 忽略 (a WeChat a visitor proposed) ---------------------------------------
	async function decideProposal(proposal, decision) {
		if (card.busy) return;
		const contact = card.contact;
		const token = card.token;
		card.busy = true;
		for (const id of ['ec-card-wechat-confirm', 'ec-card-wechat-ignore']) {
			const button = host.querySelector(`#${id}`);
			if (button) button.disabled = true;
		}
		const nickname = proposal.nickname || tr('card.wechat.noNickname');
		let notice = tr(decision === 'confirm' ? 'card.wechat.confirmed' : 'card.wechat.ignored', { name: contact.name, nickname });
		try {
			await request(ctx, 'POST', `${BASE}/wechat-proposals/${encodeURIComponent(proposal.id)}/${decision}`, {});
		} catch (error) {
			if (ui.isDestroyed() || error.status === 401) return;
			// 409: decided meanwhile, replaced or expired; 404: the contact is gone or no longer ours.
			notice = error.status === 409 || error.status === 404 ? tr('card.wechat.proposalGone')
				: tr('card.loadError', { message: errorText(error) });
		} finally {
			card.busy = false;
		}
		await reloadWith(contact, token, notice);
	}

	return {
		known,
		bound,
		block,
		sections,
		forget() {
			known.clear();
		},
		dismiss() {
			unbindConfirm.dismiss();
		},
	};
}
