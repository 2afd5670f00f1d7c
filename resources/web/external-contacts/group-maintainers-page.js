// Back office 外部互联 / 分组维护者: admins set the maintainers of each group of
// the org's contacts (the company a contact is listed under, or 未分组).
// Mounted by the shell at #/admin/p/group-maintainers (docs/WEB.md); the shell
// shows the back office to org admins only.
// Routes: GET and PUT /api/plugins/external-contacts/admin/group-maintainers,
// GET /api/plugins/external-contacts/members (the member picker).
import { h, clear, initial, loadStylesheet } from './dom.js';
import { memberPicker, memberSearch } from './member-picker.js';
import { request, BASE } from './api.js';
import { pageModule } from './page-module.js';

const API = `${BASE}/admin/group-maintainers`;
const MAX_MAINTAINERS = 50;
const GROUP_MAX = 100;

export const { mount, unmount } = pageModule(createPage);

function createPage(root, ctx, { tr, signal }) {
	let destroyed = false;
	let listToken = 0;
	let cursor = null;
	let saving = false;
	// The form's maintainers: [{id, displayName}] in the order they were added.
	let chosen = [];

	const groupText = (group) => (group === null ? tr('group.ungrouped') : group);
	const nameOf = (member) => member.displayName || tr('gm.unknownName', { id: member.id });
	const namesText = (maintainers) =>
		(maintainers.length ? maintainers.map(nameOf).join(tr('gm.separator')) : tr('members.none'));
	const errorText = (error, options) => ctx.errorText(error, options);
	const fieldTexts = () => ({ group: tr('gm.fieldGroup'), maintainers: tr('gm.fieldMaintainers') });

	// ---- the list of groups with maintainers ---------------------------------------------
	const title = h('h1', { id: 'gm-title', tabindex: '-1' }, tr('gm.title'));
	const listTitle = h('h2', { id: 'gm-list-title', class: 'ec-panel-title', tabindex: '-1' }, tr('gm.listTitle'));
	const tbody = h('tbody');
	const table = h('table', { class: 'gm-table', 'aria-labelledby': 'gm-list-title' },
		h('thead', {}, h('tr', {},
			h('th', { scope: 'col' }, tr('gm.groupCol')),
			h('th', { scope: 'col' }, tr('gm.maintainersCol')),
			h('th', { scope: 'col' }, h('span', { class: 'ec-visually-hidden' }, tr('gm.actionsCol'))))),
		tbody);
	const listStatus = h('p', { class: 'gm-status', role: 'status', 'aria-live': 'polite' });
	const notice = h('p', { class: 'ec-notice gm-notice', role: 'status', 'aria-live': 'polite' });
	const moreButton = h('button', { type: 'button', class: 'ec-button', hidden: true }, tr('gm.more'));

	function row(entry) {
		const label = groupText(entry.group);
		const edit = h('button', { type: 'button', class: 'ec-button ec-button-small', 'aria-label': tr('gm.editLabel', { group: label }) }, tr('gm.edit'));
		const remove = h('button', { type: 'button', class: 'ec-button ec-button-small ec-button-danger', 'aria-label': tr('gm.removeLabel', { group: label }) }, tr('gm.remove'));
		edit.addEventListener('click', () => fill(entry));
		remove.addEventListener('click', () => removeAll(entry, remove));
		return h('tr', { dataset: { group: entry.group === null ? '' : entry.group, ungrouped: entry.group === null ? 'true' : null } },
			h('th', { scope: 'row', class: entry.group === null ? 'gm-group gm-ungrouped' : 'gm-group' }, label),
			h('td', { class: 'gm-maintainers' }, namesText(entry.maintainers)),
			h('td', { class: 'gm-actions' }, edit, ' ', remove));
	}

	async function load({ more = false } = {}) {
		const token = ++listToken;
		moreButton.disabled = true;
		listStatus.textContent = tr('gm.loading');
		table.setAttribute('aria-busy', 'true');
		let page;
		try {
			const query = more && cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
			page = await request(ctx, 'GET', `${API}?limit=50${query}`, undefined, { signal });
		} catch (error) {
			if (destroyed || token !== listToken || error.status === 401) return;
			table.removeAttribute('aria-busy');
			moreButton.disabled = false;
			listStatus.textContent = tr('gm.loadError', { message: errorText(error) });
			return;
		}
		if (destroyed || token !== listToken) return;
		table.removeAttribute('aria-busy');
		if (!more) clear(tbody);
		for (const entry of Array.isArray(page && page.items) ? page.items : []) tbody.append(row(entry));
		cursor = page && page.nextCursor ? page.nextCursor : null;
		moreButton.hidden = !cursor;
		moreButton.disabled = false;
		table.hidden = tbody.children.length === 0;
		listStatus.textContent = tbody.children.length === 0 ? tr('gm.empty') : '';
	}

	moreButton.addEventListener('click', () => load({ more: true }));

	async function removeAll(entry, button) {
		if (saving) return;
		saving = true;
		button.disabled = true;
		notice.textContent = '';
		try {
			await request(ctx, 'PUT', API, { group: entry.group, maintainers: [] }, { signal });
		} catch (error) {
			if (destroyed || error.status === 401) return;
			notice.textContent = errorText(error);
			button.disabled = false;
			return;
		} finally {
			saving = false;
		}
		if (destroyed) return;
		notice.textContent = tr('gm.removed', { group: groupText(entry.group) });
		if (sameGroup(entry.group)) setChosen([]);
		await load();
		if (!destroyed) listTitle.focus();
	}

	// ---- the form ------------------------------------------------------------------------
	const groupInput = h('input', {
		id: 'gm-group', name: 'group', type: 'text', class: 'ec-input', maxlength: String(GROUP_MAX), autocomplete: 'off',
		'aria-describedby': 'gm-group-hint gm-group-error',
	});
	const groupError = h('p', { id: 'gm-group-error', class: 'ec-field-error' });
	const ungroupedBox = h('input', { id: 'gm-ungrouped', name: 'ungrouped', type: 'checkbox' });
	const membersTitle = h('h3', { id: 'gm-maintainers-title', class: 'ec-panel-title' }, tr('gm.maintainers'));
	const membersBox = h('div', { class: 'gm-chosen' });
	const formError = h('p', { class: 'ec-form-error', role: 'alert' });
	const formResult = h('p', { class: 'ec-notice gm-result', role: 'status', 'aria-live': 'polite' });
	const saveButton = h('button', { type: 'submit', class: 'ec-button ec-button-primary' }, tr('gm.save'));
	const picker = memberPicker(tr, 'gm-pick', {
		label: tr('gm.pick'),
		search: memberSearch(ctx),
		errorText: (error) => errorText(error),
		chosen: () => chosen.map((member) => member.id),
		onAdd(member) {
			if (chosen.some((other) => String(other.id) === String(member.id))) {
				picker.setError(tr('members.already'));
				return false;
			}
			if (chosen.length >= MAX_MAINTAINERS) {
				picker.setError(tr('gm.tooMany'));
				return false;
			}
			setChosen([...chosen, { id: member.id, displayName: member.displayName }]);
			formResult.textContent = '';
			picker.input.focus();
			return true;
		},
	});

	function setGroupError(text) {
		groupError.textContent = text || '';
		if (text) groupInput.setAttribute('aria-invalid', 'true');
		else groupInput.removeAttribute('aria-invalid');
	}

	function setChosen(members) {
		chosen = members;
		renderChosen();
	}

	function renderChosen() {
		clear(membersBox);
		if (!chosen.length) {
			membersBox.append(h('p', { id: 'gm-maintainers', class: 'ec-muted ec-member-empty' }, tr('members.none')));
			return;
		}
		membersBox.append(h('ul', { id: 'gm-maintainers', class: 'ec-members', 'aria-labelledby': 'gm-maintainers-title' },
			chosen.map((member) => h('li', { class: 'ec-member', dataset: { id: String(member.id) } },
				h('span', { class: 'ec-avatar ec-avatar-small', 'aria-hidden': 'true' }, initial(nameOf(member))),
				h('span', { class: 'ec-member-name' }, nameOf(member)),
				h('button', {
					type: 'button', class: 'ec-button ec-button-small', 'aria-label': tr('members.removeLabel', { name: nameOf(member) }),
					onClick: () => {
						setChosen(chosen.filter((other) => String(other.id) !== String(member.id)));
						formResult.textContent = '';
						picker.input.focus();
					},
				}, tr('members.remove'))))));
	}

	function formGroup() {
		return ungroupedBox.checked ? null : groupInput.value.trim();
	}

	function sameGroup(group) {
		const mine = formGroup();
		return mine !== '' && mine === group;
	}

	function setUngrouped(flag) {
		ungroupedBox.checked = flag;
		groupInput.disabled = flag;
		if (flag) setGroupError('');
	}

	ungroupedBox.addEventListener('change', () => {
		setUngrouped(ungroupedBox.checked);
		formResult.textContent = '';
		if (!ungroupedBox.checked) groupInput.focus();
	});
	groupInput.addEventListener('input', () => {
		setGroupError('');
		formResult.textContent = '';
	});

	function fill(entry) {
		setUngrouped(entry.group === null);
		groupInput.value = entry.group === null ? '' : entry.group;
		setGroupError('');
		picker.reset();
		formError.textContent = '';
		formResult.textContent = '';
		setChosen(entry.maintainers.map((member) => ({ id: member.id, displayName: member.displayName })));
		if (typeof form.scrollIntoView === 'function') form.scrollIntoView({ block: 'nearest' });
		picker.input.focus();
	}

	async function save(event) {
		event.preventDefault();
		if (saving) return;
		formError.textContent = '';
		formResult.textContent = '';
		setGroupError('');
		picker.setError('');
		const group = formGroup();
		if (group === '') {
			setGroupError(tr('gm.needGroup'));
			formError.textContent = tr('gm.fixErrors');
			groupInput.focus();
			return;
		}
		if (chosen.length > MAX_MAINTAINERS) {
			picker.setError(tr('gm.tooMany'));
			formError.textContent = tr('gm.fixErrors');
			picker.input.focus();
			return;
		}
		saving = true;
		saveButton.disabled = true;
		saveButton.textContent = tr('gm.saving');
		let saved;
		try {
			saved = await request(ctx, 'PUT', API, { group, maintainers: chosen.map((member) => Number(member.id)) }, { signal });
		} catch (error) {
			if (destroyed || error.status === 401) return;
			if (error.code === 'validation_failed' && error.field === 'group') {
				setGroupError(errorText(error, { fields: fieldTexts() }));
				formError.textContent = tr('gm.fixErrors');
				(groupInput.disabled ? ungroupedBox : groupInput).focus();
			} else if (error.code === 'validation_failed' && error.field === 'maintainers') {
				picker.setError(errorText(error, { fields: fieldTexts() }));
				formError.textContent = tr('gm.fixErrors');
				picker.input.focus();
			} else {
				formError.textContent = errorText(error, { fields: fieldTexts() });
			}
			return;
		} finally {
			saving = false;
			if (!destroyed) {
				saveButton.disabled = false;
				saveButton.textContent = tr('gm.save');
			}
		}
		if (destroyed) return;
		const maintainers = Array.isArray(saved && saved.maintainers) ? saved.maintainers : [];
		if (saved && saved.group !== null && saved.group !== undefined) groupInput.value = saved.group;
		setChosen(maintainers.map((member) => ({ id: member.id, displayName: member.displayName })));
		formResult.textContent = maintainers.length
			? tr('gm.saved', { group: groupText(saved.group ?? null), names: namesText(maintainers) })
			: tr('gm.removed', { group: groupText(saved.group ?? null) });
		await load();
	}

	const form = h('form', { id: 'gm-form', class: 'ec-form gm-form', novalidate: true, 'aria-labelledby': 'gm-form-title' },
		h('div', { class: 'ec-field' },
			h('label', { for: 'gm-group' }, tr('gm.groupLabel')),
			groupInput,
			h('p', { id: 'gm-group-hint', class: 'ec-hint' }, tr('gm.groupHint')),
			groupError),
		h('div', { class: 'ec-field gm-ungrouped-field' },
			h('label', { class: 'gm-check' }, ungroupedBox, ' ', tr('gm.ungroupedLabel'))),
		membersTitle,
		h('p', { class: 'ec-hint' }, tr('gm.maintainersHint')),
		membersBox,
		picker.element,
		formError,
		h('div', { class: 'ec-dialog-actions gm-form-actions' }, saveButton),
		formResult);
	form.addEventListener('submit', save);
	renderChosen();

	const section = h('section', { class: 'ec-page gm-page', 'aria-labelledby': 'gm-title' },
		title,
		h('p', { class: 'ec-hint gm-intro' }, tr('gm.intro')),
		notice,
		h('div', { class: 'gm-card' }, listTitle, table, listStatus, h('div', { class: 'ec-more-wrap' }, moreButton)),
		h('div', { class: 'gm-card' }, h('h2', { id: 'gm-form-title', class: 'ec-panel-title' }, tr('gm.formTitle')), form));

	return {
		async start() {
			await loadStylesheet();
			if (destroyed) return;
			root.replaceChildren(section);
			await load();
		},
		destroy() {
			if (destroyed) return;
			destroyed = true;
			picker.destroy();
			section.remove();
		},
	};
}
