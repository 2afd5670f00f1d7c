// Back office 组织架构设置 / 成员管理 (#/admin/members): the org's members
// (GET /api/admin/members, keyset pages with 加载更多, name-prefix search),
// the named permission external_contacts.maintain granted or revoked per row
// (PUT / DELETE /api/admin/members/{id}/permissions/{name}), and removal of a
// member: a dialog with the plugins' preview of what happens to what the
// member holds (POST …/removal-preview), a successor picker (default: the
// group maintainers rule), confirmation, then the result (DELETE …/{id}).
import { h, append, clear, uid } from './dom.js';
import { renderMessage } from './mount.js';

export const MAINTAIN = 'external_contacts.maintain';
const PAGE_SIZE = 50;

export function renderMembers(shell, content, isCurrent) {
	const { t } = shell;
	const selfId = shell.me && shell.me.user ? shell.me.user.id : 0;
	const search = h('input', { type: 'search', id: 'rh-members-q', name: 'q', maxlength: '64', autocomplete: 'off' });
	const searchForm = h('form', { class: 'rh-members-search', role: 'search' },
		h('label', { for: 'rh-members-q' }, t('members.search')), search,
		h('button', { type: 'submit', class: 'rh-button' }, t('members.searchButton')));
	const status = h('p', { class: 'rh-form-status', role: 'status', 'aria-live': 'polite' });
	const body = h('div', { class: 'rh-settings-body' });
	content.append(h('div', { class: 'rh-settings rh-members' },
		h('p', { class: 'rh-breadcrumb' }, t('admin.section.org')),
		h('h1', {}, t('admin.members')),
		searchForm, status, body));

	let query = '';
	let cursor = null;
	let tbody = null;
	let more = null;

	const load = async (append) => {
		if (!append) {
			clear(body);
			body.append(h('p', { class: 'rh-loading', role: 'status' }, t('app.loading')));
		}
		const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
		if (query) params.set('q', query);
		if (append && cursor) params.set('cursor', cursor);
		let data;
		try {
			data = await shell.api('GET', `/api/admin/members?${params}`);
		} catch (error) {
			if (!isCurrent() || error.status === 401) return;
			if (append) {
				status.textContent = shell.errorText(error);
				return;
			}
			clear(body);
			body.append(renderMessage(t, error, () => load(false)));
			return;
		}
		if (!isCurrent()) return;
		const items = Array.isArray(data && data.items) ? data.items : [];
		cursor = data && data.nextCursor ? data.nextCursor : null;
		if (!append) {
			clear(body);
			if (items.length === 0) {
				body.append(h('p', { class: 'rh-empty' }, query ? t('members.noMatch') : t('members.empty')));
				return;
			}
			tbody = h('tbody', {});
			more = h('button', { type: 'button', class: 'rh-button', onClick: () => load(true) }, t('action.loadMore'));
			body.append(h('table', { class: 'rh-table rh-members-table' },
				h('thead', {}, h('tr', {},
					h('th', { scope: 'col' }, t('members.name')),
					h('th', { scope: 'col' }, t('members.login')),
					h('th', { scope: 'col' }, t('members.kind')),
					h('th', { scope: 'col' }, t('members.admin')),
					h('th', { scope: 'col' }, t('members.maintain')),
					h('th', { scope: 'col' }, h('span', { class: 'rh-visually-hidden' }, t('members.actions'))))),
				tbody), h('div', { class: 'rh-form-actions' }, more));
		}
		for (const item of items) tbody.append(memberRow(shell, item, selfId, onRemoved));
		more.hidden = !cursor;
	};

	const onRemoved = () => load(false);

	searchForm.addEventListener('submit', (event) => {
		event.preventDefault();
		status.textContent = '';
		query = search.value.trim();
		cursor = null;
		load(false);
	});
	load(false);
}

