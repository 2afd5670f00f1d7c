// Web shell of the reference host: login, header (main nav, org switcher,
// notification bell, language, logout), hash routing that mounts plugin
// ES modules, and the back office frame. See docs/WEB.md.
import { createApi } from './api.js';
import { h, clear } from './dom.js';
import { LOCALES, loadCatalog, makeTranslator, storeLocale, storedLocale } from './i18n.js';
import { renderLogin } from './login.js';
import { activationToken, renderActivation } from './activate.js';
import { renderHeader } from './header.js';
import { renderAdmin } from './admin.js';
import { renderPersonalSettings } from './me.js';
import { mountModule, renderMessage } from './mount.js';
import { errorText } from './errors.js';

const root = document.getElementById('app');

const shell = {
	locale: storedLocale(),
	t: (key) => key,
	me: null,
	csrf: null,
	mainMenus: [],
	header: null,
	main: null,
	mounted: null, // { key, unmount() }
	routeToken: 0,
	api: null,
};

shell.api = createApi({
	getLocale: () => shell.locale,
	getCsrf: () => shell.csrf,
	t: (key, params) => shell.t(key, params),
	onUnauthenticated: () => {
		if (shell.me) showLogin(shell.t('login.expired'));
	},
});

/** The localized text for a failed call (errors.js), in the current language. */
shell.errorText = (error, options) => errorText(shell.t, error, options);

/** ctx.menus(location): the items of a menu location, sorted by order. */
shell.menus = async function menus(location) {
	const data = await shell.api('GET', `/api/menus?location=${encodeURIComponent(location)}`);
	const items = Array.isArray(data && data.items) ? data.items.slice() : [];
	items.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
	return items;
};

shell.navigate = function navigate(path) {
	const target = String(path).startsWith('#') ? String(path) : `#${String(path).startsWith('/') ? '' : '/'}${path}`;
	if (location.hash === target) route();
	else location.hash = target;
};

shell.setLocale = async function setLocale(locale) {
	if (!LOCALES.includes(locale) || locale === shell.locale) return;
	storeLocale(locale);
	await applyLocale(locale);
	if (shell.me) await startApp(shell.me, { reloadMe: true });
	else if (activationToken(location.hash)) showActivation(activationToken(location.hash));
	else showLogin();
};

shell.switchOrg = async function switchOrg(orgId) {
	try {
		const me = await shell.api('POST', '/api/me/org', { orgId });
		await startApp(me, { keepRoute: false });
		shell.toast(shell.t('org.switched', { name: me.org.name }));
	} catch (error) {
		if (error.status !== 401) shell.toast(shell.errorText(error), 'error');
	}
};

shell.logout = async function logout() {
	try {
		await shell.api('DELETE', '/api/session', undefined, { allowUnauthenticated: true });
	} catch (error) {
		if (error.status !== 401) {
			shell.toast(shell.errorText(error), 'error');
			return;
		}
	}
	showLogin(shell.t('login.loggedOut'));
};

shell.toast = function toast(message, kind = 'info') {
	const region = document.getElementById('rh-toast');
	if (!region) return;
	clear(region);
	region.append(h('div', { class: `rh-toast-msg rh-toast-${kind}` }, message));
	clearTimeout(shell.toastTimer);
	shell.toastTimer = setTimeout(() => clear(region), 6000);
};

async function applyLocale(locale) {
	const catalog = await loadCatalog(locale);
	shell.locale = locale;
	shell.t = makeTranslator(catalog);
	document.documentElement.lang = locale;
}

function unmountCurrent() {
	const current = shell.mounted;
	shell.mounted = null;
	if (current) current.unmount();
}

function teardown() {
	shell.routeToken += 1;
	unmountCurrent();
	if (shell.header) shell.header.destroy();
	shell.header = null;
	shell.main = null;
}

function showLogin(message) {
	teardown();
	shell.me = null;
	shell.csrf = null;
	shell.mainMenus = [];
	document.title = shell.t('app.name');
	renderLogin(root, shell, {
		message,
		onLoggedIn: (me) => startApp(me),
	});
}

/** The public activation page of an external account (#/activate/<token>). */
function showActivation(token) {
	teardown();
	document.title = `${shell.t('activate.title')} · ${shell.t('app.name')}`;
	renderActivation(root, shell, token, {
		onActivated: (login) => {
			history.replaceState(null, '', '#/');
			showLogin(shell.t('activate.done', { login }));
		},
	});
}

