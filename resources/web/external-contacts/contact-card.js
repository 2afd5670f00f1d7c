// Contact cards of the 外部互联 page (SPEC R6.1, R6.2, R6.6): the small card
// (a popover on a list row, card-small.js) and the large card (a modal dialog with
// tabs). This module holds the large card's frame (header, tabs, loading) and hands
// one context (`ui`) to the modules of its parts:
//   card-basic.js        基本信息 and 删除, card-edit.js the edit form (R6.2),
//   card-wechat.js       the contact's WeChat (R4.6): block, 解除绑定, proposals,
//   card-permissions.js  权限设置 (R6.3), card-shares.js 共享 (R6.5),
//   card-history.js      历史 (R10), account-tab.js 账号信息 (R3, R6.4),
//   card-rights.js       what the server tells about each contact's edit right (R8).
import { h, clear, initial, openModal, closeModal } from './dom.js';
import { request, contactPath } from './api.js';
import { formatTime } from './format.js';
import { memberSearch } from './member-picker.js';
import { createAccountTab } from './account-tab.js';
import { createEditRights } from './card-rights.js';
import { createSmallCard } from './card-small.js';
import { createBasicTab } from './card-basic.js';
import { createEditForm } from './card-edit.js';
import { createWeChatParts } from './card-wechat.js';
import { createPermissionsTab } from './card-permissions.js';
import { createSharesTab } from './card-shares.js';
import { createHistoryTab, HISTORY_PAGE } from './card-history.js';

const TABS = ['basic', 'permissions', 'account', 'shares', 'history'];

/**
 * ctx: the shell's ctx; tr: the page's translator; errorText(error, options);
 * host: where the dialogs go; canEdit(contact): R8 "edit basic info" as far as ctx.me
 * tells (adder, admin, maintain-holder); for anyone else both cards ask the server
 * (card-rights.js); onSaved(contact) / onDeleted(contact): the page refreshes its list;
 * fallbackFocus(id): where focus goes when the card's opener left the page.
 */
