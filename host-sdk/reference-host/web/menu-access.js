// Back office 应用管理 / 对外开放 (#/admin/menu-access, R7.2): every main.nav
// item the plugins registered, with the org's switch "open to external users"
// and a minimum security level (empty = as the plugin registered it), saved
// per row through PUT /api/admin/menus/{pluginId}/{menuId}.
import { h, clear, uid } from './dom.js';
import { renderMessage } from './mount.js';

export const MIN_LEVEL = -999;
export const MAX_LEVEL = 1000;

export function renderMenuAccess(shell, content, isCurrent) {
	const { t } = shell;
	const body = h('div', { class: 'rh-settings-body' }, h('p', { class: 'rh-loading', role: 'status' }, t('app.loading')));
	content.append(h('div', { class: 'rh-settings rh-menu-access' },
		h('p', { class: 'rh-breadcrumb' }, t('admin.section.apps')),
		h('h1', {}, t('admin.menuAccess')),
		h('p', { class: 'rh-hint' }, t('menuAccess.hint')),
		body));

	const load = async () => {
		clear(body);
		body.append(h('p', { class: 'rh-loading', role: 'status' }, t('app.loading')));
		let data;
		try {
			data = await shell.api('GET', '/api/admin/menus');
		} catch (error) {
			if (!isCurrent() || error.status === 401) return;
			clear(body);
			body.append(renderMessage(t, error, load));
			return;
		}
		if (!isCurrent()) return;
		clear(body);
		const items = Array.isArray(data && data.items) ? data.items : [];
		if (items.length === 0) {
			body.append(h('p', { class: 'rh-empty' }, t('menuAccess.empty')));
			return;
		}
		body.append(h('table', { class: 'rh-table' },
			h('thead', {}, h('tr', {},
				h('th', { scope: 'col' }, t('menuAccess.item')),
				h('th', { scope: 'col' }, t('menuAccess.openToExternal')),
				h('th', { scope: 'col' }, t('menuAccess.minSecurityLevel')),
				h('th', { scope: 'col' }, h('span', { class: 'rh-visually-hidden' }, t('menuAccess.actions'))))),
			h('tbody', {}, items.map((item) => menuRow(shell, item)))));
	};
	load();
}

function levelText(t, level) {
	return level === null || level === undefined ? t('menuAccess.noMinimum') : String(level);
}

function menuRow(shell, initial) {
	const { t } = shell;
	let item = initial;
	const id = uid('rh-menu');
	const name = h('th', { scope: 'row', id: `${id}-name` }, item.label || item.id,
		h('span', { class: 'rh-hint rh-menu-plugin' }, ` ${item.pluginId}`));
	const open = h('input', {
		type: 'checkbox', id: `${id}-open`, name: 'openToExternal', checked: Boolean(item.openToExternal),
		'aria-labelledby': `${id}-open-label ${id}-name`,
	});
	const level = h('input', {
		type: 'number', id: `${id}-level`, name: 'minSecurityLevel', inputmode: 'numeric', step: '1',
		min: String(MIN_LEVEL), max: String(MAX_LEVEL), class: 'rh-level-input',
		'aria-labelledby': `${id}-level-label ${id}-name`, 'aria-describedby': `${id}-registered ${id}-error`,
	});
	const registered = h('p', { id: `${id}-registered`, class: 'rh-hint' });
	const error = h('p', { id: `${id}-error`, class: 'rh-field-error', role: 'alert' });
	const status = h('p', { class: 'rh-form-status', role: 'status', 'aria-live': 'polite' });
	const save = h('button', { type: 'button', class: 'rh-button rh-button-primary', 'aria-describedby': `${id}-name` },
		t('action.save'));

	const show = () => {
		open.checked = Boolean(item.openToExternal);
		const override = item.override || {};
		level.value = override.minSecurityLevel === null || override.minSecurityLevel === undefined ? '' : String(override.minSecurityLevel);
		const reg = item.registered || {};
		level.placeholder = levelText(t, reg.minSecurityLevel);
		registered.textContent = t('menuAccess.registered', {
			open: reg.openToExternal ? t('menuAccess.yes') : t('menuAccess.no'),
			level: levelText(t, reg.minSecurityLevel),
		});
	};
	const showError = (message) => {
		error.textContent = message;
		if (message) {
			level.setAttribute('aria-invalid', 'true');
			level.focus();
		} else level.removeAttribute('aria-invalid');
	};
	show();
	open.addEventListener('change', () => { status.textContent = ''; });
	level.addEventListener('input', () => { status.textContent = ''; });

	save.addEventListener('click', async () => {
		status.textContent = '';
		const raw = level.value.trim();
		const value = Number(raw);
		if (raw !== '' && (!Number.isInteger(value) || value < MIN_LEVEL || value > MAX_LEVEL)) {
			showError(t('menuAccess.levelInvalid'));
			return;
		}
		showError('');
		// The switch as registered is stored as "as registered" (null).
		const reg = item.registered || {};
		const checked = open.checked;
		const body = {
			openToExternal: checked === Boolean(reg.openToExternal) ? null : checked,
			minSecurityLevel: raw === '' ? null : value,
		};
		save.disabled = true;
		try {
			item = await shell.api('PUT',
				`/api/admin/menus/${encodeURIComponent(item.pluginId)}/${encodeURIComponent(item.id)}`, body);
			show();
			status.textContent = t('action.saved');
		} catch (failure) {
			if (failure.status === 401) return;
			const text = shell.errorText(failure, {
				fields: { minSecurityLevel: t('menuAccess.levelInvalid'), openToExternal: t('menuAccess.openInvalid') },
			});
			if (failure.field === 'minSecurityLevel') showError(text);
			else error.textContent = text;
		} finally {
			save.disabled = false;
		}
	});

	return h('tr', { dataset: { pluginId: item.pluginId, menuId: item.id } },
		name,
		h('td', {}, h('label', { class: 'rh-menu-open' }, open, h('span', { id: `${id}-open-label` }, t('menuAccess.openToExternal')))),
		h('td', {},
			h('label', { id: `${id}-level-label`, for: `${id}-level`, class: 'rh-visually-hidden' }, t('menuAccess.minSecurityLevel')),
			level, registered, error),
		h('td', {}, save, status));
}
