// Back office 外部互联 / 在职继承: an admin (or a maintain-holder) gives contacts
// of one member to another while both stay in the org — a selection, or all of
// the giver's contacts — confirms, then follows the transfer's progress.
// Mounted by the shell at #/admin/p/transfers (docs/WEB.md).
// Routes: GET /api/plugins/external-contacts/transfers/contacts (the giver's
// contacts, keyset by id), POST /transfers, GET /transfers/{id} (polled),
// GET /transfers (recent ones), GET /members (the member pickers).
import { h, clear, openModal, closeModal } from './dom.js';
import { loadStylesheet } from './dom.js';
import { trapFocus } from './modal.js';
import { memberPicker, memberSearch } from './member-picker.js';
import { request, BASE } from './api.js';
import { formatTime } from './format.js';
import { pageModule } from './page-module.js';

const PAGE_SIZE = 50;
const SELECTION_MAX = 1000;
const POLL_MS = 500;

export const { mount, unmount } = pageModule(createPage);

function createPage(root, ctx, { tr, signal }) {
	let destroyed = false;
	let pollTimer = null;
	let listToken = 0;
	let busy = false;
	// The giver and the receiver: {id, displayName} or null.
	let giver = null;
	let receiver = null;
	// The giver's contacts shown, the ids ticked, the next page and the total.
	let contacts = [];
	const ticked = new Set();
	let contactsCursor = null;
	let contactsTotal = 0;
	let recentCursor = null;

	const nameOf = (member) => (member && member.displayName) || tr('tf.unknownName', { id: member ? member.id : '?' });
	const errorText = (error, options) => ctx.errorText(error, options);
	const fieldTexts = () => ({
		fromUserId: tr('tf.fieldFrom'), toUserId: tr('tf.fieldTo'), contactIds: tr('tf.fieldContacts'), all: tr('tf.fieldContacts'),
	});
	const time = (ms) => formatTime(ctx.locale, ms);

	// ---- choosing the giver and the receiver ----------------------------------------------
	function personField(prefix, labelKey, onChosen) {
		const chosenBox = h('p', { id: `${prefix}-chosen`, class: 'tf-chosen', 'aria-live': 'polite' });
		const picker = memberPicker(tr, prefix, {
			label: tr(labelKey),
			search: memberSearch(ctx),
			errorText: (error) => errorText(error),
			chosen: () => [],
			onAdd(member) {
				onChosen({ id: member.id, displayName: member.displayName });
				picker.reset();
				return true;
			},
		});
		const show = (member) => {
			clear(chosenBox);
			if (member) chosenBox.append(h('span', { class: 'tf-chosen-name' }, tr('tf.chosen', { name: nameOf(member) })));
			else chosenBox.append(h('span', { class: 'ec-muted' }, tr('tf.noneChosen')));
		};
		show(null);
		return { picker, chosenBox, show };
	}

	const from = personField('tf-from', 'tf.fromLabel', (member) => {
		giver = member;
		from.show(member);
		from.picker.setError('');
		resultLine.textContent = '';
		loadContacts();
	});
	const to = personField('tf-to', 'tf.toLabel', (member) => {
		receiver = member;
		to.show(member);
		to.picker.setError('');
		resultLine.textContent = '';
	});

	// ---- the giver's contacts ------------------------------------------------------------
	const contactsTitle = h('h2', { id: 'tf-contacts-title', class: 'ec-panel-title' }, tr('tf.contactsTitle'));
	const pageBox = h('input', { id: 'tf-page-all', type: 'checkbox', 'aria-label': tr('tf.selectPage') });
	const allBox = h('input', { id: 'tf-all', type: 'checkbox' });
	const allLabel = h('label', { for: 'tf-all', id: 'tf-all-label' }, tr('tf.all', { count: 0 }));
	const tbody = h('tbody');
	const table = h('table', { id: 'tf-contacts', class: 'gm-table tf-table', 'aria-labelledby': 'tf-contacts-title', hidden: true },
		h('thead', {}, h('tr', {},
			h('th', { scope: 'col', class: 'tf-check' }, pageBox),
			h('th', { scope: 'col' }, tr('tf.nameCol')),
			h('th', { scope: 'col' }, tr('tf.companyCol')))),
		tbody);
	const contactsStatus = h('p', { id: 'tf-contacts-status', class: 'gm-status', role: 'status', 'aria-live': 'polite' }, tr('tf.pickGiverFirst'));
	const selectionStatus = h('p', { id: 'tf-selection', class: 'tf-selection', 'aria-live': 'polite' });
	const contactsError = h('p', { id: 'tf-contacts-error', class: 'ec-field-error' });
	const moreButton = h('button', { type: 'button', id: 'tf-more', class: 'ec-button', hidden: true }, tr('tf.more'));
	const allField = h('div', { class: 'ec-field tf-all-field', hidden: true }, h('span', { class: 'gm-check' }, allBox, ' ', allLabel));

	function showSelection() {
		if (allBox.checked) selectionStatus.textContent = tr('tf.selectedAll', { count: contactsTotal });
		else selectionStatus.textContent = tr('tf.selected', { count: ticked.size });
		const boxes = [...tbody.querySelectorAll('input[type=checkbox]')];
		for (const box of boxes) box.disabled = allBox.checked;
		pageBox.disabled = allBox.checked || boxes.length === 0;
		pageBox.checked = boxes.length > 0 && boxes.every((box) => box.checked);
		pageBox.indeterminate = !pageBox.checked && boxes.some((box) => box.checked);
	}

	function contactRow(contact) {
		const box = h('input', {
			type: 'checkbox', id: `tf-contact-${contact.id}`, value: String(contact.id),
			'aria-label': tr('tf.pickContact', { name: contact.name }),
		});
		box.checked = ticked.has(String(contact.id));
		box.addEventListener('change', () => {
			if (box.checked) ticked.add(String(contact.id));
			else ticked.delete(String(contact.id));
			setContactsError('');
			showSelection();
		});
		return h('tr', { dataset: { id: String(contact.id) } },
			h('td', { class: 'tf-check' }, box),
			h('th', { scope: 'row' }, h('label', { for: `tf-contact-${contact.id}` }, contact.name)),
			h('td', {}, contact.company || tr('group.ungrouped')));
	}

	pageBox.addEventListener('change', () => {
		for (const box of tbody.querySelectorAll('input[type=checkbox]')) {
			box.checked = pageBox.checked;
			if (box.checked) ticked.add(box.value);
			else ticked.delete(box.value);
		}
		setContactsError('');
		showSelection();
	});
	allBox.addEventListener('change', () => {
		setContactsError('');
		showSelection();
	});

	function setContactsError(text) {
		contactsError.textContent = text || '';
	}

	async function loadContacts({ more = false } = {}) {
		const token = ++listToken;
		if (!more) {
			contacts = [];
			ticked.clear();
			contactsCursor = null;
			allBox.checked = false;
			clear(tbody);
			table.hidden = true;
			allField.hidden = true;
			selectionStatus.textContent = '';
		}
		if (!giver) return;
		moreButton.disabled = true;
		contactsStatus.textContent = tr('tf.loading');
		table.setAttribute('aria-busy', 'true');
		let page;
		try {
			const params = new URLSearchParams({ fromUserId: String(giver.id), limit: String(PAGE_SIZE) });
			if (more && contactsCursor) params.set('cursor', contactsCursor);
			page = await request(ctx, 'GET', `${BASE}/transfers/contacts?${params}`, undefined, { signal });
		} catch (error) {
			if (destroyed || token !== listToken || error.status === 401) return;
			table.removeAttribute('aria-busy');
			moreButton.disabled = false;
			contactsStatus.textContent = tr('tf.loadError', { message: errorText(error, { fields: fieldTexts() }) });
			return;
		}
		if (destroyed || token !== listToken) return;
		table.removeAttribute('aria-busy');
		const items = Array.isArray(page && page.items) ? page.items : [];
		const known = new Set(contacts.map((c) => String(c.id)));
		for (const contact of items) {
			if (known.has(String(contact.id))) continue;
			contacts.push(contact);
			tbody.append(contactRow(contact));
		}
		contactsTotal = typeof page.total === 'number' ? page.total : contacts.length;
		contactsCursor = page && page.nextCursor ? page.nextCursor : null;
		moreButton.hidden = !contactsCursor;
		moreButton.disabled = false;
		table.hidden = contacts.length === 0;
		allField.hidden = contacts.length === 0;
		allLabel.textContent = tr('tf.all', { count: contactsTotal });
		contactsStatus.textContent = contacts.length === 0
			? tr('tf.noContacts', { name: nameOf(giver) })
			: tr('tf.count', { name: nameOf(giver), count: contactsTotal });
		showSelection();
	}

	moreButton.addEventListener('click', () => loadContacts({ more: true }));

	// ---- confirming and starting ---------------------------------------------------------
	const formError = h('p', { id: 'tf-form-error', class: 'ec-form-error', role: 'alert' });
	const submit = h('button', { type: 'submit', id: 'tf-submit', class: 'ec-button ec-button-primary' }, tr('tf.submit'));

	const confirmTitle = h('h2', { id: 'tf-confirm-title', class: 'ec-dialog-title' }, tr('tf.confirmTitle'));
	const confirmText = h('p', { id: 'tf-confirm-text' });
	const confirmError = h('p', { id: 'tf-confirm-error', class: 'ec-form-error', role: 'alert' });
	const confirmOk = h('button', { type: 'button', id: 'tf-confirm-ok', class: 'ec-button ec-button-primary' }, tr('tf.confirmOk'));
	const confirmCancel = h('button', { type: 'button', id: 'tf-confirm-cancel', class: 'ec-button' }, tr('tf.cancel'));
	const confirm = h('dialog', {
		id: 'tf-confirm', class: 'ec-dialog ec-dialog-small', role: 'alertdialog', 'aria-modal': 'true',
		'aria-labelledby': 'tf-confirm-title', 'aria-describedby': 'tf-confirm-text',
	},
	h('div', { class: 'ec-dialog-head' }, confirmTitle),
	h('div', { class: 'ec-form' }, confirmText, confirmError, h('div', { class: 'ec-dialog-actions' }, confirmCancel, confirmOk)));
	trapFocus(confirm);
	let pendingBody = null;

	function closeConfirm() {
		if (busy) return;
		pendingBody = null;
		closeModal(confirm);
		submit.focus();
	}
	confirmCancel.addEventListener('click', closeConfirm);
	confirm.addEventListener('cancel', (event) => {
		event.preventDefault();
		closeConfirm();
	});

	function check() {
		let first = null;
		const fail = (text, focus, set) => {
			set(text);
			if (!first) first = focus;
		};
		from.picker.setError('');
		to.picker.setError('');
		setContactsError('');
		if (!giver) fail(tr('tf.needGiver'), from.picker.input, (t) => from.picker.setError(t));
		if (!receiver) fail(tr('tf.needReceiver'), to.picker.input, (t) => to.picker.setError(t));
		else if (giver && String(giver.id) === String(receiver.id)) fail(tr('tf.sameMember'), to.picker.input, (t) => to.picker.setError(t));
		if (giver && !allBox.checked && ticked.size === 0) fail(tr('tf.needContacts'), allBox.disabled ? pageBox : (tbody.querySelector('input') || allBox), setContactsError);
		if (giver && !allBox.checked && ticked.size > SELECTION_MAX) fail(tr('tf.tooMany', { max: SELECTION_MAX }), pageBox, setContactsError);
		if (first) {
			formError.textContent = tr('tf.fixErrors');
			first.focus();
			return false;
		}
		formError.textContent = '';
		return true;
	}

	async function ask(event) {
		event.preventDefault();
		if (busy || !check()) return;
		const count = allBox.checked ? contactsTotal : ticked.size;
		pendingBody = allBox.checked
			? { fromUserId: Number(giver.id), toUserId: Number(receiver.id), all: true }
			: { fromUserId: Number(giver.id), toUserId: Number(receiver.id), contactIds: [...ticked].map(Number) };
		confirmText.textContent = tr('tf.confirmText', { count, from: nameOf(giver), to: nameOf(receiver) });
		confirmError.textContent = '';
		openModal(confirm);
		confirmCancel.focus();
	}

	confirmOk.addEventListener('click', async () => {
		if (busy || !pendingBody) return;
		busy = true;
		confirmOk.disabled = true;
		confirmError.textContent = '';
		// The previous transfer's result no longer stands for what is shown next.
		resultLine.textContent = '';
		let answer;
		try {
			answer = await request(ctx, 'POST', `${BASE}/transfers`, pendingBody, { signal });
		} catch (error) {
			if (destroyed || error.status === 401) return;
			busy = false;
			confirmOk.disabled = false;
			const text = error.code === 'transfer_running' ? tr('tf.running') : errorText(error, { fields: fieldTexts() });
			if (error.status === 400 && error.field) {
				closeModal(confirm);
				pendingBody = null;
				formError.textContent = tr('tf.fixErrors');
				if (error.field === 'fromUserId') { from.picker.setError(text); from.picker.input.focus(); }
				else if (error.field === 'toUserId') { to.picker.setError(text); to.picker.input.focus(); }
				else { setContactsError(text); pageBox.focus(); }
			} else {
				confirmError.textContent = text;
				confirmOk.focus();
			}
			return;
		}
		if (destroyed) return;
		busy = false;
		confirmOk.disabled = false;
		pendingBody = null;
		closeModal(confirm);
		follow(answer.transfer);
	});

	// ---- progress ------------------------------------------------------------------------
	const bar = h('div', { class: 'tf-bar-fill' });
	const progress = h('div', {
		id: 'tf-progress', class: 'tf-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
		'aria-valuenow': '0', 'aria-labelledby': 'tf-progress-title',
	}, bar);
	const progressText = h('p', { id: 'tf-progress-text', class: 'tf-progress-text' });
	const resultLine = h('p', { id: 'tf-result', class: 'ec-notice', role: 'status', 'aria-live': 'polite' });
	const progressTitle = h('h2', { id: 'tf-progress-title', class: 'ec-panel-title', tabindex: '-1' }, tr('tf.progressTitle'));
	const progressCard = h('div', { class: 'gm-card tf-progress', hidden: true }, progressTitle, progress, progressText, resultLine);

	function showProgress(t) {
		const total = Math.max(Number(t.total) || 0, 1);
		const finished = t.status !== 'running';
		const percent = finished ? 100 : Math.min(99, Math.floor(((Number(t.done) || 0) + (Number(t.skipped) || 0)) * 100 / total));
		progress.setAttribute('aria-valuenow', String(percent));
		progress.setAttribute('aria-valuetext', tr('tf.progressValue', { percent, done: t.done, total: t.total }));
		bar.style.width = `${percent}%`;
		progressText.textContent = tr('tf.progressValue', { percent, done: t.done, total: t.total });
		if (t.status === 'done') {
			resultLine.textContent = t.skipped
				? tr('tf.doneSkipped', { count: t.done, to: nameOf(t.to), skipped: t.skipped })
				: tr('tf.done', { count: t.done, to: nameOf(t.to) });
		} else if (t.status === 'failed') {
			resultLine.textContent = tr('tf.failed', { count: t.done, error: t.error || '' });
		} else resultLine.textContent = '';
	}

	function follow(transfer) {
		if (pollTimer) clearTimeout(pollTimer);
		progressCard.hidden = false;
		showProgress(transfer);
		progressTitle.focus();
		const poll = async () => {
			pollTimer = null;
			let answer;
			try {
				answer = await request(ctx, 'GET', `${BASE}/transfers/${transfer.id}`, undefined, { signal });
			} catch (error) {
				if (destroyed || error.status === 401) return;
				progressText.textContent = tr('tf.pollError', { message: errorText(error) });
				pollTimer = setTimeout(poll, POLL_MS * 4);
				return;
			}
			if (destroyed) return;
			showProgress(answer.transfer);
			if (answer.transfer.status === 'running') pollTimer = setTimeout(poll, POLL_MS);
			else {
				loadContacts();
				loadRecent();
			}
		};
		if (transfer.status === 'running') pollTimer = setTimeout(poll, POLL_MS);
		else {
			loadContacts();
			loadRecent();
		}
	}

	// ---- recent transfers ----------------------------------------------------------------
	const recentBody = h('tbody');
	const recentTable = h('table', { id: 'tf-recent', class: 'gm-table tf-table', 'aria-labelledby': 'tf-recent-title', hidden: true },
		h('thead', {}, h('tr', {},
			h('th', { scope: 'col' }, tr('tf.timeCol')),
			h('th', { scope: 'col' }, tr('tf.fromCol')),
			h('th', { scope: 'col' }, tr('tf.toCol')),
			h('th', { scope: 'col' }, tr('tf.countCol')),
			h('th', { scope: 'col' }, tr('tf.statusCol')),
			h('th', { scope: 'col' }, tr('tf.byCol')))),
		recentBody);
	const recentStatus = h('p', { class: 'gm-status', role: 'status', 'aria-live': 'polite' });
	const recentMore = h('button', { type: 'button', id: 'tf-recent-more', class: 'ec-button', hidden: true }, tr('tf.more'));
	let recentToken = 0;

	function recentRow(t) {
		return h('tr', { dataset: { id: String(t.id), status: t.status } },
			h('td', {}, h('time', { datetime: new Date(t.createdAt).toISOString() }, time(t.createdAt))),
			h('td', {}, nameOf(t.from)),
			h('td', {}, nameOf(t.to)),
			h('td', {}, tr('tf.countValue', { done: t.done, total: t.total })),
			h('td', { class: `tf-status tf-status-${t.status}` }, tr(`tf.status.${t.status}`), t.error ? ` (${t.error})` : ''),
			h('td', {}, nameOf(t.createdBy)));
	}

	async function loadRecent({ more = false } = {}) {
		const token = ++recentToken;
		recentMore.disabled = true;
		let page;
		try {
			const params = new URLSearchParams({ limit: '20' });
			if (more && recentCursor) params.set('cursor', recentCursor);
			page = await request(ctx, 'GET', `${BASE}/transfers?${params}`, undefined, { signal });
		} catch (error) {
			if (destroyed || token !== recentToken || error.status === 401) return;
			recentMore.disabled = false;
			recentStatus.textContent = tr('tf.loadError', { message: errorText(error) });
			return;
		}
		if (destroyed || token !== recentToken) return;
		if (!more) clear(recentBody);
		for (const t of Array.isArray(page && page.items) ? page.items : []) recentBody.append(recentRow(t));
		recentCursor = page && page.nextCursor ? page.nextCursor : null;
		recentMore.hidden = !recentCursor;
		recentMore.disabled = false;
		recentTable.hidden = recentBody.children.length === 0;
		recentStatus.textContent = recentBody.children.length === 0 ? tr('tf.noRecent') : '';
	}
	recentMore.addEventListener('click', () => loadRecent({ more: true }));

	// ---- the page ------------------------------------------------------------------------
	const form = h('form', { id: 'tf-form', class: 'ec-form tf-form', novalidate: true, 'aria-labelledby': 'tf-title' },
		h('div', { class: 'gm-card' },
			h('h2', { class: 'ec-panel-title' }, tr('tf.fromTitle')),
			from.chosenBox, from.picker.element),
		h('div', { class: 'gm-card' },
			contactsTitle, contactsStatus, allField, table, h('div', { class: 'ec-more-wrap' }, moreButton),
			selectionStatus, contactsError),
		h('div', { class: 'gm-card' },
			h('h2', { class: 'ec-panel-title' }, tr('tf.toTitle')),
			to.chosenBox, to.picker.element),
		formError,
		h('div', { class: 'ec-dialog-actions' }, submit));
	form.addEventListener('submit', ask);

	const section = h('section', { class: 'ec-page gm-page tf-page', 'aria-labelledby': 'tf-title' },
		h('h1', { id: 'tf-title', tabindex: '-1' }, tr('tf.title')),
		h('p', { class: 'ec-hint gm-intro' }, tr('tf.intro')),
		form,
		progressCard,
		h('div', { class: 'gm-card' },
			h('h2', { id: 'tf-recent-title', class: 'ec-panel-title' }, tr('tf.recentTitle')),
			recentTable, recentStatus, h('div', { class: 'ec-more-wrap' }, recentMore)),
		confirm);

	return {
		async start() {
			await loadStylesheet();
			if (destroyed) return;
			root.replaceChildren(section);
			await loadRecent();
		},
		destroy() {
			if (destroyed) return;
			destroyed = true;
			if (pollTimer) clearTimeout(pollTimer);
			from.picker.destroy();
			to.picker.destroy();
			closeModal(confirm);
			section.remove();
		},
	};
}
