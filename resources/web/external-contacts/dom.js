// Small DOM helpers shared by the 外部互联 page's modules.

/** h('button', {class, onClick, dataset, …}, …children) → an element. */
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [key, value] of Object.entries(attrs || {})) {
		if (value === null || value === undefined || value === false) continue;
		if (key === 'class') el.className = value;
		else if (key === 'dataset') {
			for (const [name, data] of Object.entries(value)) if (data !== null && data !== undefined) el.dataset[name] = data;
		} else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
		else if (value === true) el.setAttribute(key, '');
		else el.setAttribute(key, String(value));
	}
	for (const child of children.flat(Infinity)) {
		if (child === null || child === undefined || child === false) continue;
		el.append(child instanceof Node ? child : document.createTextNode(String(child)));
	}
	return el;
}

export function clear(el) {
	while (el.firstChild) el.removeChild(el.firstChild);
}

/** The first character of a name for an avatar ('?' when blank). */
export function initial(name) {
	return [...String(name || '').trim()][0] || '?';
}

export function openModal(dialog) {
	if (dialog.open) return;
	if (typeof dialog.showModal === 'function') dialog.showModal();
	else dialog.setAttribute('open', '');
}

export function closeModal(dialog) {
	if (!dialog.open) return;
	if (typeof dialog.close === 'function') dialog.close();
	else dialog.removeAttribute('open');
}
