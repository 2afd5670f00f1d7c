// The 【新建】 drop-down of the 外部互联 page (SPEC R1.4): its items come from the
// shell's menu 'contacts.new' (ctx.menus), sorted by order; an item this page has
// no action for shows 即将推出. Keyboard as a WAI-ARIA menu button: ↓/↑ open on the
// first/last item, ↑ ↓ Home End move, Escape closes back to the button, Tab leaves.
import { h, clear } from './dom.js';

export const CREATE_ITEM = 'contacts.new.create';

/**
 * createNewMenu({ ctx, tr, newButton, newMenu, newMenuNote, actions }) wires the
 * button and the list; actions maps item ids to what choosing them does.
 * Answers { load(), destroy() }: load() asks the shell for the items.
 */
export function createNewMenu({ ctx, tr, newButton, newMenu, newMenuNote, actions }) {
	let destroyed = false;
	let menuItems = [];
	const menuButtons = () => [...newMenu.querySelectorAll('[role="menuitem"]')];

	function renderMenu(items) {
		menuItems = items;
		clear(newMenu);
		for (const item of items) {
			const handled = Object.hasOwn(actions, item.id);
			const available = item.available !== false && handled;
			const button = h('button', {
				type: 'button', role: 'menuitem', class: 'ec-menu-item', tabindex: '-1',
				'aria-disabled': available ? null : 'true', dataset: { menuId: item.id },
			}, h('span', { class: 'ec-menu-label' }, item.label),
			available ? null : h('span', { class: 'ec-soon' }, tr('new.soon')));
			if (item.id !== CREATE_ITEM && available) button.setAttribute('aria-haspopup', 'dialog');
			button.addEventListener('click', () => {
				if (!available) return;
				closeMenu({ focusButton: false });
				actions[item.id]();
			});
			newMenu.append(h('li', { role: 'none' }, button));
		}
	}

	async function load() {
		try {
			const items = await ctx.menus('contacts.new');
			if (destroyed) return;
			const sorted = (Array.isArray(items) ? items : []).slice().sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
			renderMenu(sorted.length ? sorted : [{ id: CREATE_ITEM, label: tr('new.create'), available: true }]);
		} catch (error) {
			if (destroyed || error.status === 401) return;
			renderMenu([{ id: CREATE_ITEM, label: tr('new.create'), available: true }]);
			newMenuNote.textContent = tr('new.menuError');
		}
	}

	const menuOpen = () => newButton.getAttribute('aria-expanded') === 'true';
	function openMenu(focus = 'first') {
		if (!menuItems.length) renderMenu([{ id: CREATE_ITEM, label: tr('new.create'), available: true }]);
		newButton.setAttribute('aria-expanded', 'true');
		newMenu.hidden = false;
		const items = menuButtons();
		if (items.length) (focus === 'last' ? items[items.length - 1] : items[0]).focus();
	}
	function closeMenu({ focusButton = true } = {}) {
		if (!menuOpen()) return;
		newButton.setAttribute('aria-expanded', 'false');
		newMenu.hidden = true;
		if (focusButton) newButton.focus();
	}

	newButton.addEventListener('click', () => (menuOpen() ? closeMenu() : openMenu()));
	newButton.addEventListener('keydown', (event) => {
		if (event.key === 'ArrowDown') {
			event.preventDefault();
			openMenu('first');
		} else if (event.key === 'ArrowUp') {
			event.preventDefault();
			openMenu('last');
		} else if (event.key === 'Escape' && menuOpen()) {
			event.preventDefault();
			closeMenu();
		}
	});
	newMenu.addEventListener('keydown', (event) => {
		const items = menuButtons();
		const index = items.indexOf(document.activeElement);
		let next = null;
		if (event.key === 'ArrowDown') next = (index + 1) % items.length;
		else if (event.key === 'ArrowUp') next = index <= 0 ? items.length - 1 : index - 1;
		else if (event.key === 'Home') next = 0;
		else if (event.key === 'End') next = items.length - 1;
		else if (event.key === 'Escape') {
			event.preventDefault();
			closeMenu();
			return;
		} else if (event.key === 'Tab') {
			closeMenu({ focusButton: false });
			return;
		}
		if (next !== null && items.length) {
			event.preventDefault();
			items[next].focus();
		}
	});
	const outside = (event) => {
		if (menuOpen() && !newMenu.contains(event.target) && !newButton.contains(event.target)) closeMenu({ focusButton: false });
	};
	document.addEventListener('click', outside, true);

	return {
		load,
		destroy() {
			destroyed = true;
			document.removeEventListener('click', outside, true);
		},
	};
}