function memberRow(shell, item, selfId, onRemoved) {
	const { t } = shell;
	const id = uid('rh-member');
	const self = item.id === selfId;
	const member = item.kind === 'member';
	const status = h('p', { class: 'rh-form-status', role: 'status', 'aria-live': 'polite' });
	let maintainCell = h('span', { class: 'rh-hint' }, '—');
	if (member) {
		const box = h('input', {
			type: 'checkbox', id: `${id}-maintain`, name: 'maintain',
			checked: Array.isArray(item.permissions) && item.permissions.includes(MAINTAIN),
			disabled: self, 'aria-labelledby': `${id}-maintain-label ${id}-name`,
		});
		box.addEventListener('change', async () => {
			const wanted = box.checked;
			status.textContent = '';
			box.disabled = true;
			try {
				const saved = await shell.api(wanted ? 'PUT' : 'DELETE',
					`/api/admin/members/${encodeURIComponent(item.id)}/permissions/${encodeURIComponent(MAINTAIN)}`);
				box.checked = Array.isArray(saved && saved.permissions) && saved.permissions.includes(MAINTAIN);
				status.textContent = box.checked ? t('members.granted') : t('members.revoked');
			} catch (failure) {
				box.checked = !wanted;
				if (failure.status !== 401) status.textContent = shell.errorText(failure);
			} finally {
				box.disabled = false;
			}
		});
		maintainCell = h('label', { class: 'rh-menu-open' }, box,
			h('span', { id: `${id}-maintain-label` }, t('members.maintainSwitch')),
			self ? h('span', { class: 'rh-hint' }, ` ${t('members.notSelf')}`) : null);
	}
	const remove = self ? null : h('button', { type: 'button', class: 'rh-button', 'aria-describedby': `${id}-name` },
		t('members.remove'));
	const row = h('tr', { dataset: { userId: String(item.id) } },
		h('th', { scope: 'row', id: `${id}-name` }, item.displayName || item.login),
		h('td', {}, item.login),
		h('td', {}, member ? t('members.kindMember') : h('span', { class: 'rh-tag rh-tag-external' }, t('members.kindExternal'))),
		h('td', {}, item.isAdmin ? t('members.yes') : t('members.no')),
		h('td', {}, maintainCell, status),
		h('td', {}, remove));
	if (remove) remove.addEventListener('click', () => openRemoval(shell, item, () => { row.remove(); onRemoved(); }, remove));
	return row;
}

function previewBlock(t, items) {
	if (!Array.isArray(items) || items.length === 0) return h('p', { class: 'rh-hint' }, t('members.previewNothing'));
	const locale = document.documentElement.lang === 'en' ? 'en' : 'zh-CN';
	return items.filter((item) => item && typeof item === 'object').map((item) => {
		const label = item.label && typeof item.label === 'object' ? (item.label[locale] || item.label['zh-CN']) : item.plugin;
		const rows = Array.isArray(item.rows) ? item.rows : [];
		return h('section', { class: 'rh-removal-item' },
			h('h3', {}, label || item.plugin || ''),
			h('p', {}, t('members.previewTotal', { count: Number(item.total) || 0 })),
			rows.length === 0 ? null : h('table', { class: 'rh-table' },
				h('thead', {}, h('tr', {},
					h('th', { scope: 'col' }, t('members.previewGroup')),
					h('th', { scope: 'col' }, t('members.previewCount')),
					h('th', { scope: 'col' }, t('members.previewReceiver')))),
				h('tbody', {}, rows.map((r) => h('tr', {},
					h('td', {}, r.group === null || r.group === undefined ? t('members.ungrouped') : String(r.group)),
					h('td', {}, String(r.count ?? '')),
					h('td', {}, r.receiverId ? (r.receiverName || `#${r.receiverId}`) : t('members.previewKept')))))),
			item.rowsTruncated ? h('p', { class: 'rh-hint' }, t('members.previewTruncated')) : null);
	});
}

