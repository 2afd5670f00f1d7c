// Tiny DOM helpers shared by the shell's views.

/**
 * h('button', {class: 'x', onClick: fn, 'aria-expanded': 'false'}, 'text', child)
 * Attributes with null/undefined/false are skipped, true sets an empty attribute,
 * on* functions become event listeners, `text` sets textContent.
 */
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [key, value] of Object.entries(attrs || {})) {
		if (value === null || value === undefined || value === false) continue;
		if (key === 'class') el.className = value;
		else if (key === 'text') el.textContent = value;
		else if (key === 'dataset') Object.assign(el.dataset, value);
		else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
		else if (value === true) el.setAttribute(key, '');
		else el.setAttribute(key, String(value));
	}
	append(el, children);
	return el;
}

export function append(el, children) {
	for (const child of children.flat(Infinity)) {
		if (child === null || child === undefined || child === false) continue;
		el.append(child instanceof Node ? child : document.createTextNode(String(child)));
	}
	return el;
}

export function clear(el) {
	while (el.firstChild) el.removeChild(el.firstChild);
	return el;
}

let idCounter = 0;
export function uid(prefix = 'rh') {
	idCounter += 1;
	return `${prefix}-${idCounter}`;
}

/** Formats an ISO date string or epoch (s or ms) for the UI locale; '' when unusable. */
export function formatTime(value, locale) {
	if (value === null || value === undefined || value === '') return '';
	let date;
	if (typeof value === 'number') date = new Date(value < 1e12 ? value * 1000 : value);
	else date = new Date(value);
	if (Number.isNaN(date.getTime())) return '';
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
