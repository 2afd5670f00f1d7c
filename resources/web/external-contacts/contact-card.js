// Contact cards of the 外部互联 page (SPEC R6.1, R6.2, R6.6): the small card
// (a popover on a list row) and the large card (a modal dialog with tabs).
import { h, clear, initial, openModal, closeModal } from './dom.js';
import { FIELDS } from './validate.js';
import { contactFields, editBody, changedFields, fieldValue } from './contact-form.js';
import { memberPicker, memberSearch } from './member-picker.js';
import { duplicateWarning } from './duplicate.js';
import { sendJson } from './send.js';
import { createAccountTab } from './account-tab.js';
import { createConfirm } from './modal.js';

const BASE = '/api/plugins/external-contacts';
const LEVEL_MIN = -999;
const LEVEL_MAX = 0;
const HISTORY_PAGE = 20;
// Snapshot keys the 历史 tab leaves out of a change: they move with every write.
// An account entry's `error` is the host's English message: for logs, not for the card.
const HISTORY_SKIP = new Set(['id', 'orgId', 'version', 'createdAt', 'updatedAt', 'error']);
const MEMBER_KEYS = new Set(['visibleMembers', 'shares', 'members']);

/** The catalog key of an audit action's 历史 label: `history.action.` + the action (contact.create, account.apply, …). */
export function historyActionKey(action) {
	return `history.action.${action}`;
}

/**
 * The 历史 label of an audit action in tr's language; an action the catalogs do not
 * know is shown as it is. tests/e2e/browser/history-actions.test.mjs checks that every
 * action written in plugin/src has a label in both catalogs.
 */
export function historyActionText(tr, action) {
	const key = historyActionKey(action);
	const text = tr(key);
	return text === key ? action : text;
}

/**
 * ctx: the shell's ctx; tr: the page's translator; errorText(error, options);
 * host: where the dialogs go; canEdit(contact): R8 "edit basic info" as far as ctx.me
 * tells (adder, admin, maintain-holder); for anyone else both cards ask the server
 * (the history route answers only those who may edit, group maintainers included);
 * onSaved(contact) / onDeleted(contact): the page refreshes its list;
 * fallbackFocus(id): where focus goes when the card's opener left the page.
 */