function openRemoval(shell, item, onDone, opener) {
	const { t } = shell;
	const titleId = uid('rh-removal-title');
	const dialog = h('dialog', { class: 'rh-dialog rh-removal', 'aria-labelledby': titleId });
	const previewArea = h('div', { class: 'rh-removal-preview', 'aria-live': 'polite' });
	const error = h('p', { class: 'rh-field-error', role: 'alert' });
	const ruleRadio = h('input', { type: 'radio', name: 'successor', id: `${titleId}-rule`, value: 'rule', checked: true });
	const chosenRadio = h('input', { type: 'radio', name: 'successor', id: `${titleId}-chosen`, value: 'chosen' });
	const pickerQuery = h('input', { type: 'search', id: `${titleId}-q`, maxlength: '64', autocomplete: 'off', disabled: true });
	const picker = h('select', { id: `${titleId}-pick`, disabled: true },
		h('option', { value: '' }, t('members.successorPickFirst')));
	const confirm = h('button', { type: 'button', class: 'rh-button rh-button-primary' }, t('members.confirmRemove'));
	const cancel = h('button', { type: 'button', class: 'rh-button' }, t('action.cancel'));
	dialog.append(
		h('h2', { id: titleId }, t('members.removeTitle', { name: item.displayName || item.login })),
		h('p', {}, t('members.removeHint')),
		h('fieldset', { class: 'rh-fieldset' },
			h('legend', {}, t('members.successor')),
			h('div', {}, ruleRadio, h('label', { for: `${titleId}-rule` }, t('members.successorRule'))),
			h('div', {}, chosenRadio, h('label', { for: `${titleId}-chosen` }, t('members.successorChosen'))),
			h('div', { class: 'rh-field' },
				h('label', { for: `${titleId}-q` }, t('members.successorSearch')), pickerQuery,
				h('label', { for: `${titleId}-pick` }, t('members.successorPick')), picker)),
		h('h3', {}, t('members.preview')), previewArea, error,
		h('div', { class: 'rh-form-actions' }, confirm, cancel));
	document.body.append(dialog);

	const successorId = () => (chosenRadio.checked && picker.value ? Number(picker.value) : null);
	const close = () => {
		dialog.close();
		dialog.remove();
		if (opener && opener.isConnected) opener.focus();
	};
	let previewSeq = 0;
	const showPreview = async () => {
		const seq = ++previewSeq;
		error.textContent = '';
		confirm.disabled = true;
		if (chosenRadio.checked && !picker.value) {
			clear(previewArea);
			previewArea.append(h('p', { class: 'rh-hint' }, t('members.successorPickFirst')));
			return;
		}
		clear(previewArea);
		previewArea.append(h('p', { class: 'rh-loading', role: 'status' }, t('app.loading')));
		try {
			const data = await shell.api('POST', `/api/admin/members/${encodeURIComponent(item.id)}/removal-preview`,
				{ successorId: successorId() });
			if (seq !== previewSeq) return;
			clear(previewArea);
			append(previewArea, [previewBlock(t, data && data.items)]);
			confirm.disabled = false;
		} catch (failure) {
			if (seq !== previewSeq) return;
			clear(previewArea);
			error.textContent = failure.field === 'successorId' ? t('members.successorInvalid') : shell.errorText(failure);
		}
	};
	let searchSeq = 0;
	const searchCandidates = async () => {
		const seq = ++searchSeq;
		const q = pickerQuery.value.trim();
		const params = new URLSearchParams({ limit: '20' });
		if (q) params.set('q', q);
		let data;
		try {
			data = await shell.api('GET', `/api/admin/members?${params}`);
		} catch (failure) {
			if (seq === searchSeq) error.textContent = shell.errorText(failure);
			return;
		}
		if (seq !== searchSeq) return;
		const candidates = (Array.isArray(data && data.items) ? data.items : [])
			.filter((m) => m.kind === 'member' && m.status === 'active' && m.id !== item.id);
		clear(picker);
		append(picker, [h('option', { value: '' }, t('members.successorPickFirst')),
			candidates.map((m) => h('option', { value: String(m.id) }, `${m.displayName} (${m.login})`))]);
		showPreview();
	};
	const modeChanged = () => {
		pickerQuery.disabled = !chosenRadio.checked;
		picker.disabled = !chosenRadio.checked;
		if (chosenRadio.checked && picker.options.length <= 1) searchCandidates();
		else showPreview();
	};
	ruleRadio.addEventListener('change', modeChanged);
	chosenRadio.addEventListener('change', modeChanged);
	picker.addEventListener('change', showPreview);
	pickerQuery.addEventListener('input', () => searchCandidates());
	let removed = false; // after the removal, closing the dialog in any way refreshes the list
	const finish = () => {
		close();
		if (removed) onDone();
	};
	cancel.addEventListener('click', close);
	dialog.addEventListener('cancel', (event) => { event.preventDefault(); finish(); });

	confirm.addEventListener('click', async () => {
		error.textContent = '';
		confirm.disabled = true;
		const chosen = successorId();
		const name = chosen ? picker.options[picker.selectedIndex].textContent : null;
		try {
			await shell.api('DELETE', `/api/admin/members/${encodeURIComponent(item.id)}`,
				chosen ? { successorId: chosen } : undefined);
		} catch (failure) {
			confirm.disabled = false;
			error.textContent = failure.field === 'successorId' ? t('members.successorInvalid') : shell.errorText(failure);
			return;
		}
		// The result: what the preview announced has been done.
		removed = true;
		clear(dialog);
		const done = h('button', { type: 'button', class: 'rh-button rh-button-primary' }, t('action.close'));
		dialog.append(
			h('h2', { id: titleId }, t('members.removedTitle')),
			h('p', { role: 'status' }, name
				? t('members.removedTo', { name: item.displayName || item.login, successor: name })
				: t('members.removedByRule', { name: item.displayName || item.login })),
			previewArea,
			h('div', { class: 'rh-form-actions' }, done));
		done.addEventListener('click', finish);
		done.focus();
	});

	dialog.showModal();
	showPreview();
}
