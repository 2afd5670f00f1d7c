// 权限设置 of the large card (R6.3): the contact's visible members and security level;
// those who may edit change them (PUT /contacts/{id}/permissions, with the version).
import { h, initial } from './dom.js';
import { request, contactPath } from './api.js';
import { memberLabel } from './format.js';
import { memberPicker } from './member-picker.js';

const LEVEL_MIN = -999;
const LEVEL_MAX = 0;

/** The list #id of members (labelledBy: its title), each with 移除 when onRemove is given. */
export function memberList(tr, id, labelledBy, members, { onRemove, disabled }) {
	if (!members.length) return h('p', { id, class: 'ec-muted ec-member-empty' }, tr('members.none'));
	return h('ul', { id, class: 'ec-members', 'aria-labelledby': labelledBy },
		members.map((member) => h('li', { class: 'ec-member', dataset: { id: String(member.id) } },
			h('span', { class: 'ec-avatar ec-avatar-small', 'aria-hidden': 'true' }, initial(member.displayName)),
			h('span', { class: 'ec-member-name' }, memberLabel(member)),
			onRemove ? h('button', {
				type: 'button', class: 'ec-button ec-button-small', disabled: disabled || null,
				'aria-label': tr('members.removeLabel', { name: memberLabel(member) }),
				onClick: () => onRemove(member),
			}, tr('members.remove')) : null)));
}

/** ui: the card's context (contact-card.js). */
export function createPermissionsTab(ui) {
	const { ctx, tr, errorText, card, panels } = ui;
	// The members as the person edits them: { members: [{id, displayName}] }, null until shown.
	let draft = null;
	const levelInput = h('input', {
		id: 'ec-perm-level', class: 'ec-input ec-level-input', type: 'number', min: String(LEVEL_MIN), max: String(LEVEL_MAX), step: '1',
		inputmode: 'numeric', 'aria-describedby': 'ec-perm-level-hint ec-perm-level-error',
	});
	const levelError = h('p', { id: 'ec-perm-level-error', class: 'ec-field-error' });
	const permissionError = h('div', { class: 'ec-form-error', role: 'alert' });
	const permissionSave = h('button', { type: 'button', id: 'ec-perm-save', class: 'ec-button ec-button-primary' }, tr('perm.save'));
	const picker = memberPicker(tr, 'ec-perm-pick', {
		search: ui.searchMembers,
		errorText: (error) => errorText(error),
		chosen: () => (draft ? draft.members.map((member) => member.id) : []),
		onAdd(member) {
			if (draft.members.some((other) => String(other.id) === String(member.id))) {
				picker.setError(tr('members.already'));
				return false;
			}
			draft.members.push({ id: member.id, displayName: memberLabel(member) });
			render();
			picker.input.focus();
			return true;
		},
	});

	function setLevelError(text) {
		levelError.textContent = text || '';
		if (text) levelInput.setAttribute('aria-invalid', 'true');
		else levelInput.removeAttribute('aria-invalid');
	}

	function render() {
		const data = ui.tabData('permissions');
		if (!data) return;
		const panel = panels.permissions;
		const editable = card.editable;
		if (!draft) {
			draft = { members: (data.visibleMembers || []).map((member) => ({ ...member })) };
			levelInput.value = String(data.securityLevel ?? 0);
			setLevelError('');
			permissionError.textContent = '';
			picker.reset();
		}
		levelInput.readOnly = !editable;
		ui.appendTo(panel,
			h('h3', { id: 'ec-perm-members-title', class: 'ec-panel-title' }, tr('perm.members')),
			h('p', { class: 'ec-hint' }, tr('perm.membersHint')),
			memberList(tr, 'ec-perm-members', 'ec-perm-members-title', draft.members, {
				onRemove: editable ? (member) => {
					draft.members = draft.members.filter((other) => String(other.id) !== String(member.id));
					render();
					picker.input.focus();
				} : null,
			}),
			editable ? picker.element : null,
			h('div', { class: 'ec-field ec-level-field' },
				h('label', { for: 'ec-perm-level' }, tr('perm.level')),
				levelInput,
				h('p', { id: 'ec-perm-level-hint', class: 'ec-hint' }, tr('perm.levelHint')),
				levelError),
			permissionError,
			editable ? h('div', { class: 'ec-dialog-actions' }, permissionSave) : null);
	}

	function levelValue() {
		const text = levelInput.value.trim();
		if (!/^-?[0-9]{1,4}$/.test(text)) return null;
		const value = Number(text);
		return value >= LEVEL_MIN && value <= LEVEL_MAX ? value : null;
	}

	const permissionFields = () => ({ securityLevel: tr('perm.levelError'), visibleMembers: tr('members.invalid') });

	function showRefusal(error) {
		if (error.code === 'conflict') {
			permissionError.append(h('p', { class: 'ec-conflict-title' }, tr('conflict.title')),
				h('p', {}, tr('perm.conflictHint')),
				h('button', { type: 'button', class: 'ec-button', id: 'ec-perm-reload', onClick: () => ui.reloadTab('permissions') }, tr('conflict.reload')));
			permissionError.querySelector('button').focus();
		} else if (error.code === 'validation_failed' && error.field === 'securityLevel') {
			setLevelError(errorText(error, { fields: permissionFields() }));
			levelInput.focus();
		} else if (error.code === 'validation_failed' && error.field === 'visibleMembers') {
			picker.setError(errorText(error, { fields: permissionFields() }));
			picker.input.focus();
		} else {
			permissionError.textContent = error.status === 403 ? tr('edit.forbidden') : error.status === 404 ? tr('card.notFound') : errorText(error);
		}
	}

	permissionSave.addEventListener('click', async () => {
		if (card.busy) return;
		permissionError.textContent = '';
		picker.setError('');
		const level = levelValue();
		if (level === null) {
			setLevelError(tr('perm.levelError'));
			levelInput.focus();
			return;
		}
		setLevelError('');
		const body = {
			version: card.contact.version,
			visibleMembers: draft.members.map((member) => Number(member.id)),
			securityLevel: level,
		};
		card.busy = true;
		permissionSave.disabled = true;
		let saved = null;
		try {
			saved = await request(ctx, 'PUT', contactPath(card.contact.id, '/permissions'), body);
		} catch (error) {
			if (!ui.isDestroyed() && error.status !== 401) showRefusal(error);
			return;
		} finally {
			card.busy = false;
			permissionSave.disabled = false;
		}
		if (ui.isDestroyed() || !saved) return;
		card.permissions = saved;
		card.contact = { ...card.contact, visibleMembers: saved.visibleMembers, securityLevel: saved.securityLevel, version: saved.version };
		draft = null;
		ui.basic.render();
		render();
		ui.notice.textContent = tr('perm.done');
		permissionSave.focus();
		ui.history.refresh();
	});

	return {
		render,
		/** The members being edited (the 历史 tab names them too). */
		draftMembers: () => (draft ? draft.members : []),
		/** The card (re)loaded: the form starts again from the server's answer. */
		resetDraft() {
			draft = null;
		},
		destroy() {
			picker.destroy();
		},
	};
}
