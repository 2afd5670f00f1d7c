// Picking internal members (visible members, share list, group maintainers):
// a type-ahead combobox over GET /api/plugins/external-contacts/members
// (WAI-ARIA combobox with a listbox popup, list autocomplete, manual selection).
//
// Typing searches the members of the current org by display name or login
// (debounced; only the latest answer is shown). ↓ / ↑ move through the
// results (wrapping), Enter adds the highlighted member (or the only one
// found), Escape closes the list (a second Escape clears the input), Tab
// leaves. A click on a result adds it. Members already on the list are shown
// but cannot be picked. "没有匹配的成员" when nothing matches.
import { h, clear } from './dom.js';
import { request, BASE } from './api.js';

export const SEARCH_DELAY_MS = 250;
export const QUERY_MAX = 64;
const LIMIT = 10;

/** The search of the picker (api.js): (q, signal) → [{id, displayName, login}]. */
export function memberSearch(ctx) {
	return async (q, signal) => {
		const params = new URLSearchParams({ q, limit: String(LIMIT) });
		const answer = await request(ctx, 'GET', `${BASE}/members?${params}`, undefined, { signal });
		return Array.isArray(answer && answer.items) ? answer.items : [];
	};
}

/**
 * idPrefix: ids `<prefix>-input`, `-listbox`, `-hint`, `-status`, `-error`, `-option-<n>`.
 * search(q, signal): resolves to [{id, displayName, login}] (see memberSearch);
 * onAdd(member): may return a promise; false keeps the text in the input;
 * chosen(): the ids already on the list (strings or numbers), shown but not pickable;
 * errorText(error): the localized text of a failed search;
 * label: the input's label (default 添加内部人员).
 * Returns { element, input, reset(), setError(text), setDisabled(flag), close(), destroy() }
 * (destroy: no search runs or answers after it).
 */
