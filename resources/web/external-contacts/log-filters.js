// The filters the back-office logs share (account-applications-page.js,
// audit-log-page.js): the notice lines, the field errors, the period (从 / 至, local
// days) and the person picked from the member picker. Texts and ids carry the page's
// prefix ('al', 'au').
import { h, clear } from './dom.js';
import { localMidnight } from './export-file.js';

/** The page's polite notice and its alert; say(text, {error}) shows one and empties the other. */
export function noticeLines(prefix) {
	const notice = h('p', { id: `${prefix}-notice`, class: `ec-notice ${prefix}-notice`, role: 'status', 'aria-live': 'polite' });
	const alert = h('p', { id: `${prefix}-alert`, class: `ec-form-error ${prefix}-alert`, role: 'alert' });
	return {
		notice,
		alert,
		say(text, { error = false } = {}) {
			notice.textContent = error ? '' : text || '';
			alert.textContent = error ? text || '' : '';
		},
	};
}

/**
 * The errors next to the filters: an element #${prefix}-${name}-error (`errors`) for each
 * of inputs; the picked person's field (pickerField) shows its error in the member picker.
 * fields: every filter the server may name.
 */
export function filterErrors(prefix, { fields, inputs, picker, pickerField }) {
	const errors = {};
	for (const name of Object.keys(inputs)) errors[name] = h('p', { id: `${prefix}-${name}-error`, class: 'ec-field-error' });

	function set(name, text) {
		if (name === pickerField) {
			picker.setError(text || '');
			return;
		}
		const error = errors[name];
		const input = inputs[name];
		if (!error || !input) return;
		error.textContent = text || '';
		if (text) input.setAttribute('aria-invalid', 'true');
		else input.removeAttribute('aria-invalid');
	}

	return {
		errors,
		set,
		clear() {
			for (const name of fields) set(name, '');
		},
	};
}

/** 从 / 至 (#${prefix}-from, #${prefix}-to: local days; the server's bounds are local midnights). */
export function periodFilter(tr, prefix) {
	const fromInput = h('input', { id: `${prefix}-from`, name: 'from', type: 'date', class: 'ec-input', 'aria-describedby': `${prefix}-from-error` });
	const toInput = h('input', { id: `${prefix}-to`, name: 'to', type: 'date', class: 'ec-input', 'aria-describedby': `${prefix}-to-hint ${prefix}-to-error` });
	return {
		fromInput,
		toInput,
		/** The fieldset, with errors.from and errors.to (filterErrors). */
		element: (errors) => h('fieldset', { class: 'al-field al-period' },
			h('legend', {}, tr(`${prefix}.period`)),
			h('div', { class: 'al-period-inputs' },
				h('div', { class: 'ec-field' }, h('label', { for: `${prefix}-from` }, tr(`${prefix}.from`)), fromInput, errors.from),
				h('div', { class: 'ec-field' }, h('label', { for: `${prefix}-to` }, tr(`${prefix}.to`)), toInput,
					h('p', { id: `${prefix}-to-hint`, class: 'ec-visually-hidden' }, tr(`${prefix}.toHint`)), errors.to))),
		/**
		 * Reads the period into filters.from / filters.to (to is exclusive: the day after
		 * the end date); a wrong one is named through setError. Returns the first wrong
		 * input, or null.
		 */
		read(filters, setError) {
			let bad = null;
			const wrong = (name, input, text) => {
				setError(name, text);
				bad = bad || input;
			};
			if (fromInput.value) {
				filters.from = localMidnight(fromInput.value);
				if (filters.from === null) wrong('from', fromInput, tr(`${prefix}.fieldFrom`));
			} else if (fromInput.validity && fromInput.validity.badInput) wrong('from', fromInput, tr(`${prefix}.fieldFrom`));
			if (toInput.value) {
				filters.to = localMidnight(toInput.value, 1);
				if (filters.to === null) wrong('to', toInput, tr(`${prefix}.fieldTo`));
				else if (filters.from !== null && filters.to <= filters.from) wrong('to', toInput, tr(`${prefix}.toBeforeFrom`));
			} else if (toInput.validity && toInput.validity.badInput) wrong('to', toInput, tr(`${prefix}.fieldTo`));
			return bad;
		},
	};
}

/**
 * The person a log is narrowed to (field: 'applicant' or 'actor'): #${prefix}-${field}-chosen
 * shows 全部 or the chosen name with 清除 (#${prefix}-${field}-clear). name(member): the
 * name to show; onClear(): the filter went (the page applies the filters).
 */
export function personFilter(tr, prefix, field, { picker, name, onClear }) {
	let chosen = null;
	const box = h('div', { id: `${prefix}-${field}-chosen`, class: 'al-chosen' });

	function set(member) {
		chosen = member;
		picker.setError('');
		clear(box);
		if (!member) {
			box.append(h('span', { class: 'ec-muted' }, tr(`${prefix}.${field}All`)));
			return;
		}
		const shown = name(member);
		box.append(
			h('span', { class: `ec-chip ${prefix}-chosen-name`, dataset: { id: String(member.id) } }, tr(`${prefix}.${field}Chosen`, { name: shown })),
			h('button', {
				type: 'button', id: `${prefix}-${field}-clear`, class: 'ec-button ec-button-small', 'aria-label': tr(`${prefix}.${field}ClearLabel`, { name: shown }),
				onClick: () => {
					set(null);
					picker.input.focus();
					onClear();
				},
			}, tr(`${prefix}.${field}Clear`)));
	}

	return { box, set, chosen: () => chosen };
}
