// The duplicate warning (SPEC R2.4) of the create and edit forms: the contacts
// with the same mobile or email that the caller may see (each opens its card),
// a count of those they may not, and 【仍然保存】.
import { h, clear } from './dom.js';

/**
 * idPrefix: ids of the box and its buttons; openCard(id, link) opens a card;
 * onConfirm() resends with confirmDuplicate; onBack(field) returns to the field.
 */
export function duplicateWarning(tr, idPrefix, { openCard, onConfirm, onBack }) {
	const box = h('div', { id: idPrefix, class: 'ec-duplicate', role: 'alert', hidden: true });
	let field = null;

	function hide() {
		box.hidden = true;
		clear(box);
	}

	function show(error) {
		const body = error.body || {};
		field = error.field === 'email' ? 'email' : 'mobile';
		const duplicates = Array.isArray(body.duplicates) ? body.duplicates : [];
		const hidden = Number(body.hiddenDuplicates) || 0;
		clear(box);
		const confirm = h('button', { type: 'button', class: 'ec-button ec-button-primary', id: `${idPrefix}-confirm` }, tr('duplicate.saveAnyway'));
		const back = h('button', { type: 'button', class: 'ec-button', id: `${idPrefix}-back` }, tr('duplicate.back'));
		confirm.addEventListener('click', () => onConfirm());
		back.addEventListener('click', () => {
			const which = field;
			hide();
			onBack(which);
		});
		box.append(
			h('p', { class: 'ec-duplicate-title' }, tr(`duplicate.title.${field}`)),
			duplicates.length
				? h('ul', { class: 'ec-duplicate-list' }, duplicates.map((item) => {
					const name = item.name || `#${item.id}`;
					if (item.id === undefined || item.id === null) return h('li', {}, name);
					const link = h('a', { href: '#', class: 'ec-duplicate-link', dataset: { id: String(item.id) } }, name);
					link.addEventListener('click', (event) => {
						event.preventDefault();
						openCard(item.id, link);
					});
					return h('li', {}, link);
				}))
				: null,
			hidden ? h('p', { class: 'ec-duplicate-hidden' }, tr(duplicates.length ? 'duplicate.hiddenMore' : 'duplicate.hiddenOnly', { count: hidden })) : null,
			h('p', { class: 'ec-hint' }, tr('duplicate.hint')),
			h('div', { class: 'ec-conflict-actions' }, confirm, back));
		box.hidden = false;
		confirm.focus();
	}

	return { element: box, show, hide, isShown: () => !box.hidden };
}
