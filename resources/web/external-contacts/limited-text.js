// A textarea whose text the server limits (a remark, a reason): a label, a live
// character count and a field error.
import { h } from './dom.js';

const TEXT_MAX = 500;

/** Characters as the server counts them (code points) of the trimmed text. */
export function textLength(text) {
	return [...String(text || '').trim()].length;
}

/**
 * A textarea with a label, a live character count and a field error (at most 500
 * characters). idPrefix: e.g. 'ec-apply-remark' → #ec-apply-remark, -count, -error;
 * onFixed(): the text is short enough again after the error said too long.
 */
export function limitedText(tr, idPrefix, label, hint, { onFixed = null } = {}) {
	const count = h('p', { id: `${idPrefix}-count`, class: 'ec-hint ec-count' });
	const error = h('p', { id: `${idPrefix}-error`, class: 'ec-field-error' });
	const hintEl = hint ? h('p', { id: `${idPrefix}-hint`, class: 'ec-hint' }, hint) : null;
	const input = h('textarea', {
		id: idPrefix, class: 'ec-input', rows: '4',
		'aria-describedby': [hint ? `${idPrefix}-hint` : null, `${idPrefix}-count`, `${idPrefix}-error`].filter(Boolean).join(' '),
	});
	function update() {
		const used = textLength(input.value);
		count.textContent = tr('account.count', { count: used, max: TEXT_MAX });
		count.classList.toggle('ec-count-over', used > TEXT_MAX);
		if (used <= TEXT_MAX && error.textContent === tr('account.tooLong', { max: TEXT_MAX })) {
			setError('');
			if (onFixed) onFixed();
		}
	}
	function setError(text) {
		error.textContent = text || '';
		if (text) input.setAttribute('aria-invalid', 'true');
		else input.removeAttribute('aria-invalid');
	}
	input.addEventListener('input', update);
	update();
	return {
		input,
		setError,
		reset() {
			input.value = '';
			setError('');
			update();
		},
		/** The trimmed text, or null (with the error shown) when it is too long. */
		check() {
			if (textLength(input.value) > TEXT_MAX) {
				setError(tr('account.tooLong', { max: TEXT_MAX }));
				return null;
			}
			setError('');
			return input.value.trim();
		},
		element: h('div', { class: 'ec-field' }, h('label', { for: idPrefix }, label), hintEl, input, count, error),
	};
}
