// 新建 (SPEC R2.1–R2.4): the dialog the 【新建】 drop-down item and the empty list's
// action open. The form is contact-form.js's; a duplicate mobile or email shows
// duplicate.js's warning, whose 仍然保存 sends the contact again with
// confirmDuplicate. Route: POST /contacts (docs/API.md).
import { h } from './dom.js';
import { contactFields } from './contact-form.js';
import { duplicateWarning } from './duplicate.js';
import { request, BASE } from './api.js';

/**
 * createCreateDialog({ ctx, tr, errorText, host, returnFocus, openCard, onCreated })
 * appends the dialog to host and answers { open(), destroy() }. returnFocus() names
 * the element focus goes back to; openCard(id, link) opens an existing contact from
 * the duplicate warning; onCreated(created, body) runs after the dialog closed.
 */
export function createCreateDialog({ ctx, tr, errorText, host, returnFocus, openCard, onCreated }) {
	let destroyed = false;
	const createFields = contactFields(tr, 'ec');
	const inputs = createFields.inputs;
	const formError = h('p', { class: 'ec-form-error', role: 'alert' });
	const saveButton = h('button', { type: 'submit', class: 'ec-button ec-button-primary' }, tr('create.save'));
	const cancelButton = h('button', { type: 'button', class: 'ec-button', onClick: () => closeCreate() }, tr('create.cancel'));
	const createDuplicate = duplicateWarning(tr, 'ec-create-duplicate', {
		openCard,
		onConfirm: () => submitCreate({ confirmDuplicate: true }),
		onBack: (field) => inputs[field].focus(),
	});
	const form = h('form', { class: 'ec-form', novalidate: true },
		h('p', { class: 'ec-form-intro' }, tr('create.intro')),
		createFields.grid,
		createDuplicate.element,
		formError,
		h('div', { class: 'ec-dialog-actions' }, cancelButton, saveButton));
	const dialog = h('dialog', {
		id: 'ec-create-dialog', class: 'ec-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'ec-create-title',
	},
	h('div', { class: 'ec-dialog-head' },
		h('h2', { id: 'ec-create-title', class: 'ec-dialog-title' }, tr('create.title')),
		h('button', { type: 'button', class: 'ec-icon-button', 'aria-label': tr('create.close'), onClick: () => closeCreate() }, '×')),
	form);
	host.append(dialog);

	let saving = false;
	let focusAfter = null;

	function resetForm() {
		form.reset();
		createFields.clearErrors();
		createDuplicate.hide();
		formError.textContent = '';
	}

	function openCreate() {
		if (dialog.open) return;
		focusAfter = returnFocus();
		resetForm();
		if (typeof dialog.showModal === 'function') dialog.showModal();
		else dialog.setAttribute('open', '');
		inputs.name.focus();
	}

	function restoreFocus() {
		if (!destroyed && focusAfter && document.contains(focusAfter)) focusAfter.focus();
	}

	function closeCreate() {
		if (saving) return;
		if (dialog.open) {
			if (typeof dialog.close === 'function') dialog.close();
			else dialog.removeAttribute('open');
		}
		restoreFocus();
	}

	// Escape closes the modal natively; focus goes back to 【新建】 at once.
	dialog.addEventListener('cancel', (event) => {
		event.preventDefault();
		closeCreate();
	});
	// A close that skipped 'cancel' (the browser may do so): put focus back only
	// if it was lost, never pull it away from where the person went since.
	dialog.addEventListener('close', () => {
		const active = document.activeElement;
		if (!active || active === document.body || dialog.contains(active)) restoreFocus();
	});

	form.addEventListener('submit', (event) => {
		event.preventDefault();
		submitCreate();
	});

	async function submitCreate({ confirmDuplicate = false } = {}) {
		if (saving) return;
		formError.textContent = '';
		createDuplicate.hide();
		const body = createFields.check();
		if (!body) {
			formError.textContent = tr('create.fixErrors');
			return;
		}
		saving = true;
		saveButton.disabled = true;
		saveButton.textContent = tr('create.saving');
		form.setAttribute('aria-busy', 'true');
		let created;
		try {
			created = await request(ctx, 'POST', `${BASE}/contacts`, confirmDuplicate ? { ...body, confirmDuplicate: true } : body);
		} catch (error) {
			if (destroyed) return;
			if (error.code === 'duplicate') {
				createDuplicate.show(error);
			} else if (createFields.showServerError(error, errorText)) {
				formError.textContent = tr('create.fixErrors');
			} else if (error.status !== 401) {
				// unknown_field, invalid_json, 413, 5xx, network …: one localized line.
				formError.textContent = errorText(error);
			}
			return;
		} finally {
			saving = false;
			if (!destroyed) {
				saveButton.disabled = false;
				saveButton.textContent = tr('create.save');
				form.removeAttribute('aria-busy');
			}
		}
		closeCreate();
		await onCreated(created, body);
	}

	return {
		open: openCreate,
		destroy() {
			if (destroyed) return;
			destroyed = true;
			if (dialog.open && typeof dialog.close === 'function') dialog.close();
			dialog.remove();
		},
	};
}
