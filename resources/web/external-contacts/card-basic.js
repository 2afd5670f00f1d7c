// 基本信息 of the large card: the contact's fields (or the edit form, card-edit.js),
// its WeChat (card-wechat.js), and for those who may edit 【编辑】 and 【删除】 (R6.6,
// confirmed in a small alertdialog).
import { h, clear, openModal, closeModal } from './dom.js';
import { request, contactPath } from './api.js';
import { FIELDS } from './validate.js';
import { fieldValue } from './contact-form.js';

/** ui: the card's context (contact-card.js); onDeleted(contact): the page refreshes its list. */
export function createBasicTab(ui, { onDeleted }) {
	const { ctx, tr, errorText, host, card, panels } = ui;

	function detailRow(key, value, className) {
		const empty = value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length);
		return h('div', { class: `ec-detail ${className || ''}`.trim(), dataset: { field: key } },
			h('dt', {}, tr(`card.field.${key}`)),
			h('dd', { class: empty ? 'ec-muted' : null }, empty ? tr('card.empty') : value));
	}

	function render() {
		const contact = card.contact;
		const panel = panels.basic;
		clear(panel);
		if (card.editing) {
			ui.appendTo(panel, ui.edit.form);
			return;
		}
		const allowed = card.editable;
		const actions = allowed
			? h('div', { class: 'ec-card-actions' },
				h('button', { type: 'button', class: 'ec-button ec-button-primary', id: 'ec-card-edit', onClick: () => ui.edit.start() }, tr('card.edit')),
				h('button', { type: 'button', class: 'ec-button ec-button-danger', id: 'ec-card-delete', onClick: () => askDelete() }, tr('card.delete')))
			: null;
		const tags = fieldValue(contact, 'tags');
		const members = Array.isArray(contact.visibleMembers) ? contact.visibleMembers : [];
		ui.appendTo(panel, actions, h('dl', { class: 'ec-details' },
			FIELDS.filter((field) => field !== 'tags').map((field) => detailRow(field, contact[field],
				field === 'address' || field === 'remark' ? 'ec-detail-multiline' : null)),
			detailRow('tags', tags.length ? h('span', { class: 'ec-chips' }, tags.map((tag) => h('span', { class: 'ec-chip' }, tag))) : null),
			detailRow('source', contact.source ? tr(`source.${contact.source}`) : null),
			detailRow('addedBy', contact.addedBy ? contact.addedBy.displayName : null),
			detailRow('securityLevel', typeof contact.securityLevel === 'number' ? String(contact.securityLevel) : null),
			detailRow('visibleMembers', members.map((member) => member.displayName).join(tr('card.listSeparator'))),
			detailRow('createdAt', ui.time(contact.createdAt)),
			detailRow('updatedAt', ui.time(contact.updatedAt))),
		...ui.wechat.sections(contact, allowed));
	}

	// ---- delete (R6.6) -------------------------------------------------------------
	const deleteText = h('p', { id: 'ec-delete-text' });
	const deleteError = h('p', { class: 'ec-form-error', role: 'alert' });
	const deleteConfirm = h('button', { type: 'button', class: 'ec-button ec-button-danger', id: 'ec-delete-confirm' }, tr('delete.confirm'));
	const deleteCancel = h('button', { type: 'button', class: 'ec-button', onClick: () => cancelDelete() }, tr('delete.cancel'));
	const deleteDialog = h('dialog', {
		id: 'ec-delete-dialog', class: 'ec-dialog ec-dialog-small', role: 'alertdialog', 'aria-modal': 'true',
		'aria-labelledby': 'ec-delete-title', 'aria-describedby': 'ec-delete-text',
	},
	h('div', { class: 'ec-dialog-head' }, h('h2', { id: 'ec-delete-title', class: 'ec-dialog-title' }, tr('delete.title'))),
	h('div', { class: 'ec-form' }, deleteText, deleteError, h('div', { class: 'ec-dialog-actions' }, deleteCancel, deleteConfirm)));
	host.append(deleteDialog);
	let deleting = false;

	function askDelete() {
		deleteText.textContent = tr('delete.text', { name: card.contact.name });
		deleteError.textContent = '';
		openModal(deleteDialog);
		deleteCancel.focus();
	}

	function cancelDelete() {
		if (deleting) return;
		closeModal(deleteDialog);
		const button = panels.basic.querySelector('#ec-card-delete');
		if (button) button.focus();
	}

	deleteDialog.addEventListener('cancel', (event) => {
		event.preventDefault();
		cancelDelete();
	});

	deleteConfirm.addEventListener('click', async () => {
		if (deleting) return;
		const contact = card.contact;
		deleting = true;
		deleteConfirm.disabled = true;
		try {
			await request(ctx, 'DELETE', contactPath(contact.id));
		} catch (error) {
			if (!ui.isDestroyed() && error.status !== 401) deleteError.textContent = error.status === 403 ? tr('edit.forbidden') : errorText(error);
			return;
		} finally {
			deleting = false;
			deleteConfirm.disabled = false;
		}
		if (ui.isDestroyed()) return;
		closeModal(deleteDialog);
		card.token += 1;
		ui.accountTab.reset();
		closeModal(ui.dialog);
		onDeleted(contact);
	});

	return {
		render,
		/** The card closes: the delete dialog with it. */
		dismiss() {
			closeModal(deleteDialog);
		},
	};
}
