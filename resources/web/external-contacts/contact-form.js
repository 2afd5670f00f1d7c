// The contact fields of the create form and of the large card's edit form:
// the same inputs, the same client checks (validate.js) and the same handling
// of a field the server refuses.
import { h } from './dom.js';
import { FIELDS, MAX_LENGTH, MAX_EMAIL, validateContact } from './validate.js';

const FIELD_SPEC = {
	name: { required: true, max: MAX_LENGTH.name, autocomplete: 'off' },
	mobile: { type: 'tel', inputmode: 'tel', autocomplete: 'off', hint: 'hint.mobile' },
	email: { type: 'email', inputmode: 'email', autocomplete: 'off', max: MAX_EMAIL },
	company: { max: MAX_LENGTH.company, hint: 'hint.company', autocomplete: 'off' },
	title: { max: MAX_LENGTH.title, autocomplete: 'off' },
	department: { max: MAX_LENGTH.department, autocomplete: 'off' },
	address: { max: MAX_LENGTH.address, multiline: true, rows: '2', wide: true, autocomplete: 'off' },
	remark: { max: MAX_LENGTH.remark, multiline: true, wide: true },
	tags: { hint: 'hint.tags', wide: true, autocomplete: 'off' },
};

/**
 * Builds the inputs with ids `<prefix>-<field>` (and `-error`, `-hint`).
 * tr: the page's translator; errorText(error, {fields}) the localized text.
 */
export function contactFields(tr, prefix) {
	const inputs = {};
	const fieldErrors = {};
	const nodes = FIELDS.map((field) => {
		const spec = FIELD_SPEC[field];
		const id = `${prefix}-${field}`;
		const described = [spec.hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
		const attrs = {
			id, name: field, class: 'ec-input', 'aria-describedby': described, 'aria-required': spec.required ? 'true' : null,
			autocomplete: spec.autocomplete || null, inputmode: spec.inputmode || null,
		};
		const input = spec.multiline
			? h('textarea', { ...attrs, rows: spec.rows || '3' })
			: h('input', { ...attrs, type: spec.type || 'text' });
		inputs[field] = input;
		fieldErrors[field] = h('p', { id: `${id}-error`, class: 'ec-field-error' });
		return h('div', { class: spec.wide ? 'ec-field ec-field-wide' : 'ec-field', dataset: { field } },
			h('label', { for: id }, tr(`field.${field}`),
				spec.required ? h('span', { class: 'ec-required' }, h('span', { 'aria-hidden': 'true' }, ' *'), h('span', { class: 'ec-visually-hidden' }, ` (${tr('create.required')})`)) : null),
			input,
			spec.hint ? h('p', { id: `${id}-hint`, class: 'ec-hint' }, tr(spec.hint)) : null,
			fieldErrors[field]);
	});

	function setError(field, message) {
		const input = inputs[field];
		fieldErrors[field].textContent = message || '';
		if (message) input.setAttribute('aria-invalid', 'true');
		else input.removeAttribute('aria-invalid');
	}

	return {
		grid: h('div', { class: 'ec-form-grid' }, nodes),
		inputs,
		setError,
		clearErrors() {
			for (const field of FIELDS) setError(field, '');
		},
		/** Puts a contact's values into the inputs (tags as "a, b"). */
		fill(contact) {
			for (const field of FIELDS) {
				const value = contact ? contact[field] : null;
				inputs[field].value = field === 'tags' ? (Array.isArray(value) ? value.join(', ') : '') : (value ?? '');
			}
		},
		values() {
			const values = {};
			for (const field of FIELDS) values[field] = inputs[field].value;
			return values;
		},
		/** Runs validate.js; shows the problems and focuses the first. Returns the body or null. */
		check() {
			const { body, errors } = validateContact(this.values());
			let first = null;
			for (const field of FIELDS) {
				const problem = errors[field];
				setError(field, problem ? tr(problem.key, problem.params) : '');
				if (problem && !first) first = field;
			}
			if (first) {
				inputs[first].focus();
				return null;
			}
			return body;
		},
		/** validation_failed naming one of these fields: its rule next to it, focused. Returns true when shown. */
		showServerError(error, errorText) {
			const field = error && error.field ? String(error.field).split(/[.[]/)[0] : null;
			if (!field || !Object.hasOwn(inputs, field) || error.code !== 'validation_failed') return false;
			setError(field, errorText({ status: error.status, code: error.code, field }));
			inputs[field].focus();
			return true;
		},
	};
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The normalized value of a field as the server stores it (absent → null, tags → []). */
export function fieldValue(source, field) {
	const value = source ? source[field] : undefined;
	if (field === 'tags') return Array.isArray(value) ? value : [];
	return value === undefined || value === '' ? null : value;
}

/**
 * The PATCH body that turns `base` into the checked form `body`: only the
 * fields that differ (cleared ones as null, cleared tags as []), plus version.
 */
export function editBody(body, base, version) {
	const patch = { version };
	for (const field of FIELDS) {
		const next = fieldValue(body, field);
		if (!same(next, fieldValue(base, field))) patch[field] = next;
	}
	return patch;
}

/** The fields whose values differ between two contacts (or form bodies). */
export function changedFields(a, b) {
	return FIELDS.filter((field) => !same(fieldValue(a, field), fieldValue(b, field)));
}
