// The edit form of 基本信息 (R6.2): the contact's fields, a duplicate warning (409
// `duplicate`, 仍然保存) and, when someone saved meanwhile (409 `conflict`), what is
// saved now next to the person's edit: 【重新加载】 or 【在当前版本上重新应用】. Never
// overwrites.
import { h, clear } from './dom.js';
import { request, contactPath } from './api.js';
import { contactFields, editBody, changedFields, fieldValue } from './contact-form.js';
import { duplicateWarning } from './duplicate.js';

/** ui: the card's context (contact-card.js); onSaved(contact): the page refreshes its list. */
export function createEditForm(ui, { onSaved }) {
	const { ctx, tr, errorText, card, panels } = ui;
	const editFields = contactFields(tr, 'ec-edit');
	const editError = h('p', { class: 'ec-form-error', role: 'alert' });
	const conflictBox = h('div', { class: 'ec-conflict', role: 'alert', hidden: true });
	const editSave = h('button', { type: 'submit', class: 'ec-button ec-button-primary' }, tr('edit.save'));
	const editCancel = h('button', { type: 'button', class: 'ec-button', onClick: () => stop() }, tr('edit.cancel'));
	const editDuplicate = duplicateWarning(tr, 'ec-edit-duplicate', {
		// Another contact's card replaces this one; the unsaved edit is left, as with 关闭.
		openCard: (id) => ui.openCard(id, { returnFocus: card.returnFocus }),
		onConfirm: () => submit({ confirmDuplicate: true }),
		onBack: (field) => editFields.inputs[field].focus(),
	});
	const form = h('form', { id: 'ec-edit-form', class: 'ec-form ec-edit-form', novalidate: true, 'aria-label': tr('edit.title') },
		conflictBox,
		editFields.grid,
		editDuplicate.element,
		editError,
		h('div', { class: 'ec-dialog-actions' }, editCancel, editSave));

	function start() {
		card.editing = true;
		editFields.fill(card.contact);
		editFields.clearErrors();
		editError.textContent = '';
		editDuplicate.hide();
		conflictBox.hidden = true;
		clear(conflictBox);
		ui.notice.textContent = '';
		ui.selectTab('basic');
		ui.basic.render();
		editFields.inputs.name.focus();
	}

	function stop({ notice = '' } = {}) {
		if (card.saving) return;
		card.editing = false;
		ui.renderCard();
		ui.notice.textContent = notice;
		const button = panels.basic.querySelector('#ec-card-edit');
		(button || ui.tabs.basic).focus();
	}

	function showValue(field, value) {
		const normalized = fieldValue(value, field);
		if (field === 'tags') return normalized.length ? normalized.join(', ') : tr('card.empty');
		return normalized === null ? tr('card.empty') : String(normalized);
	}

	/** The edit now starts from current (saved meanwhile); says text and focuses focusTo. */
	function adopt(current, text, focusTo) {
		card.contact = current;
		ui.setHeader(current);
		conflictBox.hidden = true;
		editError.textContent = '';
		ui.notice.textContent = text;
		focusTo.focus();
	}

	function showConflict(current, mine) {
		clear(conflictBox);
		const differing = changedFields(current, mine);
		const reload = h('button', { type: 'button', class: 'ec-button ec-button-primary', id: 'ec-conflict-reload' }, tr('conflict.reload'));
		const reapply = h('button', { type: 'button', class: 'ec-button', id: 'ec-conflict-reapply' }, tr('conflict.reapply'));
		reload.addEventListener('click', () => {
			editFields.fill(current);
			editFields.clearErrors();
			adopt(current, tr('conflict.reloaded'), editFields.inputs.name);
		});
		// The person saves again knowingly.
		reapply.addEventListener('click', () => adopt(current, tr('conflict.reapplied'), editSave));
		conflictBox.append(
			h('p', { class: 'ec-conflict-title' }, tr('conflict.title')),
			h('p', {}, tr('conflict.hint')),
			differing.length
				? h('table', { class: 'ec-conflict-table' },
					h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, tr('conflict.field')), h('th', { scope: 'col' }, tr('conflict.current')), h('th', { scope: 'col' }, tr('conflict.mine')))),
					h('tbody', {}, differing.map((field) => h('tr', { dataset: { field } },
						h('th', { scope: 'row' }, tr(`field.${field}`)),
						h('td', { class: 'ec-conflict-current' }, showValue(field, current)),
						h('td', { class: 'ec-conflict-mine' }, showValue(field, mine))))))
				: h('p', {}, tr('conflict.same')),
			h('div', { class: 'ec-conflict-actions' }, reload, reapply));
		conflictBox.hidden = false;
		reload.focus();
	}

	form.addEventListener('submit', (event) => {
		event.preventDefault();
		submit();
	});

	function setSaving(saving) {
		card.saving = saving;
		if (ui.isDestroyed()) return;
		editSave.disabled = saving;
		editSave.textContent = tr(saving ? 'create.saving' : 'edit.save');
		if (saving) form.setAttribute('aria-busy', 'true');
		else form.removeAttribute('aria-busy');
	}

	async function submit({ confirmDuplicate = false } = {}) {
		if (card.saving) return;
		editError.textContent = '';
		editDuplicate.hide();
		const body = editFields.check();
		if (!body) {
			editError.textContent = tr('create.fixErrors');
			return;
		}
		const base = card.contact;
		const patch = editBody(body, base, base.version);
		if (Object.keys(patch).length === 1) {
			stop({ notice: tr('edit.unchanged') });
			return;
		}
		setSaving(true);
		let saved = null;
		let conflict = null;
		if (confirmDuplicate) patch.confirmDuplicate = true;
		try {
			saved = await request(ctx, 'PATCH', contactPath(base.id), patch);
		} catch (error) {
			if (ui.isDestroyed()) return;
			if (error.code === 'conflict') conflict = error;
			else if (error.code === 'duplicate') editDuplicate.show(error);
			else if (editFields.showServerError(error, errorText)) editError.textContent = tr('create.fixErrors');
			else if (error.status === 404) editError.textContent = tr('card.notFound');
			else if (error.status === 403) editError.textContent = tr('edit.forbidden');
			else if (error.status !== 401) editError.textContent = errorText(error);
		} finally {
			setSaving(false);
		}
		if (ui.isDestroyed()) return;
		if (conflict) {
			// Never overwrite: show what is saved now, let the person choose.
			if (conflict.body && conflict.body.current) {
				showConflict(conflict.body.current, body);
				return;
			}
			try {
				const current = await request(ctx, 'GET', contactPath(base.id));
				if (!ui.isDestroyed()) showConflict(current, body);
			} catch (error) {
				if (!ui.isDestroyed() && error.status !== 401) editError.textContent = error.status === 404 ? tr('card.notFound') : errorText(error);
			}
			return;
		}
		if (!saved) return;
		card.contact = saved;
		if (card.permissions && !card.permissions.error) card.permissions = { ...card.permissions, version: saved.version };
		stop({ notice: tr('edit.done') });
		ui.history.refresh();
		onSaved(saved);
	}

	return { form, start };
}
