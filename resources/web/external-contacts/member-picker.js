// Picking internal members for the visible-members and share lists. The
// plugin has no member-search route yet, so the picker offers the members the
// card already knows (visible members, share list, adder, the caller) and
// accepts a member id typed in; the server checks that it is a member of the org.
import { h } from './dom.js';

const ID_IN_LABEL = /#(\d+)\)?\s*$/;

/**
 * idPrefix: ids `<prefix>-input`, `-error`, `-options`; known(): Map id → displayName;
 * onAdd(id): returns a promise (or nothing). Returns { element, reset(), setError(text), setDisabled(flag) }.
 */
export function memberPicker(tr, idPrefix, { known, onAdd }) {
	const options = h('datalist', { id: `${idPrefix}-options` });
	const input = h('input', {
		id: `${idPrefix}-input`, class: 'ec-input', type: 'text', autocomplete: 'off', list: `${idPrefix}-options`,
		'aria-describedby': `${idPrefix}-hint ${idPrefix}-error`,
	});
	const error = h('p', { id: `${idPrefix}-error`, class: 'ec-field-error' });
	const add = h('button', { type: 'button', class: 'ec-button' }, tr('members.add'));

	function refreshOptions() {
		options.replaceChildren(...[...known()].map(([id, name]) => h('option', { value: `${name} (#${id})` })));
	}

	function setError(text) {
		error.textContent = text || '';
		if (text) input.setAttribute('aria-invalid', 'true');
		else input.removeAttribute('aria-invalid');
	}

	function parse(text) {
		const value = text.trim();
		if (!value) return null;
		const tagged = ID_IN_LABEL.exec(value);
		if (tagged) return Number(tagged[1]);
		if (/^[0-9]{1,15}$/.test(value)) return Number(value);
		const matches = [...known()].filter(([, name]) => name === value);
		return matches.length === 1 ? Number(matches[0][0]) : null;
	}

	async function submit() {
		const id = parse(input.value);
		if (!id) {
			setError(tr('members.pickError'));
			input.focus();
			return;
		}
		setError('');
		const result = await onAdd(id);
		if (result !== false) input.value = '';
	}

	add.addEventListener('click', submit);
	input.addEventListener('focus', refreshOptions);
	input.addEventListener('keydown', (event) => {
		if (event.key === 'Enter') {
			event.preventDefault();
			submit();
		}
	});

	const element = h('div', { class: 'ec-picker' },
		h('label', { for: `${idPrefix}-input` }, tr('members.pick')),
		h('div', { class: 'ec-picker-row' }, input, add),
		h('p', { id: `${idPrefix}-hint`, class: 'ec-hint' }, tr('members.pickHint')),
		error,
		options);
	return {
		element,
		input,
		reset() {
			input.value = '';
			setError('');
			refreshOptions();
		},
		setError,
		setDisabled(flag) {
			input.disabled = flag;
			add.disabled = flag;
		},
	};
}