export function createCards({ ctx, tr, errorText, host, canEdit, onSaved, onDeleted, fallbackFocus }) {
	let destroyed = false;

	// ---- the large card's frame ------------------------------------------------------
	const cardAvatar = h('span', { class: 'ec-avatar ec-avatar-large', 'aria-hidden': 'true' });
	const cardTitle = h('h2', { id: 'ec-card-title', class: 'ec-dialog-title' });
	const cardSub = h('p', { class: 'ec-card-sub' });
	const cardStatus = h('div', { class: 'ec-card-status' });
	const notice = h('p', { class: 'ec-notice ec-card-notice', role: 'status', 'aria-live': 'polite' });
	const tablist = h('div', { role: 'tablist', class: 'ec-tabs', 'aria-label': tr('card.tabs'), hidden: true });
	const tabs = {};
	const panels = {};
	for (const id of TABS) {
		tabs[id] = h('button', {
			type: 'button', role: 'tab', id: `ec-tab-${id}`, class: 'ec-tab', 'aria-controls': `ec-panel-${id}`,
			'aria-selected': 'false', tabindex: '-1', dataset: { tab: id },
		}, tr(`card.tab.${id}`));
		tabs[id].addEventListener('click', () => selectTab(id, { focus: true }));
		panels[id] = h('div', { role: 'tabpanel', id: `ec-panel-${id}`, class: 'ec-panel', 'aria-labelledby': `ec-tab-${id}`, tabindex: '0', hidden: true });
		tablist.append(tabs[id]);
	}
	const dialog = h('dialog', {
		id: 'ec-card-dialog', class: 'ec-dialog ec-card', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'ec-card-title',
	},
	h('div', { class: 'ec-dialog-head ec-card-head' },
		h('div', { class: 'ec-card-who' }, cardAvatar, h('div', {}, cardTitle, cardSub)),
		h('button', { type: 'button', class: 'ec-icon-button', 'aria-label': tr('card.close'), onClick: () => closeCard() }, '×')),
	cardStatus,
	tablist,
	notice,
	TABS.map((id) => panels[id]));
	host.append(dialog);

	// What the card shows: each tab's answer (null: hidden, {error}: failed to load).
	const card = {
		id: null, contact: null, editing: false, saving: false, returnFocus: null, token: 0,
		permissions: null, shares: null, history: null, account: null, proposal: null, editable: false, busy: false,
	};

	// The context of the card's parts; each part adds what the others call.
	const ui = {
		ctx, tr, errorText, host, card, tabs, panels, notice, dialog,
		isDestroyed: () => destroyed,
		time: (ms) => formatTime(ctx.locale, ms),
		selectTab, setHeader, renderCard, loadCard, reloadTab, openCard,
		appendTo(parent, ...children) {
			parent.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
		},
		/** Empties the panel of tab (permissions, shares, history); its answer, or null when hidden or failed (then said here). */
		tabData(tab) {
			const panel = panels[tab];
			clear(panel);
			const data = card[tab];
			if (!data || !data.error) return data;
			ui.appendTo(panel, h('div', { class: 'ec-error' }, h('p', {}, tr('card.loadError', { message: errorText(data.error) })),
				h('button', { type: 'button', class: 'ec-button', onClick: () => reloadTab(tab) }, tr('list.retry'))));
			return null;
		},
	};
	// 账号信息 (R3, R6.4): its own module; it asks GET /account again after its actions.
	const accountTab = createAccountTab({
		ctx, tr, errorText, host, panel: panels.account, formatTime: ui.time,
		notify: (text) => {
			notice.textContent = text;
		},
		onChanged: () => ui.history.refresh(),
	});
	ui.accountTab = accountTab;
	ui.searchMembers = memberSearch(ctx);
	ui.rights = createEditRights({ ctx, canEdit, isDestroyed: ui.isDestroyed });
	ui.wechat = createWeChatParts(ui);
	const small = createSmallCard(ui);
	ui.history = createHistoryTab(ui);
	ui.edit = createEditForm(ui, { onSaved });
	ui.permissions = createPermissionsTab(ui);
	ui.shares = createSharesTab(ui);
	ui.basic = createBasicTab(ui, { onDeleted });

	const visibleTabs = () => TABS.filter((id) => !tabs[id].hidden);

	function selectTab(id, { focus = false } = {}) {
		for (const other of TABS) {
			const selected = other === id;
			tabs[other].setAttribute('aria-selected', selected ? 'true' : 'false');
			tabs[other].tabIndex = selected ? 0 : -1;
			panels[other].hidden = !selected;
		}
		if (focus) tabs[id].focus();
	}

	tablist.addEventListener('keydown', (event) => {
		const ids = visibleTabs();
		const index = ids.indexOf(document.activeElement && document.activeElement.dataset.tab);
		if (index < 0) return;
		let next = null;
		if (event.key === 'ArrowRight') next = (index + 1) % ids.length;
		else if (event.key === 'ArrowLeft') next = (index - 1 + ids.length) % ids.length;
		else if (event.key === 'Home') next = 0;
		else if (event.key === 'End') next = ids.length - 1;
		if (next === null) return;
		event.preventDefault();
		selectTab(ids[next], { focus: true });
	});

	function setHeader(contact) {
		cardAvatar.textContent = initial(contact && contact.name);
		cardTitle.textContent = (contact && contact.name) || tr('card.title');
		cardSub.textContent = contact ? [contact.company, contact.title].filter(Boolean).join(' · ') : '';
	}

	function setCardStatus(content, role) {
		clear(cardStatus);
		if (role) cardStatus.setAttribute('role', role);
		else cardStatus.removeAttribute('role');
		if (content) cardStatus.append(content);
	}

	function renderCard() {
		setHeader(card.contact);
		// R8: only those who may edit see 账号信息 (never a shared-with member); the
		// account route answering 403 / 404 hides it too.
		tabs.account.hidden = !card.editable || !card.account;
		tabs.permissions.hidden = !card.permissions;
		tabs.shares.hidden = !card.shares;
		tabs.history.hidden = !card.history;
		tablist.hidden = false;
		ui.basic.render();
		ui.permissions.render();
		ui.shares.render();
		ui.history.render();
		const selected = TABS.find((id) => tabs[id].getAttribute('aria-selected') === 'true' && !tabs[id].hidden);
		selectTab(selected || 'basic');
	}

	async function loadCard() {
		const token = ++card.token;
		setCardStatus(h('p', { class: 'ec-loading' }, h('span', { class: 'ec-spinner', 'aria-hidden': 'true' }), tr('card.loading')), 'status');
		const path = contactPath(card.id);
		// A tab whose route answers 403 / 404 is not for this caller: it stays hidden.
		const optional = (url) => request(ctx, 'GET', url).catch((error) => {
			if (error.status === 401) throw error;
			return error.status === 403 || error.status === 404 ? null : { error };
		});
		let answers;
		try {
			answers = await Promise.all([
				request(ctx, 'GET', path), optional(`${path}/permissions`), optional(`${path}/shares`),
				optional(`${path}/history?limit=${HISTORY_PAGE}`), optional(`${path}/account`),
				optional(`${path}/wechat/proposal`),
			]);
		} catch (error) {
			if (destroyed || token !== card.token || error.status === 401) return null;
			const text = error.status === 404 ? tr('card.notFound') : tr('card.loadError', { message: errorText(error) });
			setCardStatus(h('div', { class: 'ec-error' }, h('p', {}, text),
				error.status === 404 ? null : h('button', { type: 'button', class: 'ec-button', onClick: () => loadCard() }, tr('list.retry'))), 'alert');
			return null;
		}
		if (destroyed || token !== card.token) return null;
		const [contact, permissions, shares, history, account, proposal] = answers;
		setCardStatus(null);
		card.contact = contact;
		card.permissions = permissions;
		card.shares = shares;
		card.history = history;
		card.account = account;
		card.proposal = proposal && !proposal.error ? proposal.proposal : null;
		card.editable = ui.rights.settle(contact);
		ui.permissions.resetDraft();
		accountTab.show(contact, card.editable ? account : null);
		renderCard();
		return contact;
	}

	async function reloadTab(tab) {
		const contact = await loadCard();
		if (contact && !tabs[tab].hidden) selectTab(tab, { focus: true });
	}

	/** Opens the large card of contact id; summary (optional) fills the header while it loads. */
	async function openCard(id, { summary = null, returnFocus = null, edit = false } = {}) {
		small.close();
		card.id = id;
		card.contact = null;
		card.permissions = null;
		card.shares = null;
		card.history = null;
		card.account = null;
		card.proposal = null;
		accountTab.reset();
		card.editing = false;
		card.returnFocus = returnFocus;
		notice.textContent = '';
		tablist.hidden = true;
		for (const tab of TABS) panels[tab].hidden = true;
		tabs.basic.setAttribute('aria-selected', 'true');
		setHeader(summary);
		openModal(dialog);
		cardTitle.tabIndex = -1;
		cardTitle.focus();
		const contact = await loadCard();
		if (!contact) return;
		if (edit && card.editable) ui.edit.start();
		else tabs.basic.focus();
	}

	function restoreCardFocus() {
		const target = typeof card.returnFocus === 'function' ? card.returnFocus() : card.returnFocus;
		if (destroyed) return;
		if (target && document.contains(target)) target.focus();
		else if (fallbackFocus) {
			const other = fallbackFocus(card.id);
			if (other) other.focus();
		}
	}

	function closeCard() {
		if (card.saving) return;
		card.token += 1;
		accountTab.reset();
		ui.wechat.dismiss();
		ui.basic.dismiss();
		closeModal(dialog);
		restoreCardFocus();
	}

	dialog.addEventListener('cancel', (event) => {
		event.preventDefault();
		closeCard();
	});

	return {
		toggleSmall: small.toggle,
		closeSmall: small.close,
		openCard,
		isOpen: () => dialog.open,
		/** Forget what the server said about edit rights (the list reloads: maintainers may have changed). */
		forgetEditRights() {
			ui.rights.forget();
			ui.wechat.forget();
		},
		destroy() {
			destroyed = true;
			small.destroy();
			ui.permissions.destroy();
			ui.shares.destroy();
			accountTab.destroy();
			ui.wechat.dismiss();
			ui.basic.dismiss();
			closeModal(dialog);
		},
	};
}
