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

let stylesheet = null;

/** Adds contacts.css to the page once (the 外部互联 page and the back-office pages share it); resolves when it loaded, failed or after 2 s. */
export function loadStylesheet() {
	if (!stylesheet) {
		stylesheet = new Promise((resolve) => {
			if (document.querySelector('link[data-ec-css]')) return resolve();
			const link = document.createElement('link');
			link.rel = 'stylesheet';
			link.href = new URL('./contacts.css', import.meta.url).href;
			link.dataset.ecCss = '';
			link.onload = () => resolve();
			link.onerror = () => resolve();
			document.head.append(link);
			setTimeout(resolve, 2000);
		});
	}
	return stylesheet;
}
