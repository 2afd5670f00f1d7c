// Back office 外部互联 / 分组维护者: admins set the maintainers of each group of
// the org's contacts (the company a contact is listed under, or 未分组).
// Mounted by the shell at #/admin/p/group-maintainers (docs/WEB.md).
// Routes: GET and PUT /api/plugins/external-contacts/admin/group-maintainers.

const API = '/api/plugins/external-contacts/admin/group-maintainers';

// This page's own strings; the 外部互联 page keeps its catalog in i18n.js.
const STRINGS = {
	'zh-CN': {
		title: '分组维护者',
		intro: '维护者可查看和维护其分组内的全部外部联系人。分组即联系人所属的公司；未填写公司的联系人属于“未分组”。',
		listTitle: '已设置维护者的分组',
		empty: '还没有分组设置了维护者。',
		loading: '加载中…',
		more: '加载更多',
		ungrouped: '未分组',
		groupCol: '分组',
		maintainersCol: '维护者',
		edit: '修改',
		formTitle: '设置分组维护者',
		groupLabel: '分组（公司名称）',
		groupHint: '留空并勾选“未分组”可设置未分组联系人的维护者。',
		ungroupedLabel: '未分组',
		idsLabel: '维护者成员 ID（用逗号分隔，最多 50 个；留空则移除全部维护者）',
		save: '保存',
		saving: '保存中…',
		saved: '已保存：{group} — {names}',
		none: '（无）',
		badIds: '请输入以逗号分隔的正整数成员 ID。',
		tooMany: '最多 50 个维护者。',
		needGroup: '请填写分组名称，或勾选“未分组”。',
		fieldGroup: '分组名称无效（1–100 个字符）。',
		fieldMaintainers: '维护者须为本组织成员的 ID，最多 50 个。',
		unknownName: '成员 {id}'
	},
	en: {
		title: 'Group maintainers',
		intro: 'Maintainers see and maintain every external contact of their groups. A group is the company a contact is listed under; contacts without a company are “Ungrouped”.',
		listTitle: 'Groups with maintainers',
		empty: 'No group has maintainers yet.',
		loading: 'Loading…',
		more: 'Load more',
		ungrouped: 'Ungrouped',
		groupCol: 'Group',
		maintainersCol: 'Maintainers',
		edit: 'Change',
		formTitle: 'Set the maintainers of a group',
		groupLabel: 'Group (company name)',
		groupHint: 'Tick “Ungrouped” to set the maintainers of contacts without a company.',
		ungroupedLabel: 'Ungrouped',
		idsLabel: 'Maintainer member ids (comma-separated, at most 50; empty removes all maintainers)',
		save: 'Save',
		saving: 'Saving…',
		saved: 'Saved: {group} — {names}',
		none: '(none)',
		badIds: 'Enter positive integer member ids separated by commas.',
		tooMany: 'At most 50 maintainers.',
		needGroup: 'Enter a group name or tick “Ungrouped”.',
		fieldGroup: 'The group name is not valid (1–100 characters).',
		fieldMaintainers: 'Maintainers must be ids of members of this organization, at most 50.',
		unknownName: 'Member {id}'
	}
};

const MAX_MAINTAINERS = 50;

let current = null;

function el(tag, attrs, ...children) {
	const node = document.createElement(tag);
	for (const [name, value] of Object.entries(attrs || {})) {
		if (value === null || value === undefined || value === false) continue;
		if (name === 'class') node.className = value;
		else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
		else if (value === true) node.setAttribute(name, '');
		else node.setAttribute(name, String(value));
	}
	for (const child of children.flat()) {
		if (child === null || child === undefined || child === false) continue;
		node.append(child instanceof Node ? child : document.createTextNode(String(child)));
	}
	return node;
}

/** "3, 7,12" → [3, 7, 12]; null when any part is not a positive integer. */
export function parseIds(text) {
	const parts = String(text || '').split(/[,，\s]+/).filter((part) => part !== '');
	const ids = [];
	for (const part of parts) {
		if (!/^[1-9][0-9]{0,17}$/.test(part)) return null;
		const id = Number(part);
		if (!Number.isSafeInteger(id)) return null;
		if (!ids.includes(id)) ids.push(id);
	}
	return ids;
}

