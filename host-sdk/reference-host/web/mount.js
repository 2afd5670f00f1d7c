// Loading a plugin page module and the shared error/empty message block.
import { h, clear } from './dom.js';
import { errorText } from './errors.js';

/** The ctx handed to mount(el, ctx); see docs/WEB.md. */
export function makeContext(shell) {
	const { t } = shell;
	return Object.freeze({
		api: shell.api,
		me: shell.me,
		t,
		errorText: (error, options) => errorText(t, error, options),
		locale: shell.locale,
		navigate: shell.navigate,
		menus: shell.menus,
	});
}

/**
 * Imports item.module and calls its mount(container, ctx). Returns the handle
 * { key, unmount() } or null when the route changed meanwhile (then anything
 * mounted is unmounted again).
 */
export async function mountModule(shell, item, container, isCurrent, key) {
	clear(container);
	container.setAttribute('aria-busy', 'true');
	container.append(h('p', { class: 'rh-loading', role: 'status' }, shell.t('app.loading')));
	let mod;
	try {
		if (!item.module) throw new Error('menu item without module');
		mod = await import(item.module);
		if (typeof mod.mount !== 'function') throw new Error('module has no mount()');
	} catch (error) {
		console.error('loading page module failed', item.module, error);
		if (!isCurrent()) return null;
		container.removeAttribute('aria-busy');
		clear(container);
		container.append(renderMessage(shell.t, { status: -1, title: shell.t('error.moduleTitle'), message: shell.t('error.module') },
			() => shell.reroute()));
		return { key, unmount() {} };
	}
	if (!isCurrent()) return null;
	container.removeAttribute('aria-busy');
	clear(container);
	const handle = {
		key,
		unmount() {
			try {
				if (typeof mod.unmount === 'function') mod.unmount(container);
			} catch (error) {
				console.error('unmount failed', item.module, error);
			}
		},
	};
	try {
		await mod.mount(container, makeContext(shell));
	} catch (error) {
		console.error('mount failed', item.module, error);
		if (isCurrent() && error.status !== 401) {
			clear(container);
			container.append(renderMessage(shell.t, error));
		}
	}
	if (!isCurrent()) {
		handle.unmount();
		return null;
	}
	return handle;
}

/**
 * A page-level message for an error (an ApiError, or {status, title, message}
 * with texts already localized) with an optional retry button. Never shows
 * raw bodies, stacks or the server's English message: only localized texts
 * per status and code (errors.js).
 */
export function renderMessage(t, error, retry) {
	const status = error && typeof error.status === 'number' ? error.status : -1;
	let title;
	let text;
	if (error && error.title) {
		title = error.title;
		text = error.message;
	} else if (status === 0) {
		title = t('error.networkTitle');
		text = t('error.network');
	} else if (status === 403) {
		title = t('error.forbiddenTitle');
		text = t('error.forbidden');
	} else if (status === 404) {
		title = t('error.notFoundTitle');
		text = t('error.notFound');
	} else {
		title = t('error.genericTitle');
		text = errorText(t, error);
	}
	return h('div', { class: 'rh-message', role: 'alert' },
		h('h1', { class: 'rh-message-title' }, title),
		h('p', {}, text),
		retry ? h('button', { type: 'button', class: 'rh-button', onClick: retry }, t('action.retry')) : null);
}
