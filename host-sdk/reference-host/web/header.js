// The header after login: brand, main nav, back-office link, org switcher,
// notification bell, language switcher, user and logout.
import { h } from './dom.js';
import { createBell } from './notifications.js';
import { popover } from './popover.js';
import { LOCALES } from './i18n.js';

const LANGUAGE_NAMES = { 'zh-CN': '简体中文', en: 'English' };

export function languageSwitcher(shell, id) {
	const select = h('select', { id, class: 'rh-lang-select' },
		LOCALES.map((locale) => h('option', { value: locale, lang: locale, selected: locale === shell.locale }, LANGUAGE_NAMES[locale])));
	select.addEventListener('change', () => shell.setLocale(select.value));
	return h('div', { class: 'rh-lang' },
		h('label', { for: id, class: 'rh-visually-hidden' }, shell.t('lang.label')),
		h('span', { class: 'rh-lang-icon', 'aria-hidden': 'true' }, '文/A'),
		select);
}

function orgTag(t, kind) {
	return kind === 'external' ? h('span', { class: 'rh-tag rh-tag-external' }, t('org.external')) : null;
}

function orgSwitcher(shell) {
	const { me, t } = shell;
	const orgs = Array.isArray(me.orgs) && me.orgs.length ? me.orgs : [me.org];
	const button = h('button', {
		type: 'button', id: 'rh-org-button', class: 'rh-org-button', 'aria-expanded': 'false', 'aria-controls': 'rh-org-list',
	},
	h('span', { class: 'rh-visually-hidden' }, t('org.current')),
	h('span', { class: 'rh-org-name' }, me.org.name),
	orgTag(t, me.org.kind),
	h('span', { class: 'rh-caret', 'aria-hidden': 'true' }));
	const panel = h('div', { id: 'rh-org-list', class: 'rh-popover rh-org-panel', hidden: true },
		h('p', { class: 'rh-popover-title', id: 'rh-org-title' }, t('org.switch')),
		h('ul', { class: 'rh-org-list', 'aria-labelledby': 'rh-org-title' },
			orgs.map((org) => h('li', {},
				h('button', {
					type: 'button', class: 'rh-org-option', 'aria-current': org.id === me.org.id ? 'true' : null,
					dataset: { orgId: String(org.id) },
					onClick: () => {
						control.close();
						if (org.id !== me.org.id) shell.switchOrg(org.id);
					},
				}, h('span', { class: 'rh-org-name' }, org.name), orgTag(t, org.kind),
				org.id === me.org.id ? h('span', { class: 'rh-check', 'aria-hidden': 'true' }, '✓') : null)))));
	const control = popover(button, panel, { onOpen: () => {
		const current = panel.querySelector('[aria-current="true"]') || panel.querySelector('button');
		if (current) current.focus();
	} });
	return { element: h('div', { class: 'rh-org' }, button, panel), destroy: control.destroy };
}

export function renderHeader(shell) {
	const { me, t } = shell;
	const links = new Map();
	const navList = h('ul', { class: 'rh-nav-list' },
		shell.mainMenus.map((item) => {
			const link = h('a', { href: `#/p/${encodeURIComponent(item.id)}`, class: 'rh-nav-link', dataset: { menuId: item.id } }, item.label);
			links.set(item.id, link);
			return h('li', {}, link);
		}));
	const adminLink = me.org && me.org.isAdmin
		? h('a', { href: '#/admin/org-settings', class: 'rh-admin-link' }, t('admin.link'))
		: null;
	const org = orgSwitcher(shell);
	// The person's name opens 个人设置 (#/me).
	const userName = h('span', {}, me.user.displayName || me.user.login);
	const userLink = h('a', { href: '#/me', class: 'rh-user', title: t('me.open', { login: me.user.login }) }, userName);
	const bell = createBell(shell);
	const element = h('header', { class: 'rh-header' },
		h('a', { class: 'rh-brand', href: '#/' }, h('span', { class: 'rh-logo', 'aria-hidden': 'true' }), h('span', {}, t('app.name'))),
		h('nav', { class: 'rh-nav', 'aria-label': t('nav.main') }, navList),
		h('div', { class: 'rh-tools' },
			adminLink,
			org.element,
			bell.element,
			languageSwitcher(shell, 'rh-lang'),
			userLink,
			h('button', { type: 'button', class: 'rh-button rh-logout', onClick: () => shell.logout() }, t('auth.logout'))));

	return {
		element,
		setActive(target) {
			for (const [id, link] of links) {
				if (target.kind === 'page' && target.id === id) link.setAttribute('aria-current', 'page');
				else link.removeAttribute('aria-current');
			}
			if (target.kind === 'me') userLink.setAttribute('aria-current', 'page');
			else userLink.removeAttribute('aria-current');
			if (adminLink) {
				if (target.kind === 'admin') adminLink.setAttribute('aria-current', 'page');
				else adminLink.removeAttribute('aria-current');
			}
		},
		/** Shows the name again after 个人设置 changed it. */
		refreshUser() {
			userName.textContent = shell.me.user.displayName || shell.me.user.login;
		},
		destroy() {
			org.destroy();
			bell.destroy();
		},
	};
}