export function memberPicker(tr, idPrefix, { search, onAdd, chosen = () => [], errorText = () => tr('members.searchFailed'), label } = {}) {
	const listboxId = `${idPrefix}-listbox`;
	const input = h('input', {
		id: `${idPrefix}-input`, class: 'ec-input ec-picker-input', type: 'text', role: 'combobox', autocomplete: 'off',
		spellcheck: 'false', maxlength: String(QUERY_MAX), 'aria-autocomplete': 'list', 'aria-expanded': 'false',
		'aria-controls': listboxId, 'aria-describedby': `${idPrefix}-hint ${idPrefix}-error`,
		placeholder: tr('members.placeholder'),
	});
	const listbox = h('ul', { id: listboxId, class: 'ec-picker-list', role: 'listbox', 'aria-label': tr('members.listLabel'), hidden: true });
	const message = h('p', { class: 'ec-picker-message', hidden: true });
	const popup = h('div', { class: 'ec-picker-popup', hidden: true }, listbox, message);
	const status = h('p', { id: `${idPrefix}-status`, class: 'ec-visually-hidden', role: 'status', 'aria-live': 'polite' });
	const error = h('p', { id: `${idPrefix}-error`, class: 'ec-field-error' });

	let timer = null;
	let controller = null;
	let results = [];
	let shownQuery = null; // the query the shown results answer
	let active = -1;
	let busy = false;

	const chosenIds = () => new Set([...(chosen() || [])].map(String));
	const selectable = (index) => index >= 0 && index < results.length && !results[index].taken;
	const optionId = (index) => `${idPrefix}-option-${index}`;

	function setError(text) {
		error.textContent = text || '';
		if (text) input.setAttribute('aria-invalid', 'true');
		else input.removeAttribute('aria-invalid');
	}

	function showMessage(text, className) {
		message.textContent = text || '';
		message.className = `ec-picker-message${className ? ` ${className}` : ''}`;
		message.hidden = !text;
	}

	function setActive(index) {
		active = index;
		const options = listbox.querySelectorAll('[role="option"]');
		options.forEach((option, i) => option.setAttribute('aria-selected', i === index ? 'true' : 'false'));
		if (index >= 0 && options[index]) {
			input.setAttribute('aria-activedescendant', optionId(index));
			if (typeof options[index].scrollIntoView === 'function') options[index].scrollIntoView({ block: 'nearest' });
		} else input.removeAttribute('aria-activedescendant');
	}

	function expanded() {
		return input.getAttribute('aria-expanded') === 'true';
	}

	function open() {
		popup.hidden = false;
		listbox.hidden = results.length === 0;
		input.setAttribute('aria-expanded', results.length ? 'true' : 'false');
	}

	function close() {
		popup.hidden = true;
		input.setAttribute('aria-expanded', 'false');
		setActive(-1);
	}

	function cancelPending() {
		clearTimeout(timer);
		timer = null;
		if (controller) controller.abort();
		controller = null;
	}

	function render() {
		const taken = chosenIds();
		results = results.map((member) => ({ ...member, taken: taken.has(String(member.id)) }));
		clear(listbox);
		results.forEach((member, index) => {
			const option = h('li', {
				id: optionId(index), role: 'option', class: member.taken ? 'ec-picker-option ec-picker-taken' : 'ec-picker-option',
				'aria-selected': 'false', 'aria-disabled': member.taken ? 'true' : null, dataset: { id: String(member.id) },
			},
			h('span', { class: 'ec-picker-name' }, member.displayName || `#${member.id}`),
			member.login ? h('span', { class: 'ec-picker-login' }, member.login) : null,
			member.taken ? h('span', { class: 'ec-picker-note' }, tr('members.onList')) : null);
			// mousedown would take focus from the input: keep it there.
			option.addEventListener('mousedown', (event) => event.preventDefault());
			option.addEventListener('click', () => pick(index));
			listbox.append(option);
		});
		if (results.length) {
			showMessage('');
			status.textContent = tr('members.results', { count: results.length });
		} else {
			showMessage(tr('members.noMatch'), 'ec-picker-empty');
			status.textContent = tr('members.noMatch');
		}
		setActive(-1);
		open();
	}

	async function run(q) {
		cancelPending();
		const mine = new AbortController();
		controller = mine;
		busy = true;
		showMessage(tr('members.searching'), 'ec-picker-loading');
		popup.hidden = false;
		let items;
		try {
			items = await search(q, mine.signal);
		} catch (failure) {
			if (mine.signal.aborted || controller !== mine) return;
			busy = false;
			controller = null;
			results = [];
			shownQuery = null;
			clear(listbox);
			listbox.hidden = true;
			input.setAttribute('aria-expanded', 'false');
			if (failure && failure.status === 401) {
				close();
				return;
			}
			const text = tr('members.searchError', { message: errorText(failure) });
			showMessage(text, 'ec-picker-failed');
			status.textContent = text;
			return;
		}
		if (mine.signal.aborted || controller !== mine) return;
		busy = false;
		controller = null;
		if (input.value.trim() !== q) return;
		results = (items || []).map((member) => ({ id: member.id, displayName: member.displayName, login: member.login }));
		shownQuery = q;
		render();
	}

	function schedule() {
		setError('');
		const q = input.value.trim();
		cancelPending();
		busy = false;
		if (!q) {
			results = [];
			shownQuery = null;
			clear(listbox);
			showMessage('');
			status.textContent = '';
			close();
			return;
		}
		timer = setTimeout(() => {
			timer = null;
			run(q);
		}, SEARCH_DELAY_MS);
	}

	async function pick(index) {
		if (!selectable(index)) {
			if (index >= 0 && index < results.length) setError(tr('members.already'));
			return;
		}
		const member = results[index];
		close();
		setError('');
		// Forget the results first: onAdd may move focus back here, which must not reopen them.
		results = [];
		shownQuery = null;
		clear(listbox);
		showMessage('');
		status.textContent = '';
		const result = await onAdd({ id: member.id, displayName: member.displayName, login: member.login });
		if (result !== false) input.value = '';
	}

	function current() {
		return shownQuery !== null && shownQuery === input.value.trim();
	}

	function move(step) {
		if (!current() || !results.length) {
			const q = input.value.trim();
			if (q && !busy) run(q);
			return;
		}
		if (!expanded()) open();
		const count = results.length;
		const start = active < 0 ? (step > 0 ? -1 : count) : active;
		setActive((start + step + count) % count);
	}

	input.addEventListener('input', schedule);
	input.addEventListener('keydown', (event) => {
		if (event.isComposing) return; // an IME is choosing characters
		switch (event.key) {
		case 'ArrowDown':
			event.preventDefault();
			move(1);
			break;
		case 'ArrowUp':
			event.preventDefault();
			move(-1);
			break;
		case 'Enter': {
			event.preventDefault();
			if (expanded() && active >= 0) {
				pick(active);
				break;
			}
			const q = input.value.trim();
			if (!q) {
				setError(tr('members.pickError'));
				break;
			}
			if (!current()) {
				if (!busy) run(q);
				break;
			}
			const free = results.map((_, index) => index).filter(selectable);
			if (free.length === 1) pick(free[0]);
			else if (!results.length) setError(tr('members.noMatch'));
			else if (!free.length) setError(tr('members.already'));
			else {
				open();
				setError(tr('members.pickError'));
			}
			break;
		}
		case 'Escape':
			if (!popup.hidden) {
				event.preventDefault();
				event.stopPropagation();
				cancelPending();
				busy = false;
				close();
			} else if (input.value) {
				event.preventDefault();
				event.stopPropagation();
				input.value = '';
				schedule();
			}
			break;
		case 'Tab':
			close();
			break;
		default:
			break;
		}
	});
	input.addEventListener('blur', () => {
		close();
	});
	input.addEventListener('focus', () => {
		if (current() && (results.length || message.textContent)) open();
	});

	const element = h('div', { class: 'ec-picker' },
		h('label', { for: `${idPrefix}-input` }, label || tr('members.pick')),
		h('div', { class: 'ec-picker-box' }, input, popup),
		h('p', { id: `${idPrefix}-hint`, class: 'ec-hint' }, tr('members.pickHint')),
		status,
		error);
	return {
		element,
		input,
		reset() {
			cancelPending();
			busy = false;
			input.value = '';
			results = [];
			shownQuery = null;
			clear(listbox);
			showMessage('');
			status.textContent = '';
			setError('');
			close();
		},
		setError,
		setDisabled(flag) {
			input.disabled = flag;
			if (flag) close();
		},
		close,
		destroy() {
			cancelPending();
			busy = false;
		},
	};
}