export function mount(root, ctx) {
	const strings = STRINGS[ctx.locale] || STRINGS['zh-CN'];
	const say = (name, params = {}) =>
		strings[name].replace(/\{(\w+)\}/g, (whole, param) => (param in params ? String(params[param]) : whole));
	const controller = new AbortController();
	const state = { cursor: null, loading: false };
	current = { controller, root };

	const groupText = (group) => (group === null ? say('ungrouped') : group);
	const namesText = (maintainers) =>
		maintainers.length === 0
			? say('none')
			: maintainers.map((m) => `${m.displayName || say('unknownName', { id: m.id })} (${m.id})`).join(', ');

	const tbody = el('tbody');
	const listStatus = el('p', { class: 'gm-status', role: 'status' });
	const moreButton = el('button', { type: 'button', hidden: true, onclick: () => load(false) }, say('more'));

	const groupInput = el('input', { id: 'gm-group', name: 'group', type: 'text', maxlength: 100, autocomplete: 'off' });
	const ungroupedBox = el('input', { id: 'gm-ungrouped', name: 'ungrouped', type: 'checkbox' });
	const idsInput = el('input', { id: 'gm-ids', name: 'maintainers', type: 'text', inputmode: 'numeric', autocomplete: 'off' });
	const formError = el('p', { class: 'gm-error', role: 'alert' });
	const formResult = el('p', { class: 'gm-result', role: 'status' });
	const saveButton = el('button', { type: 'submit' }, say('save'));
	ungroupedBox.addEventListener('change', () => {
		groupInput.disabled = ungroupedBox.checked;
	});

	function row(entry) {
		const edit = el('button', { type: 'button', onclick: () => fill(entry) }, say('edit'));
		return el('tr', { 'data-group': entry.group === null ? '' : entry.group },
			el('td', null, groupText(entry.group)),
			el('td', null, namesText(entry.maintainers)),
			el('td', null, edit));
	}

	function fill(entry) {
		ungroupedBox.checked = entry.group === null;
		groupInput.disabled = entry.group === null;
		groupInput.value = entry.group === null ? '' : entry.group;
		idsInput.value = entry.maintainers.map((m) => m.id).join(', ');
		idsInput.focus();
	}

	async function load(first) {
		if (state.loading) return;
		state.loading = true;
		listStatus.textContent = say('loading');
		try {
			const query = first || !state.cursor ? '' : `&cursor=${encodeURIComponent(state.cursor)}`;
			const page = await ctx.api('GET', `${API}?limit=50${query}`, undefined, { signal: controller.signal });
			if (first) tbody.replaceChildren();
			for (const entry of page.items) tbody.append(row(entry));
			state.cursor = page.nextCursor;
			moreButton.hidden = !page.nextCursor;
			listStatus.textContent = tbody.children.length === 0 ? say('empty') : '';
		} catch (error) {
			if (controller.signal.aborted) return;
			listStatus.textContent = ctx.errorText(error);
		} finally {
			state.loading = false;
		}
	}

	async function save(event) {
		event.preventDefault();
		formError.textContent = '';
		formResult.textContent = '';
		const group = ungroupedBox.checked ? null : groupInput.value.trim();
		if (group === '') {
			formError.textContent = say('needGroup');
			groupInput.focus();
			return;
		}
		const ids = parseIds(idsInput.value);
		if (ids === null) {
			formError.textContent = say('badIds');
			idsInput.focus();
			return;
		}
		if (ids.length > MAX_MAINTAINERS) {
			formError.textContent = say('tooMany');
			idsInput.focus();
			return;
		}
		saveButton.disabled = true;
		saveButton.textContent = say('saving');
		try {
			const saved = await ctx.api('PUT', API, { group, maintainers: ids }, { signal: controller.signal });
			formResult.textContent = say('saved', { group: groupText(saved.group), names: namesText(saved.maintainers) });
			await load(true);
		} catch (error) {
			if (controller.signal.aborted) return;
			formError.textContent = ctx.errorText(error, {
				fields: { group: say('fieldGroup'), maintainers: say('fieldMaintainers') }
			});
		} finally {
			saveButton.disabled = false;
			saveButton.textContent = say('save');
		}
	}

	root.replaceChildren(
		el('section', { class: 'gm-page', 'aria-labelledby': 'gm-title' },
			el('h1', { id: 'gm-title' }, say('title')),
			el('p', null, say('intro')),
			el('h2', null, say('listTitle')),
			el('table', { class: 'gm-table' },
				el('thead', null, el('tr', null, el('th', null, say('groupCol')), el('th', null, say('maintainersCol')), el('th'))),
				tbody),
			listStatus,
			moreButton,
			el('h2', null, say('formTitle')),
			el('form', { class: 'gm-form', novalidate: true, onsubmit: save },
				el('p', null, el('label', { for: 'gm-group' }, say('groupLabel')), ' ', groupInput),
				el('p', null, el('label', null, ungroupedBox, ' ', say('ungroupedLabel'))),
				el('p', { class: 'gm-hint' }, say('groupHint')),
				el('p', null, el('label', { for: 'gm-ids' }, say('idsLabel')), ' ', idsInput),
				formError,
				el('p', null, saveButton),
				formResult)));
	load(true);
}

export function unmount() {
	if (!current) return;
	current.controller.abort();
	current.root.replaceChildren();
	current = null;
}
