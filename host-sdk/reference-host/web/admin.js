// Back office frame (#/admin/...): left nav with the built-in org settings,
// 成员管理 (members.js) and 对外开放 (menu-access.js) pages and the pages plugins registered
// (GET /api/admin/pages).
import { h, clear } from './dom.js';
import { mountModule, renderMessage } from './mount.js';
import { renderMenuAccess } from './menu-access.js';
import { renderMembers } from './members.js';

export async function renderAdmin(shell, main, page, isCurrent, key) {
	const { t } = shell;
	const noop = { key, unmount() {} };
	document.title = `${t('admin.title')} · ${t('app.name')}`;
	if (!shell.me.org || !shell.me.org.isAdmin) {
		main.append(renderMessage(t, { status: 403 }));
		return noop;
	}
	main.append(h('p', { class: 'rh-loading', role: 'status' }, t('app.loading')));
	let pages = [];
	let pagesError = null;
	try {
		const data = await shell.api('GET', '/api/admin/pages');
		pages = Array.isArray(data && data.items) ? data.items : [];
	} catch (error) {
		pagesError = error;
	}
	if (!isCurrent()) return null;
	clear(main);
	if (pagesError && pagesError.status === 401) return noop;
	if (pagesError && pagesError.status === 403) {
		main.append(renderMessage(t, pagesError));
		return noop;
	}

	const sections = [
		{ label: t('admin.section.org'), items: [
			{ id: 'org-settings', label: t('admin.orgSettings'), href: '#/admin/org-settings' },
			{ id: 'members', label: t('admin.members'), href: '#/admin/members' },
		] },
		{ label: t('admin.section.apps'), items: [{ id: 'menu-access', label: t('admin.menuAccess'), href: '#/admin/menu-access' }] },
	];
	for (const item of pages) {
		let section = sections.find((s) => s.key === item.section);
		if (!section) {
			section = { key: item.section, label: item.sectionLabel || item.section, items: [] };
			sections.push(section);
		}
		section.items.push({ id: item.id, label: item.label, href: `#/admin/p/${encodeURIComponent(item.id)}` });
	}
	const nav = h('nav', { class: 'rh-admin-nav', 'aria-label': t('admin.nav') },
		h('p', { class: 'rh-admin-nav-title' }, t('admin.title')),
		sections.map((section, index) => h('div', { class: 'rh-admin-section' },
			h('h2', { class: 'rh-admin-section-title', id: `rh-admin-s${index}` }, section.label),
			h('ul', { 'aria-labelledby': `rh-admin-s${index}` }, section.items.map((item) => h('li', {},
				h('a', { href: item.href, class: 'rh-admin-link-item', 'aria-current': item.id === page ? 'page' : null }, item.label)))))),
		pagesError ? h('p', { class: 'rh-error-text', role: 'alert' }, t('admin.pagesError')) : null);
	const content = h('div', { class: 'rh-admin-content' });
	main.append(h('div', { class: 'rh-admin' }, nav, content));

	if (page === 'org-settings') {
		document.title = `${t('admin.orgSettings')} · ${t('admin.title')} · ${t('app.name')}`;
		renderOrgSettings(shell, content, isCurrent);
		return noop;
	}
	if (page === 'members') {
		document.title = `${t('admin.members')} · ${t('admin.title')} · ${t('app.name')}`;
		renderMembers(shell, content, isCurrent);
		return noop;
	}
	if (page === 'menu-access') {
		document.title = `${t('admin.menuAccess')} · ${t('admin.title')} · ${t('app.name')}`;
		renderMenuAccess(shell, content, isCurrent);
		return noop;
	}
	const item = pages.find((p) => p.id === page);
	if (!item) {
		content.append(renderMessage(t, { status: 404 }));
		return noop;
	}
	document.title = `${item.label} · ${t('admin.title')} · ${t('app.name')}`;
	const container = h('div', { class: 'rh-page', dataset: { pageId: item.id } });
	content.append(container);
	return mountModule(shell, item, container, isCurrent, key);
}

function renderOrgSettings(shell, content, isCurrent) {
	const { t } = shell;
	const heading = h('h1', {}, t('admin.orgSettings'));
	const body = h('div', { class: 'rh-settings-body' }, h('p', { class: 'rh-loading', role: 'status' }, t('app.loading')));
	content.append(h('div', { class: 'rh-settings' },
		h('p', { class: 'rh-breadcrumb' }, t('admin.section.org')), heading, body));

	const load = async () => {
		clear(body);
		body.append(h('p', { class: 'rh-loading', role: 'status' }, t('app.loading')));
		let settings;
		try {
			settings = await shell.api('GET', '/api/admin/org-settings');
		} catch (error) {
			if (!isCurrent() || error.status === 401) return;
			clear(body);
			body.append(renderMessage(t, error, load));
			return;
		}
		if (!isCurrent()) return;
		clear(body);
		body.append(settingsForm(shell, settings));
	};
	load();
}

function settingsForm(shell, settings) {
	const { t } = shell;
	const input = h('input', {
		id: 'rh-default-security-level', name: 'defaultSecurityLevel', type: 'number', inputmode: 'numeric',
		min: '-999', max: '0', step: '1', required: true, value: String(settings.defaultSecurityLevel ?? 0),
		'aria-describedby': 'rh-dsl-hint rh-dsl-error',
	});
	const error = h('p', { id: 'rh-dsl-error', class: 'rh-field-error', role: 'alert' });
	const status = h('p', { class: 'rh-form-status', role: 'status', 'aria-live': 'polite' });
	const submit = h('button', { type: 'submit', class: 'rh-button rh-button-primary' }, t('action.save'));
	const form = h('form', { class: 'rh-form', novalidate: true },
		h('fieldset', { class: 'rh-fieldset' },
			h('legend', {}, t('admin.externalContacts')),
			h('div', { class: 'rh-field' },
				h('label', { for: 'rh-default-security-level' }, t('admin.defaultSecurityLevel')),
				input,
				h('p', { id: 'rh-dsl-hint', class: 'rh-hint' }, t('admin.defaultSecurityLevelHint')),
				error)),
		h('div', { class: 'rh-form-actions' }, submit, status));

	const showError = (message) => {
		error.textContent = message;
		if (message) {
			input.setAttribute('aria-invalid', 'true');
			input.focus();
		} else input.removeAttribute('aria-invalid');
	};

	input.addEventListener('input', () => {
		status.textContent = '';
	});

	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		status.textContent = '';
		const raw = input.value.trim();
		const value = Number(raw);
		if (raw === '' || !Number.isInteger(value) || value < -999 || value > 0) {
			showError(t('admin.defaultSecurityLevelInvalid'));
			return;
		}
		showError('');
		submit.disabled = true;
		try {
			const saved = await shell.api('PUT', '/api/admin/org-settings', { defaultSecurityLevel: value });
			input.value = String(saved && saved.defaultSecurityLevel !== undefined ? saved.defaultSecurityLevel : value);
			status.textContent = t('action.saved');
		} catch (failure) {
			if (failure.status === 401) return;
			// The server's message is English: show the localized text per code and field.
			if (failure.field === 'defaultSecurityLevel') showError(shell.errorText(failure));
			else status.textContent = shell.errorText(failure);
		} finally {
			submit.disabled = false;
		}
	});
	return form;
}