async function startApp(me, { reloadMe = false, keepRoute = true } = {}) {
	teardown();
	shell.me = me;
	shell.csrf = me.csrfToken || shell.csrf;
	clear(root);
	root.append(h('p', { class: 'rh-loading', role: 'status' }, shell.t('app.loading')));
	try {
		if (reloadMe) {
			shell.me = await shell.api('GET', '/api/me');
			shell.csrf = shell.me.csrfToken || shell.csrf;
		}
		shell.mainMenus = await shell.menus('main.nav');
	} catch (error) {
		if (error.status === 401) return;
		renderBootError(error, () => startApp(shell.me, { reloadMe, keepRoute }));
		return;
	}
	clear(root);
	const skip = h('button', { type: 'button', class: 'rh-skip', onClick: () => shell.main.focus() }, shell.t('app.skipToContent'));
	shell.header = renderHeader(shell);
	shell.main = h('main', { id: 'main', class: 'rh-main', tabindex: '-1' });
	root.append(skip, shell.header.element, shell.main, h('div', { id: 'rh-toast', class: 'rh-toast', role: 'status', 'aria-live': 'polite' }));
	if (!keepRoute) {
		// After an org switch, stay only where the new org lets the person be.
		const target = parseRoute();
		const stays = target.kind === 'me' || (target.kind === 'page' && shell.mainMenus.some((item) => item.id === target.id))
			|| (target.kind === 'admin' && shell.me.org && shell.me.org.isAdmin);
		if (!stays) history.replaceState(null, '', '#/');
	}
	route({ focus: false });
}

function renderBootError(error, retry) {
	clear(root);
	root.append(h('main', { id: 'main', class: 'rh-main rh-boot-error', tabindex: '-1' },
		renderMessage(shell.t, error, retry)));
}

function parseRoute() {
	const hash = location.hash.replace(/^#/, '');
	const parts = hash.split('/').filter(Boolean).map((part) => decodeURIComponent(part));
	if (parts[0] === 'p' && parts[1]) return { kind: 'page', id: parts[1] };
	if (parts[0] === 'me' && parts.length === 1) return { kind: 'me' };
	if (parts[0] === 'admin') {
		if (parts[1] === 'p' && parts[2]) return { kind: 'admin', page: parts[2] };
		return { kind: 'admin', page: parts[1] || 'org-settings' };
	}
	if (parts.length === 0) return { kind: 'default' };
	return { kind: 'unknown' };
}

async function route({ focus = true } = {}) {
	if (!shell.me || !shell.main) return;
	const token = ++shell.routeToken;
	const target = parseRoute();
	if (target.kind === 'default') {
		const first = shell.mainMenus[0];
		if (first) {
			history.replaceState(null, '', `#/p/${encodeURIComponent(first.id)}`);
			return route({ focus });
		}
	}
	const key = target.kind === 'page' ? `page:${target.id}` : target.kind === 'admin' ? `admin:${target.page}` : target.kind;
	if (shell.mounted && shell.mounted.key === key) return;
	unmountCurrent();
	clear(shell.main);
	shell.header.setActive(target);

	const isCurrent = () => token === shell.routeToken;
	if (target.kind === 'default') {
		document.title = shell.t('app.name');
		shell.main.append(h('div', { class: 'rh-empty' }, h('h1', {}, shell.t('app.noApps')), h('p', {}, shell.t('app.noAppsHint'))));
	} else if (target.kind === 'page') {
		const item = shell.mainMenus.find((menu) => menu.id === target.id);
		if (!item) {
			document.title = shell.t('app.name');
			shell.main.append(renderMessage(shell.t, { status: 404 }));
		} else {
			document.title = `${item.label} · ${shell.t('app.name')}`;
			const container = h('div', { class: 'rh-page', dataset: { menuId: item.id } });
			shell.main.append(container);
			const handle = await mountModule(shell, item, container, isCurrent, key);
			if (isCurrent()) shell.mounted = handle;
		}
	} else if (target.kind === 'me') {
		document.title = `${shell.t('me.title')} · ${shell.t('app.name')}`;
		const handle = renderPersonalSettings(shell, shell.main);
		shell.mounted = { key, unmount: handle.unmount };
	} else if (target.kind === 'admin') {
		const handle = await renderAdmin(shell, shell.main, target.page, isCurrent, key);
		if (isCurrent()) shell.mounted = handle;
		else if (handle) handle.unmount();
	} else {
		document.title = shell.t('app.name');
		shell.main.append(renderMessage(shell.t, { status: 404 }));
	}
	if (focus && isCurrent()) {
		const heading = shell.main.querySelector('h1');
		if (heading) {
			if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
			heading.focus();
		} else shell.main.focus();
	}
}

/** Mounts the current route again (retry after a failed load). */
shell.reroute = function reroute() {
	unmountCurrent();
	route();
};

window.addEventListener('hashchange', () => {
	const token = activationToken(location.hash);
	if (token) showActivation(token);
	else if (!shell.me) showLogin();
	else route();
});

async function boot() {
	try {
		await applyLocale(shell.locale);
	} catch {
		// Without a catalog the keys show; still let the person in.
	}
	document.title = shell.t('app.name');
	const token = activationToken(location.hash);
	if (token) {
		// Whoever is logged in on this browser, the link is for someone else.
		showActivation(token);
		return;
	}
	try {
		const me = await shell.api('GET', '/api/me', undefined, { allowUnauthenticated: true });
		await startApp(me);
	} catch (error) {
		if (error.status === 401) showLogin();
		else renderBootError(error, boot);
	}
}

boot();
