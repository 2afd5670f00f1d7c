// The small card (SPEC R6.1): a popover under a list row with the contact's name,
// company, role, mobile and email, its WeChat (R4.6), 【详情】 and, for those who may
// edit (card-rights.js), 【编辑】. Escape, a click outside or focus leaving closes it.
import { h, clear, initial } from './dom.js';

/** ui: the card's context (contact-card.js). Returns { toggle(trigger, contact), close(), destroy() }. */
export function createSmallCard(ui) {
	const { tr } = ui;
	const popover = h('div', { id: 'ec-popover', class: 'ec-popover', role: 'dialog', 'aria-labelledby': 'ec-popover-name', hidden: true });
	let popoverTrigger = null;
	let popoverToken = 0;

	function close({ focus = false } = {}) {
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
	function toggle(trigger, contact) {
		if (!popover.hidden && popoverTrigger === trigger) {
			close({ focus: true });
			return;
		}
		close();
		clear(popover);
		const token = ++popoverToken;
		const role = [contact.title, contact.department].filter(Boolean).join(' · ');
		const details = h('button', { type: 'button', class: 'ec-button ec-button-primary', dataset: { action: 'details' } }, tr('card.details'));
		details.addEventListener('click', () => {
			close();
			ui.openCard(contact.id, { summary: contact, returnFocus: trigger });
		});
		const editButton = () => {
			const edit = h('button', { type: 'button', class: 'ec-button', dataset: { action: 'edit' } }, tr('card.edit'));
			edit.addEventListener('click', () => {
				close();
				ui.openCard(contact.id, { summary: contact, returnFocus: trigger, edit: true });
			});
			return edit;
		};
		const known = ui.rights.known(contact);
		const actions = h('div', { class: 'ec-popover-actions' }, details, known ? editButton() : null);
		popover.dataset.editRights = known === null ? 'pending' : known ? 'yes' : 'no';
		if (known === null) {
			ui.rights.ask(contact).then((allowed) => {
				if (ui.isDestroyed() || token !== popoverToken || popover.hidden) return;
				popover.dataset.editRights = allowed ? 'yes' : 'no';
				if (allowed) actions.append(editButton());
			});
		}
		ui.appendTo(popover,
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
		const showWeChat = (wechat) => {
			if (wechat) actions.before(ui.wechat.block(wechat, 'ec-popover-wechat'));
		};
		const wechatOf = ui.wechat.known;
		const key = String(contact.id);
		if ('wechat' in contact) showWeChat(ui.wechat.bound(contact));
		else if (wechatOf.has(key)) showWeChat(wechatOf.get(key));
		else {
			// The answer that tells the edit right (card-rights.js) carries the WeChat too.
			ui.rights.read(contact).then((full) => {
				if (ui.isDestroyed() || full.error) return; // the large card tells why a contact cannot be read
				wechatOf.set(key, ui.wechat.bound(full));
				if (token === popoverToken && !popover.hidden) showWeChat(wechatOf.get(key));
			});
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
			close({ focus: true });
		}
	});
	popover.addEventListener('focusout', (event) => {
		const next = event.relatedTarget;
		if (next && !popover.contains(next) && next !== popoverTrigger) close();
	});
	const outsideClick = (event) => {
		if (popover.hidden) return;
		if (popover.contains(event.target) || (popoverTrigger && popoverTrigger.contains(event.target))) return;
		close();
	};
	document.addEventListener('click', outsideClick, true);

	return {
		toggle,
		close,
		destroy() {
			document.removeEventListener('click', outsideClick, true);
			close();
		},
	};
}