export function createCards({ ctx, tr, errorText, host, canEdit, onSaved, onDeleted, fallbackFocus }) {
	let destroyed = false;
	const cleanups = [];
	function listen(target, type, handler, options) {
		target.addEventListener(type, handler, options);
		cleanups.push(() => target.removeEventListener(type, handler, options));
	}

	function appendTo(parent, ...children) {
		parent.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
	}

	function formatTime(ms) {
		if (typeof ms !== 'number') return '';
		try {
			return new Date(ms).toLocaleString(ctx.locale);
		} catch {
			return new Date(ms).toISOString();
		}
	}

	// ---- WeChat identity (R4.6) --------------------------------------------------------
	// The WeChat bound when the person joined through an invitation: avatar, nickname and
	// 绑定于 on both cards. The list's rows do not carry it: the small card asks the contact
	// once (remembered per contact until the list reloads or the binding is removed).
	const wechatOf = new Map();

	function boundWeChat(contact) {
		const wechat = contact && contact.wechat;
		return wechat && wechat.bound ? wechat : null;
	}

	/** The avatar: the picture (no referrer sent to WeChat), else a placeholder that names it too. */
	function wechatAvatar(wechat, className) {
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
	function wechatBlock(wechat, prefix, { large = false, actions = null } = {}) {
		const time = formatTime(wechat.boundAt);
		return h('section', { id: prefix, class: 'ec-wechat', 'aria-labelledby': `${prefix}-title` },
			h(large ? 'h3' : 'h4', { id: `${prefix}-title`, class: large ? 'ec-panel-title' : 'ec-popover-label' }, tr('card.wechat.title')),
			h('div', { class: 'ec-popover-line ec-wechat-who' },
				wechatAvatar(wechat, large ? 'ec-avatar-large' : 'ec-avatar-small'),
				h('div', { class: 'ec-wechat-text' },
					h('p', { class: `ec-wechat-nickname${wechat.nickname ? '' : ' ec-muted'}` }, wechat.nickname || tr('card.wechat.noNickname')),
					time ? h('p', { class: 'ec-wechat-bound ec-muted' }, tr('card.wechat.boundAt', { time })) : null),
				actions));
	}

	// ---- edit rights (R8) ------------------------------------------------------------
	// ctx.me settles it for the adder, admins and maintain-holders. Group maintainers it
	// cannot tell: the history route answers exactly those who may edit the contact (R8,
	// the large card's rule too), so its answer decides, remembered per contact until the
	// list reloads (forgetEditRights).
	const editRights = new Map();
	const pendingRights = new Map();

	function knownEditRight(contact) {
		if (canEdit(contact)) return true;
		const key = String(contact.id);
		return editRights.has(key) ? editRights.get(key) : null;
	}

	function askEditRight(contact) {
		const key = String(contact.id);
		if (pendingRights.has(key)) return pendingRights.get(key);
		const asked = ctx.api('GET', `${BASE}/contacts/${encodeURIComponent(contact.id)}/history?limit=1`)
			.then(() => true, (error) => {
				if (error.status === 403 || error.status === 404) return false;
				return null; // unknown (network, 5xx): offer nothing, ask again next time
			})
			.then((allowed) => {
				if (pendingRights.get(key) === asked) pendingRights.delete(key);
				if (allowed !== null && !destroyed) editRights.set(key, allowed);
				return allowed === true;
			});
		pendingRights.set(key, asked);
		return asked;
	}

	// ---- small card ------------------------------------------------------------
	const popover = h('div', { id: 'ec-popover', class: 'ec-popover', role: 'dialog', 'aria-labelledby': 'ec-popover-name', hidden: true });
	let popoverTrigger = null;
	let popoverToken = 0;

	function closeSmall({ focus = false } = {}) {
		if (popover.hidden) return;
		popover.hidden = true;
		const trigger = popoverTrigger;
		popoverTrigger = null;
		if (trigger) trigger.setAttribute('aria-expanded', 'false');
		popover.remove();
		if (focus && trigger && document.contains(trigger)) trigger.focus();
	}

	function reachLine(label, className, href, text) {
		return h('p', { class: `ec-popover-line ${className}` },
			h('span', { class: 'ec-popover-label' }, label),
			h('a', { href }, text));
	}

	/** Opens (or, for the same row, closes) the small card under trigger. */
	function toggleSmall(trigger, contact) {
		if (!popover.hidden && popoverTrigger === trigger) {
			closeSmall({ focus: true });
			return;
		}
		closeSmall();
		clear(popover);
		const token = ++popoverToken;
		const role = [contact.title, contact.department].filter(Boolean).join(' · ');
		const details = h('button', { type: 'button', class: 'ec-button ec-button-primary', dataset: { action: 'details' } }, tr('card.details'));
		details.addEventListener('click', () => {
			closeSmall();
			openCard(contact.id, { summary: contact, returnFocus: trigger });
		});
		const editButton = () => {
			const edit = h('button', { type: 'button', class: 'ec-button', dataset: { action: 'edit' } }, tr('card.edit'));
			edit.addEventListener('click', () => {
				closeSmall();
				openCard(contact.id, { summary: contact, returnFocus: trigger, edit: true });
			});
			return edit;
		};
		const known = knownEditRight(contact);
		const actions = h('div', { class: 'ec-popover-actions' }, details, known ? editButton() : null);
		popover.dataset.editRights = known === null ? 'pending' : known ? 'yes' : 'no';
		if (known === null) {
			askEditRight(contact).then((allowed) => {
				if (destroyed || token !== popoverToken || popover.hidden) return;
				popover.dataset.editRights = allowed ? 'yes' : 'no';
				if (allowed) actions.append(editButton());
			});
		}
		appendTo(popover,
			h('div', { class: 'ec-popover-head' },
				h('span', { class: 'ec-avatar ec-avatar-large', 'aria-hidden': 'true' }, initial(contact.name)),
				h('div', {},
					h('h3', { id: 'ec-popover-name', class: 'ec-popover-name' }, contact.name || ''),
					contact.company ? h('p', { class: 'ec-popover-company' }, contact.company) : null,
					role ? h('p', { class: 'ec-popover-role' }, role) : null)),
			contact.mobile ? reachLine(tr('contact.mobile'), 'ec-popover-mobile', `tel:${contact.mobile.replace(/[^0-9+]/g, '')}`, contact.mobile) : null,
			contact.email ? reachLine(tr('contact.email'), 'ec-popover-email', `mailto:${contact.email}`, contact.email) : null,
			!contact.mobile && !contact.email ? h('p', { class: 'ec-popover-line ec-muted' }, tr('card.noReach')) : null,
			actions);
		const key = String(contact.id);
		const showWeChat = (wechat) => {
			if (wechat) actions.before(wechatBlock(wechat, 'ec-popover-wechat'));
		};
		if ('wechat' in contact) showWeChat(boundWeChat(contact));
		else if (wechatOf.has(key)) showWeChat(wechatOf.get(key));
		else {
			ctx.api('GET', `${BASE}/contacts/${encodeURIComponent(contact.id)}`).then((full) => {
				if (destroyed) return;
				wechatOf.set(key, boundWeChat(full));
				if (token === popoverToken && !popover.hidden) showWeChat(wechatOf.get(key));
			}, () => {}); // the large card tells why a contact cannot be read
		}
		const row = trigger.closest('.ec-contact') || trigger.parentElement;
		row.append(popover);
		popover.hidden = false;
		popoverTrigger = trigger;
		trigger.setAttribute('aria-expanded', 'true');
		details.focus();
	}

	popover.addEventListener('keydown', (event) => {
		if (event.key === 'Escape') {
			event.preventDefault();
			event.stopPropagation();
			closeSmall({ focus: true });
		}
	});
	popover.addEventListener('focusout', (event) => {
		const next = event.relatedTarget;
		if (next && !popover.contains(next) && next !== popoverTrigger) closeSmall();
	});
	listen(document, 'click', (event) => {
		if (popover.hidden) return;
		if (popover.contains(event.target) || (popoverTrigger && popoverTrigger.contains(event.target))) return;
		closeSmall();
	}, true);

	// ---- large card ------------------------------------------------------------
	const TABS = ['basic', 'permissions', 'account', 'shares', 'history'];
	const cardAvatar = h('span', { class: 'ec-avatar ec-avatar-large', 'aria-hidden': 'true' });
	const cardTitle = h('h2', { id: 'ec-card-title', class: 'ec-dialog-title' });
	const cardSub = h('p', { class: 'ec-card-sub' });
	const cardStatus = h('div', { class: 'ec-card-status' });
	const cardNotice = h('p', { class: 'ec-notice ec-card-notice', role: 'status', 'aria-live': 'polite' });
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
	const cardDialog = h('dialog', {
		id: 'ec-card-dialog', class: 'ec-dialog ec-card', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'ec-card-title',
	},
	h('div', { class: 'ec-dialog-head ec-card-head' },
		h('div', { class: 'ec-card-who' }, cardAvatar, h('div', {}, cardTitle, cardSub)),
		h('button', { type: 'button', class: 'ec-icon-button', 'aria-label': tr('card.close'), onClick: () => closeCard() }, '×')),
	cardStatus,
	tablist,
	cardNotice,
	TABS.map((id) => panels[id]));
	host.append(cardDialog);

	const card = {
		id: null, contact: null, editing: false, saving: false, returnFocus: null, token: 0,
		permissions: null, shares: null, history: null, account: null, editable: false, busy: false,
	};

	// 账号信息 (R3, R6.4): its own module; it asks GET /account again after its actions.
	const accountTab = createAccountTab({
		ctx, tr, errorText, host, panel: panels.account, formatTime,
		notify: (text) => {
			cardNotice.textContent = text;
		},
		onChanged: () => refreshHistory(),
	});

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

	// 基本信息: the contact's fields, or the edit form.
	function detailRow(key, value, className) {
		const empty = value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length);
		return h('div', { class: `ec-detail ${className || ''}`.trim(), dataset: { field: key } },
			h('dt', {}, tr(`card.field.${key}`)),
			h('dd', { class: empty ? 'ec-muted' : null }, empty ? tr('card.empty') : value));
	}

	function renderBasic() {
		const contact = card.contact;
		const panel = panels.basic;
		clear(panel);
		if (card.editing) {
			appendTo(panel, editForm.form);
			return;
		}
		const allowed = card.editable;
		const actions = allowed
			? h('div', { class: 'ec-card-actions' },
				h('button', { type: 'button', class: 'ec-button ec-button-primary', id: 'ec-card-edit', onClick: () => startEdit() }, tr('card.edit')),
				h('button', { type: 'button', class: 'ec-button ec-button-danger', id: 'ec-card-delete', onClick: () => askDelete() }, tr('card.delete')))
			: null;
		const tags = fieldValue(contact, 'tags');
		const members = Array.isArray(contact.visibleMembers) ? contact.visibleMembers : [];
		appendTo(panel, actions, h('dl', { class: 'ec-details' },
			FIELDS.filter((field) => field !== 'tags').map((field) => detailRow(field, contact[field],
				field === 'address' || field === 'remark' ? 'ec-detail-multiline' : null)),
			detailRow('tags', tags.length ? h('span', { class: 'ec-chips' }, tags.map((tag) => h('span', { class: 'ec-chip' }, tag))) : null),
			detailRow('source', contact.source ? tr(`source.${contact.source}`) : null),
			detailRow('addedBy', contact.addedBy ? contact.addedBy.displayName : null),
			detailRow('securityLevel', typeof contact.securityLevel === 'number' ? String(contact.securityLevel) : null),
			detailRow('visibleMembers', members.map((member) => member.displayName).join(tr('card.listSeparator'))),
			detailRow('createdAt', formatTime(contact.createdAt)),
			detailRow('updatedAt', formatTime(contact.updatedAt))));
		const wechat = boundWeChat(contact);
		wechatOf.set(String(contact.id), wechat);
		if (wechat) {
			// 解除绑定: for those who may edit the basic info (R8), confirmed first.
			const unbind = allowed
				? h('button', { type: 'button', class: 'ec-button ec-button-danger', id: 'ec-card-wechat-unbind', onClick: (event) => askUnbind(event.currentTarget) },
					tr('card.wechat.unbind'))
				: null;
			appendTo(panel, wechatBlock(wechat, 'ec-card-wechat', { large: true, actions: unbind }));
		}
		// A WeChat a visitor proposed (issue 14, finding 3): bound only if an editor confirms it.
		const proposal = allowed ? card.proposal : null;
		if (proposal) {
			appendTo(panel, h('section', { id: 'ec-card-wechat-proposal', class: 'ec-wechat', 'aria-labelledby': 'ec-card-wechat-proposal-title' },
				h('h3', { id: 'ec-card-wechat-proposal-title', class: 'ec-panel-title' }, tr('card.wechat.proposalTitle')),
				h('div', { class: 'ec-popover-line ec-wechat-who' },
					wechatAvatar(proposal, 'ec-avatar-large'),
					h('div', { class: 'ec-wechat-text' },
						h('p', { class: `ec-wechat-nickname${proposal.nickname ? '' : ' ec-muted'}` }, proposal.nickname || tr('card.wechat.noNickname')),
						h('p', { class: 'ec-muted', id: 'ec-card-wechat-proposal-text' },
							tr('card.wechat.proposalText', { time: formatTime(proposal.expiresAt) })))),
				h('div', { class: 'ec-card-actions' },
					h('button', { type: 'button', class: 'ec-button ec-button-primary', id: 'ec-card-wechat-confirm', onClick: () => decideProposal(proposal, 'confirm') },
						tr('card.wechat.confirm')),
					h('button', { type: 'button', class: 'ec-button', id: 'ec-card-wechat-ignore', onClick: () => decideProposal(proposal, 'ignore') },
						tr('card.wechat.ignore')))));
		}
	}

	function renderCard() {
		const contact = card.contact;
		setHeader(contact);
		// R8: only those who may edit see 账号信息 (never a shared-with member); the
		// account route answering 403 / 404 hides it too.
		tabs.account.hidden = !card.editable || !card.account;
		tabs.permissions.hidden = !card.permissions;
		tabs.shares.hidden = !card.shares;
		tabs.history.hidden = !card.history;
		tablist.hidden = false;
		renderBasic();
		renderPermissions();
		renderShares();
		renderHistory();
		const selected = TABS.find((id) => tabs[id].getAttribute('aria-selected') === 'true' && !tabs[id].hidden);
		selectTab(selected || 'basic');
	}

	async function loadCard() {
		const token = ++card.token;
		setCardStatus(h('p', { class: 'ec-loading' }, h('span', { class: 'ec-spinner', 'aria-hidden': 'true' }), tr('card.loading')), 'status');
		let contact;
		const path = `${BASE}/contacts/${encodeURIComponent(card.id)}`;
		// A tab whose route answers 403 / 404 is not for this caller: it stays hidden.
		const optional = (url) => ctx.api('GET', url).catch((error) => {
			if (error.status === 401) throw error;
			return error.status === 403 || error.status === 404 ? null : { error };
		});
		let permissions = null;
		let shares = null;
		let history = null;
		let account = null;
		let proposal = null;
		try {
			[contact, permissions, shares, history, account, proposal] = await Promise.all([
				ctx.api('GET', path), optional(`${path}/permissions`), optional(`${path}/shares`),
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
		setCardStatus(null);
		card.contact = contact;
		card.permissions = permissions;
		card.shares = shares;
		card.history = history;
		card.account = account;
		card.proposal = proposal && !proposal.error ? proposal.proposal : null;
		// The history route answers only those who may edit (R8): its answer settles what
		// the card offers, also for group maintainers the page cannot tell from ctx.me.
		card.editable = history === null ? false : history.error ? canEdit(contact) : true;
		if (!history || !history.error) editRights.set(String(contact.id), card.editable);
		permissionDraft = null;
		accountTab.show(contact, card.editable ? account : null);
		renderCard();
		return contact;
	}

	/** Opens the large card of contact id; summary (optional) fills the header while it loads. */
	async function openCard(id, { summary = null, returnFocus = null, edit = false } = {}) {
		closeSmall();
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
		cardNotice.textContent = '';
		tablist.hidden = true;
		for (const tab of TABS) panels[tab].hidden = true;
		tabs.basic.setAttribute('aria-selected', 'true');
		setHeader(summary);
		openModal(cardDialog);
		cardTitle.tabIndex = -1;
		cardTitle.focus();
		const contact = await loadCard();
		if (!contact) return;
		if (edit && card.editable) startEdit();
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
		unbindConfirm.dismiss();
		closeModal(deleteDialog);
		closeModal(cardDialog);
		restoreCardFocus();
	}

	cardDialog.addEventListener('cancel', (event) => {
		event.preventDefault();
		closeCard();
	});

	// ---- edit (R6.2) -------------------------------------------------------------
	const editFields = contactFields(tr, 'ec-edit');
	const editError = h('p', { class: 'ec-form-error', role: 'alert' });
	const conflictBox = h('div', { class: 'ec-conflict', role: 'alert', hidden: true });
	const editSave = h('button', { type: 'submit', class: 'ec-button ec-button-primary' }, tr('edit.save'));
	const editCancel = h('button', { type: 'button', class: 'ec-button', onClick: () => stopEdit() }, tr('edit.cancel'));
	const editDuplicate = duplicateWarning(tr, 'ec-edit-duplicate', {
		// Another contact's card replaces this one; the unsaved edit is left, as with 关闭.
		openCard: (id) => openCard(id, { returnFocus: card.returnFocus }),
		onConfirm: () => submitEdit({ confirmDuplicate: true }),
		onBack: (field) => editFields.inputs[field].focus(),
	});
	const editForm = {
		form: h('form', { id: 'ec-edit-form', class: 'ec-form ec-edit-form', novalidate: true, 'aria-label': tr('edit.title') },
			conflictBox,
			editFields.grid,
			editDuplicate.element,
			editError,
			h('div', { class: 'ec-dialog-actions' }, editCancel, editSave)),
	};

	function startEdit() {
		card.editing = true;
		editFields.fill(card.contact);
		editFields.clearErrors();
		editError.textContent = '';
		editDuplicate.hide();
		conflictBox.hidden = true;
		clear(conflictBox);
		cardNotice.textContent = '';
		selectTab('basic');
		renderBasic();
		editFields.inputs.name.focus();
	}

	function stopEdit({ notice = '' } = {}) {
		if (card.saving) return;
		card.editing = false;
		renderCard();
		cardNotice.textContent = notice;
		const button = panels.basic.querySelector('#ec-card-edit');
		(button || tabs.basic).focus();
	}

	function showValue(field, value) {
		const normalized = fieldValue(value, field);
		if (field === 'tags') return normalized.length ? normalized.join(', ') : tr('card.empty');
		return normalized === null ? tr('card.empty') : String(normalized);
	}

	function showConflict(current, mine) {
		clear(conflictBox);
		const differing = changedFields(current, mine);
		const reload = h('button', { type: 'button', class: 'ec-button ec-button-primary', id: 'ec-conflict-reload' }, tr('conflict.reload'));
		const reapply = h('button', { type: 'button', class: 'ec-button', id: 'ec-conflict-reapply' }, tr('conflict.reapply'));
		reload.addEventListener('click', () => {
			card.contact = current;
			setHeader(current);
			editFields.fill(current);
			editFields.clearErrors();
			conflictBox.hidden = true;
			editError.textContent = '';
			cardNotice.textContent = tr('conflict.reloaded');
			editFields.inputs.name.focus();
		});
		reapply.addEventListener('click', () => {
			// The edit now starts from the current version; the person saves again knowingly.
			card.contact = current;
			setHeader(current);
			conflictBox.hidden = true;
			editError.textContent = '';
			cardNotice.textContent = tr('conflict.reapplied');
			editSave.focus();
		});
		conflictBox.append(
			h('p', { class: 'ec-conflict-title' }, tr('conflict.title')),
			h('p', {}, tr('conflict.hint')),
			differing.length
				? h('table', { class: 'ec-conflict-table' },
					h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, tr('conflict.field')), h('th', { scope: 'col' }, tr('conflict.current')), h('th', { scope: 'col' }, tr('conflict.mine')))),
					h('tbody', {}, differing.map((field) => h('tr', { dataset: { field } },
						h('th', { scope: 'row' }, tr(`field.${field}`)),
						h('td', { class: 'ec-conflict-current' }, showValue(field, current)),
						h('td', { class: 'ec-conflict-mine' }, showValue(field, mine))))))
				: h('p', {}, tr('conflict.same')),
			h('div', { class: 'ec-conflict-actions' }, reload, reapply));
		conflictBox.hidden = false;
		reload.focus();
	}

	editForm.form.addEventListener('submit', (event) => {
		event.preventDefault();
		submitEdit();
	});

	async function submitEdit({ confirmDuplicate = false } = {}) {
		if (card.saving) return;
		editError.textContent = '';
		editDuplicate.hide();
		const body = editFields.check();
		if (!body) {
			editError.textContent = tr('create.fixErrors');
			return;
		}
		const base = card.contact;
		const patch = editBody(body, base, base.version);
		if (Object.keys(patch).length === 1) {
			stopEdit({ notice: tr('edit.unchanged') });
			return;
		}
		card.saving = true;
		editSave.disabled = true;
		editSave.textContent = tr('create.saving');
		editForm.form.setAttribute('aria-busy', 'true');
		let saved = null;
		let conflict = null;
		if (confirmDuplicate) patch.confirmDuplicate = true;
		try {
			saved = await sendJson(ctx, 'PATCH', `${BASE}/contacts/${encodeURIComponent(base.id)}`, patch);
		} catch (error) {
			if (destroyed) return;
			if (error.code === 'conflict') conflict = error;
			else if (error.code === 'duplicate') editDuplicate.show(error);
			else if (editFields.showServerError(error, errorText)) editError.textContent = tr('create.fixErrors');
			else if (error.status === 404) editError.textContent = tr('card.notFound');
			else if (error.status === 403) editError.textContent = tr('edit.forbidden');
			else if (error.status !== 401) editError.textContent = errorText(error);
		} finally {
			card.saving = false;
			if (!destroyed) {
				editSave.disabled = false;
				editSave.textContent = tr('edit.save');
				editForm.form.removeAttribute('aria-busy');
			}
		}
		if (destroyed) return;
		if (conflict) {
			// Never overwrite: show what is saved now, let the person choose.
			if (conflict.body && conflict.body.current) {
				showConflict(conflict.body.current, body);
				return;
			}
			try {
				const current = await ctx.api('GET', `${BASE}/contacts/${encodeURIComponent(base.id)}`);
				if (!destroyed) showConflict(current, body);
			} catch (error) {
				if (!destroyed && error.status !== 401) editError.textContent = error.status === 404 ? tr('card.notFound') : errorText(error);
			}
			return;
		}
		if (!saved) return;
		card.contact = saved;
		if (card.permissions && !card.permissions.error) card.permissions = { ...card.permissions, version: saved.version };
		stopEdit({ notice: tr('edit.done') });
		refreshHistory();
		onSaved(saved);
	}

	// ---- people: known members, panel helpers ------------------------------------------
	function knownMembers() {
		const known = new Map();
		const add = (member) => {
			if (member && member.id !== undefined && member.id !== null) known.set(String(member.id), member.displayName || `#${member.id}`);
		};
		const contact = card.contact || {};
		add(contact.addedBy);
		(contact.visibleMembers || []).forEach(add);
		if (card.permissions && !card.permissions.error) (card.permissions.visibleMembers || []).forEach(add);
		if (permissionDraft) permissionDraft.members.forEach(add);
		if (card.shares && !card.shares.error) (card.shares.members || []).forEach(add);
		if (ctx.me && ctx.me.user) add(ctx.me.user);
		// The history names members the card does not list any more (e.g. an adder who left).
		if (card.history && !card.history.error) (card.history.people || []).forEach(add);
		return known;
	}

	function memberList(id, labelledBy, members, { onRemove, disabled }) {
		if (!members.length) return h('p', { id, class: 'ec-muted ec-member-empty' }, tr('members.none'));
		return h('ul', { id, class: 'ec-members', 'aria-labelledby': labelledBy },
			members.map((member) => h('li', { class: 'ec-member', dataset: { id: String(member.id) } },
				h('span', { class: 'ec-avatar ec-avatar-small', 'aria-hidden': 'true' }, initial(member.displayName)),
				h('span', { class: 'ec-member-name' }, member.displayName || `#${member.id}`),
				onRemove ? h('button', {
					type: 'button', class: 'ec-button ec-button-small', disabled: disabled || null,
					'aria-label': tr('members.removeLabel', { name: member.displayName || `#${member.id}` }),
					onClick: () => onRemove(member),
				}, tr('members.remove')) : null)));
	}

	function panelError(panel, error, retry) {
		appendTo(panel, h('div', { class: 'ec-error' }, h('p', {}, tr('card.loadError', { message: errorText(error) })),
			h('button', { type: 'button', class: 'ec-button', onClick: retry }, tr('list.retry'))));
	}

	async function reloadTab(tab) {
		const contact = await loadCard();
		if (contact && !tabs[tab].hidden) selectTab(tab, { focus: true });
	}

	// ---- 权限设置 (R6.3) -------------------------------------------------------------
	let permissionDraft = null;
	const levelInput = h('input', {
		id: 'ec-perm-level', class: 'ec-input ec-level-input', type: 'number', min: String(LEVEL_MIN), max: String(LEVEL_MAX), step: '1',
		inputmode: 'numeric', 'aria-describedby': 'ec-perm-level-hint ec-perm-level-error',
	});
	const levelError = h('p', { id: 'ec-perm-level-error', class: 'ec-field-error' });
	const permissionError = h('div', { class: 'ec-form-error', role: 'alert' });
	const permissionSave = h('button', { type: 'button', id: 'ec-perm-save', class: 'ec-button ec-button-primary' }, tr('perm.save'));
	const searchMembers = memberSearch(ctx);
	const visiblePicker = memberPicker(tr, 'ec-perm-pick', {
		search: searchMembers,
		errorText: (error) => errorText(error),
		chosen: () => (permissionDraft ? permissionDraft.members.map((member) => member.id) : []),
		onAdd(member) {
			if (permissionDraft.members.some((other) => String(other.id) === String(member.id))) {
				visiblePicker.setError(tr('members.already'));
				return false;
			}
			permissionDraft.members.push({ id: member.id, displayName: member.displayName || `#${member.id}` });
			renderPermissions();
			visiblePicker.input.focus();
			return true;
		},
	});

	function setLevelError(text) {
		levelError.textContent = text || '';
		if (text) levelInput.setAttribute('aria-invalid', 'true');
		else levelInput.removeAttribute('aria-invalid');
	}

	function renderPermissions() {
		const panel = panels.permissions;
		clear(panel);
		const data = card.permissions;
		if (!data) return;
		if (data.error) {
			panelError(panel, data.error, () => reloadTab('permissions'));
			return;
		}
		const editable = card.editable;
		if (!permissionDraft) {
			permissionDraft = { members: (data.visibleMembers || []).map((member) => ({ ...member })) };
			levelInput.value = String(data.securityLevel ?? 0);
			setLevelError('');
			permissionError.textContent = '';
			visiblePicker.reset();
		}
		levelInput.readOnly = !editable;
		appendTo(panel, 
			h('h3', { id: 'ec-perm-members-title', class: 'ec-panel-title' }, tr('perm.members')),
			h('p', { class: 'ec-hint' }, tr('perm.membersHint')),
			memberList('ec-perm-members', 'ec-perm-members-title', permissionDraft.members, {
				onRemove: editable ? (member) => {
					permissionDraft.members = permissionDraft.members.filter((other) => String(other.id) !== String(member.id));
					renderPermissions();
					visiblePicker.input.focus();
				} : null,
			}),
			editable ? visiblePicker.element : null,
			h('div', { class: 'ec-field ec-level-field' },
				h('label', { for: 'ec-perm-level' }, tr('perm.level')),
				levelInput,
				h('p', { id: 'ec-perm-level-hint', class: 'ec-hint' }, tr('perm.levelHint')),
				levelError),
			permissionError,
			editable ? h('div', { class: 'ec-dialog-actions' }, permissionSave) : null);
	}

	function levelValue() {
		const text = levelInput.value.trim();
		if (!/^-?[0-9]{1,4}$/.test(text)) return null;
		const value = Number(text);
		return value >= LEVEL_MIN && value <= LEVEL_MAX ? value : null;
	}

	const permissionFields = () => ({ securityLevel: tr('perm.levelError'), visibleMembers: tr('members.invalid') });

	permissionSave.addEventListener('click', async () => {
		if (card.busy) return;
		permissionError.textContent = '';
		visiblePicker.setError('');
		const level = levelValue();
		if (level === null) {
			setLevelError(tr('perm.levelError'));
			levelInput.focus();
			return;
		}
		setLevelError('');
		const body = {
			version: card.contact.version,
			visibleMembers: permissionDraft.members.map((member) => Number(member.id)),
			securityLevel: level,
		};
		card.busy = true;
		permissionSave.disabled = true;
		let saved = null;
		try {
			saved = await ctx.api('PUT', `${BASE}/contacts/${encodeURIComponent(card.contact.id)}/permissions`, body);
		} catch (error) {
			if (destroyed || error.status === 401) return;
			if (error.code === 'conflict') {
				permissionError.append(h('p', { class: 'ec-conflict-title' }, tr('conflict.title')),
					h('p', {}, tr('perm.conflictHint')),
					h('button', { type: 'button', class: 'ec-button', id: 'ec-perm-reload', onClick: () => reloadTab('permissions') }, tr('conflict.reload')));
				permissionError.querySelector('button').focus();
			} else if (error.code === 'validation_failed' && error.field === 'securityLevel') {
				setLevelError(errorText(error, { fields: permissionFields() }));
				levelInput.focus();
			} else if (error.code === 'validation_failed' && error.field === 'visibleMembers') {
				visiblePicker.setError(errorText(error, { fields: permissionFields() }));
				visiblePicker.input.focus();
			} else {
				permissionError.textContent = error.status === 403 ? tr('edit.forbidden') : error.status === 404 ? tr('card.notFound') : errorText(error);
			}
			return;
		} finally {
			card.busy = false;
			permissionSave.disabled = false;
		}
		if (destroyed || !saved) return;
		card.permissions = saved;
		card.contact = { ...card.contact, visibleMembers: saved.visibleMembers, securityLevel: saved.securityLevel, version: saved.version };
		permissionDraft = null;
		renderBasic();
		renderPermissions();
		cardNotice.textContent = tr('perm.done');
		permissionSave.focus();
		refreshHistory();
	});

	// ---- 共享 (R6.5) -----------------------------------------------------------------
	const shareError = h('p', { class: 'ec-form-error', role: 'alert' });
	const sharePicker = memberPicker(tr, 'ec-share-pick', {
		search: searchMembers,
		errorText: (error) => errorText(error),
		chosen: () => (card.shares && !card.shares.error ? (card.shares.members || []).map((member) => member.id) : []),
		async onAdd(member) {
			const members = card.shares.members || [];
			if (members.some((other) => String(other.id) === String(member.id))) {
				sharePicker.setError(tr('members.already'));
				return false;
			}
			const ok = await putShares([...members.map((other) => Number(other.id)), Number(member.id)], (saved) => {
				const added = (saved.members || []).find((other) => String(other.id) === String(member.id));
				return tr('share.added', { name: added ? added.displayName : member.displayName || `#${member.id}` });
			});
			if (ok) sharePicker.input.focus();
			return ok;
		},
	});

	async function putShares(ids, noticeFor) {
		if (card.busy) return false;
		card.busy = true;
		shareError.textContent = '';
		sharePicker.setError('');
		sharePicker.setDisabled(true);
		let saved = null;
		try {
			saved = await ctx.api('PUT', `${BASE}/contacts/${encodeURIComponent(card.contact.id)}/shares`, { members: ids });
		} catch (error) {
			if (destroyed || error.status === 401) return false;
			if (error.code === 'validation_failed' && error.field === 'members') sharePicker.setError(errorText(error, { fields: { members: tr('members.invalid') } }));
			else shareError.textContent = error.status === 403 ? tr('edit.forbidden') : error.status === 404 ? tr('card.notFound') : errorText(error);
			return false;
		} finally {
			card.busy = false;
			sharePicker.setDisabled(false);
		}
		if (destroyed) return false;
		card.shares = saved;
		renderShares();
		cardNotice.textContent = noticeFor(saved);
		refreshHistory();
		return true;
	}

	function renderShares() {
		const panel = panels.shares;
		clear(panel);
		const data = card.shares;
		if (!data) return;
		if (data.error) {
			panelError(panel, data.error, () => reloadTab('shares'));
			return;
		}
		const editable = card.editable;
		const members = data.members || [];
		appendTo(panel, 
			h('h3', { id: 'ec-share-title', class: 'ec-panel-title' }, tr('share.members')),
			h('p', { class: 'ec-hint' }, tr('share.hint')),
			memberList('ec-share-members', 'ec-share-title', members, {
				onRemove: editable ? async (member) => {
					const ok = await putShares(members.filter((other) => String(other.id) !== String(member.id)).map((other) => Number(other.id)),
						() => tr('share.removed', { name: member.displayName || `#${member.id}` }));
					if (ok) sharePicker.input.focus();
				} : null,
			}),
			editable ? sharePicker.element : null,
			shareError);
	}

	// ---- 历史 (R10) ---------------------------------------------------------------------
	const historyMore = h('button', { type: 'button', class: 'ec-button', id: 'ec-history-more' }, tr('list.more'));
	const historyError = h('p', { class: 'ec-form-error', role: 'alert' });

	function historyLabel(key) {
		if (key === 'shares' || key === 'members') return tr('history.field.shares');
		// Snapshots of account.* entries (申请开通, 同意 / 驳回, 激活链接).
		if (key === 'applicationId') return tr('history.field.applicationId');
		if (key === 'status') return tr('history.field.status');
		if (key === 'comment') return tr('history.field.comment');
		if (key === 'login') return tr('account.login');
		// Snapshots of wechat.* entries (解除绑定).
		if (key === 'nickname') return tr('history.field.wechatNickname');
		if (key === 'boundAt') return tr('history.field.wechatBoundAt');
		if (key === 'proposedAt') return tr('history.field.wechatProposedAt');
		if (key === 'expiresAt') return tr('history.field.wechatExpiresAt');
		if (key === 'proposalId') return tr('history.field.wechatProposalId');
		const known = ['name', 'mobile', 'email', 'company', 'title', 'department', 'address', 'remark', 'tags', 'source',
			'addedBy', 'securityLevel', 'visibleMembers'];
		return known.includes(key) ? tr(`card.field.${key}`) : key;
	}

	function memberName(id) {
		return knownMembers().get(String(id)) || `#${id}`;
	}

	function historyValue(key, value) {
		if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return tr('card.empty');
		if (MEMBER_KEYS.has(key) && Array.isArray(value)) return value.map((id) => memberName(id)).join(tr('card.listSeparator'));
		if (key === 'addedBy') return memberName(value);
		if (key === 'source') return tr(`source.${value}`);
		if (key === 'status' && ['pending', 'approved', 'rejected'].includes(value)) return tr(`account.applicationStatus.${value}`);
		if (key === 'applicationId') return `#${value}`;
		if (key === 'boundAt' || key === 'proposedAt' || key === 'expiresAt') return formatTime(value);
		if (Array.isArray(value)) return value.join(', ');
		if (typeof value === 'object') return JSON.stringify(value);
		return String(value);
	}

	function historyChanges(before, after) {
		const keys = [...new Set([...Object.keys(before || {}), ...Object.keys(after || {})])].filter((key) => !HISTORY_SKIP.has(key));
		return keys.filter((key) => JSON.stringify((before || {})[key] ?? null) !== JSON.stringify((after || {})[key] ?? null));
	}

	function historyEntry(entry) {
		const action = String(entry.action || '');
		const changes = historyChanges(entry.before, entry.after);
		const actor = entry.actor && entry.actor.displayName ? entry.actor.displayName : tr('history.unknownActor');
		return h('li', { class: 'ec-history-entry', dataset: { action } },
			h('p', { class: 'ec-history-head' },
				h('span', { class: 'ec-history-actor' }, actor),
				h('span', { class: 'ec-history-action' }, historyActionText(tr, action)),
				h('time', { class: 'ec-history-time', datetime: typeof entry.at === 'number' ? new Date(entry.at).toISOString() : null }, formatTime(entry.at)),
				entry.remoteAddr ? h('span', { class: 'ec-history-from' }, tr('history.from', { address: entry.remoteAddr })) : null),
			changes.length ? historyTable(entry, changes) : null);
	}

	// A change shows before and after; a creation only what was recorded, a removal only what was there.
	function historyTable(entry, changes) {
		const hasBefore = Boolean(entry.before);
		const hasAfter = Boolean(entry.after);
		const cell = (which, key) => {
			const raw = entry[which] ? entry[which][key] : null;
			const empty = raw === null || raw === undefined || raw === '' || (Array.isArray(raw) && !raw.length);
			return h('td', { class: `ec-history-${which}${empty ? ' ec-muted' : ''}` }, historyValue(key, raw));
		};
		return h('table', { class: 'ec-history-table' },
			h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, tr('conflict.field')),
				hasBefore ? h('th', { scope: 'col' }, tr(hasAfter ? 'history.before' : 'history.removed')) : null,
				hasAfter ? h('th', { scope: 'col' }, tr(hasBefore ? 'history.after' : 'history.recorded')) : null)),
			h('tbody', {}, changes.map((key) => h('tr', { dataset: { field: key } },
				h('th', { scope: 'row' }, historyLabel(key)),
				hasBefore ? cell('before', key) : null,
				hasAfter ? cell('after', key) : null))));
	}

	function renderHistory() {
		const panel = panels.history;
		clear(panel);
		const data = card.history;
		if (!data) return;
		if (data.error) {
			panelError(panel, data.error, () => reloadTab('history'));
			return;
		}
		const items = data.items || [];
		appendTo(panel, 
			h('h3', { id: 'ec-history-title', class: 'ec-panel-title' }, tr('history.title')),
			items.length
				? h('ol', { id: 'ec-history', class: 'ec-history', 'aria-labelledby': 'ec-history-title' }, items.map(historyEntry))
				: h('p', { class: 'ec-muted' }, tr('history.empty')),
			historyError,
			data.nextCursor ? h('div', { class: 'ec-more-wrap' }, historyMore) : null);
	}

	async function refreshHistory() {
		if (!card.history || card.history.error || !card.contact) return;
		const token = card.token;
		try {
			const page = await ctx.api('GET', `${BASE}/contacts/${encodeURIComponent(card.contact.id)}/history?limit=${HISTORY_PAGE}`);
			if (destroyed || token !== card.token) return;
			card.history = page;
			renderHistory();
		} catch (error) {
			if (!destroyed && token === card.token && error.status !== 401) historyError.textContent = errorText(error);
		}
	}

	historyMore.addEventListener('click', async () => {
		const data = card.history;
		if (!data || !data.nextCursor || card.busy) return;
		const token = card.token;
		card.busy = true;
		historyMore.disabled = true;
		historyMore.textContent = tr('list.moreLoading');
		historyError.textContent = '';
		try {
			const params = new URLSearchParams({ limit: String(HISTORY_PAGE), cursor: data.nextCursor });
			const page = await ctx.api('GET', `${BASE}/contacts/${encodeURIComponent(card.contact.id)}/history?${params}`);
			if (destroyed || token !== card.token) return;
			const count = (data.items || []).length;
			card.history = {
				items: [...(data.items || []), ...(page.items || [])],
				nextCursor: page.nextCursor || null,
				people: [...(data.people || []), ...(page.people || [])],
			};
			renderHistory();
			const first = panels.history.querySelectorAll('.ec-history-entry')[count];
			if (first) {
				first.tabIndex = -1;
				first.focus();
			} else panels.history.focus();
		} catch (error) {
			if (!destroyed && error.status !== 401) historyError.textContent = errorText(error);
		} finally {
			card.busy = false;
			historyMore.disabled = false;
			historyMore.textContent = tr('list.more');
		}
	});

	// ---- 解除绑定 (the contact's WeChat) -------------------------------------------------
	let unbinding = false;
	const unbindConfirm = createConfirm({
		host, prefix: 'ec-wechat-unbind', title: tr('card.wechat.unbindTitle'), ok: tr('card.wechat.unbindConfirm'),
		cancel: tr('card.wechat.unbindCancel'), onOk: () => runUnbind(), isBusy: () => unbinding,
		parent: { dialog: cardDialog, adopt() {} },
	});

	function askUnbind(opener) {
		const wechat = boundWeChat(card.contact);
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
			await ctx.api('DELETE', `${BASE}/contacts/${encodeURIComponent(contact.id)}/wechat`);
		} catch (error) {
			if (destroyed || error.status === 401) return;
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
		wechatOf.delete(String(contact.id));
		if (destroyed || token !== card.token) return;
		const reloaded = await loadCard();
		if (!reloaded || destroyed) return;
		cardNotice.textContent = notice;
		tabs.basic.focus();
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
			await ctx.api('POST', `${BASE}/wechat-proposals/${encodeURIComponent(proposal.id)}/${decision}`, {});
		} catch (error) {
			if (destroyed || error.status === 401) return;
			// 409: decided meanwhile, replaced or expired; 404: the contact is gone or no longer ours.
			notice = error.status === 409 || error.status === 404 ? tr('card.wechat.proposalGone')
				: tr('card.loadError', { message: errorText(error) });
		} finally {
			card.busy = false;
		}
		wechatOf.delete(String(contact.id));
		if (destroyed || token !== card.token) return;
		const reloaded = await loadCard();
		if (!reloaded || destroyed) return;
		cardNotice.textContent = notice;
		tabs.basic.focus();
	}

	// ---- delete (R6.6) -------------------------------------------------------------
	const deleteText = h('p', { id: 'ec-delete-text' });
	const deleteError = h('p', { class: 'ec-form-error', role: 'alert' });
	const deleteConfirm = h('button', { type: 'button', class: 'ec-button ec-button-danger', id: 'ec-delete-confirm' }, tr('delete.confirm'));
	const deleteCancel = h('button', { type: 'button', class: 'ec-button', onClick: () => cancelDelete() }, tr('delete.cancel'));
	const deleteDialog = h('dialog', {
		id: 'ec-delete-dialog', class: 'ec-dialog ec-dialog-small', role: 'alertdialog', 'aria-modal': 'true',
		'aria-labelledby': 'ec-delete-title', 'aria-describedby': 'ec-delete-text',
	},
	h('div', { class: 'ec-dialog-head' }, h('h2', { id: 'ec-delete-title', class: 'ec-dialog-title' }, tr('delete.title'))),
	h('div', { class: 'ec-form' }, deleteText, deleteError, h('div', { class: 'ec-dialog-actions' }, deleteCancel, deleteConfirm)));
	host.append(deleteDialog);
	let deleting = false;

	function askDelete() {
		deleteText.textContent = tr('delete.text', { name: card.contact.name });
		deleteError.textContent = '';
		openModal(deleteDialog);
		deleteCancel.focus();
	}

	function cancelDelete() {
		if (deleting) return;
		closeModal(deleteDialog);
		const button = panels.basic.querySelector('#ec-card-delete');
		if (button) button.focus();
	}

	deleteDialog.addEventListener('cancel', (event) => {
		event.preventDefault();
		cancelDelete();
	});

	deleteConfirm.addEventListener('click', async () => {
		if (deleting) return;
		const contact = card.contact;
		deleting = true;
		deleteConfirm.disabled = true;
		try {
			await ctx.api('DELETE', `${BASE}/contacts/${encodeURIComponent(contact.id)}`);
		} catch (error) {
			if (!destroyed && error.status !== 401) deleteError.textContent = error.status === 403 ? tr('edit.forbidden') : errorText(error);
			return;
		} finally {
			deleting = false;
			deleteConfirm.disabled = false;
		}
		if (destroyed) return;
		closeModal(deleteDialog);
		card.token += 1;
		accountTab.reset();
		closeModal(cardDialog);
		onDeleted(contact);
	});

	return {
		toggleSmall,
		closeSmall,
		openCard,
		isOpen: () => cardDialog.open,
		/** Forget what the server said about edit rights (the list reloads: maintainers may have changed). */
		forgetEditRights() {
			editRights.clear();
			wechatOf.clear();
		},
		destroy() {
			destroyed = true;
			for (const cleanup of cleanups) cleanup();
			visiblePicker.destroy();
			sharePicker.destroy();
			accountTab.destroy();
			closeSmall();
			unbindConfirm.dismiss();
			closeModal(deleteDialog);
			closeModal(cardDialog);
		},
	};
}
