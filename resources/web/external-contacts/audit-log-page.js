// Back office 外部互联 / 审计日志 (SPEC R10): every change the plugin recorded in the
// organization — contacts (deleted ones too), invitations, org requests, WeChat
// bindings, accounts, group maintainers, hand-overs — newest first, with filters
// (actor, action, period, contact), 加载更多 and 【导出 CSV】.
// Mounted by the shell at #/admin/p/audit-log (docs/WEB.md); the shell shows the
// back office to org admins only.
// Routes: GET /api/plugins/external-contacts/admin/audit[/export], GET /members
// (the member picker).
import { messages } from './i18n.js';
import { h, clear } from './dom.js';
import { memberPicker, memberSearch } from './member-picker.js';
import { historyActionText } from './card-history.js';
import { BASE } from './api.js';
import { formatTime } from './format.js';
import { pageModule } from './page-module.js';
import { noticeLines, filterErrors, periodFilter, personFilter } from './log-filters.js';
import { createLogList, logPage } from './log-list.js';

const LOG = `${BASE}/admin/audit`;
const ACTION_PREFIX = 'history.action.';
// Filters the server may name in a 400 (cursor and limit are the page's own).
const FILTER_FIELDS = ['actor', 'action', 'contact', 'from', 'to'];

export const { mount, unmount } = pageModule(createPage);

/** The actions the catalog has labels for (every action the server writes has one). */
function knownActions(locale) {
	const catalog = messages[locale] || messages['zh-CN'];
	return Object.keys(catalog).filter((key) => key.startsWith(ACTION_PREFIX)).map((key) => key.slice(ACTION_PREFIX.length)).sort();
}

/** Text of one snapshot value: lists joined, objects as JSON, nothing as ''. */
function valueText(value) {
	if (value === null || value === undefined) return '';
	if (Array.isArray(value)) return value.map(valueText).join(', ');
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

function createPage(root, ctx, { tr, signal }) {
	let destroyed = false;
	let applied = null; // the filters the table shows: {actor, action, contact, from, to}

	const errorText = (error, options) => ctx.errorText(error, options);
	const time = (ms) => formatTime(ctx.locale, ms);
	const fieldTexts = () => ({
		actor: tr('au.fieldActor'), action: tr('au.fieldAction'), contact: tr('au.fieldContact'),
		from: tr('au.fieldFrom'), to: tr('au.fieldTo'),
	});
	const actorName = (entry) => {
		if (entry.actor && entry.actor.system) return tr('au.system');
		if (entry.actor && entry.actor.displayName) return entry.actor.displayName;
		return tr('au.unknownName', { id: entry.actor ? entry.actor.id : '?' });
	};

	// ---- heading and notices ------------------------------------------------------------
	const title = h('h1', { id: 'au-title', tabindex: '-1' }, tr('au.title'));
	const { notice, alert, say } = noticeLines('au');

	// ---- filters ------------------------------------------------------------------------
	const actionSelect = h('select', { id: 'au-action', name: 'action', class: 'ec-select', 'aria-describedby': 'au-action-error' },
		h('option', { value: '' }, tr('au.actionAll')),
		knownActions(ctx.locale).map((action) => h('option', { value: action }, `${historyActionText(tr, action)} (${action})`)));
	const contactInput = h('input', {
		id: 'au-contact', name: 'contact', type: 'text', inputmode: 'numeric', class: 'ec-input', autocomplete: 'off',
		maxlength: '15', placeholder: tr('au.contactPlaceholder'), 'aria-describedby': 'au-contact-hint au-contact-error',
	});
	const period = periodFilter(tr, 'au');
	const { fromInput, toInput } = period;
	const inputs = { action: actionSelect, contact: contactInput, from: fromInput, to: toInput };

	const picker = memberPicker(tr, 'au-actor', {
		label: tr('au.actor'),
		search: memberSearch(ctx),
		errorText: (error) => errorText(error),
		chosen: () => [],
		onAdd(member) {
			setActor({ id: member.id, displayName: member.displayName });
			apply();
			return true;
		},
	});
	const fieldErrors = filterErrors('au', { fields: FILTER_FIELDS, inputs, picker, pickerField: 'actor' });
	const errors = fieldErrors.errors;
	const actorFilter = personFilter(tr, 'au', 'actor', {
		picker,
		name: (member) => member.displayName || tr('au.unknownName', { id: member.id }),
		onClear: () => apply(),
	});
	const actorBox = actorFilter.box;
	const setActor = (member) => actorFilter.set(member);
	const setFieldError = (name, text) => fieldErrors.set(name, text);

	/** The filters as the form states them, or null (errors shown) when one is wrong. */
	function readFilters({ focus = false } = {}) {
		fieldErrors.clear();
		const filters = { actor: actorFilter.chosen() ? actorFilter.chosen().id : null, action: actionSelect.value, contact: null, from: null, to: null };
		let bad = null;
		const contact = contactInput.value.trim();
		if (contact) {
			if (!/^[1-9]\d{0,14}$/.test(contact)) {
				setFieldError('contact', tr('au.contactInvalid'));
				bad = bad || contactInput;
			} else filters.contact = contact;
		}
		const badPeriod = period.read(filters, setFieldError);
		bad = bad || badPeriod;
		if (bad) {
			if (focus) bad.focus();
			return null;
		}
		return filters;
	}

	function query(filters, extra = {}) {
		const params = new URLSearchParams();
		if (filters.actor !== null) params.set('actor', String(filters.actor));
		if (filters.action) params.set('action', filters.action);
		if (filters.contact !== null) params.set('contact', filters.contact);
		if (filters.from !== null) params.set('from', String(filters.from));
		if (filters.to !== null) params.set('to', String(filters.to));
		for (const [key, value] of Object.entries(extra)) params.set(key, value);
		return params.toString();
	}

	/** Applies the form's filters now; nothing happens while they are wrong. */
	function apply({ focus = false } = {}) {
		const filters = readFilters({ focus });
		if (!filters) return false;
		applied = filters;
		load();
		return true;
	}

	actionSelect.addEventListener('change', () => apply());
	fromInput.addEventListener('change', () => apply());
	toInput.addEventListener('change', () => apply());

	// ---- the table --------------------------------------------------------------------------
	const caption = h('caption', { id: 'au-caption', class: 'al-caption' }, tr('au.caption'));
	const tbody = h('tbody');
	const table = h('table', { id: 'au-table', class: 'al-table au-table' },
		caption,
		h('thead', {}, h('tr', {},
			h('th', { scope: 'col' }, tr('au.col.at')),
			h('th', { scope: 'col' }, tr('au.col.actor')),
			h('th', { scope: 'col' }, tr('au.col.action')),
			h('th', { scope: 'col' }, tr('au.col.contact')),
			h('th', { scope: 'col' }, tr('au.col.from')),
			h('th', { scope: 'col' }, tr('au.col.changes')))),
		tbody);
	const list = createLogList({
		ctx, tr, prefix: 'au', route: LOG, query, fieldTexts, signal, table, tbody, title, say, filterFields: FILTER_FIELDS,
		isDestroyed: () => destroyed,
		applied: () => applied,
		resetFilters: () => resetButton.click(),
		renderRows: (body, rows) => {
			for (const entry of rows) body.append(renderRow(entry));
		},
		filterRefused(error, where) {
			showFilterError(error);
			if (where === 'list') applied = null;
		},
		exportFile: 'external-contacts-audit',
		prepareExport() {
			const filters = readFilters({ focus: true });
			if (filters && query(filters) !== query(applied || {})) {
				applied = filters;
				load();
			}
			return filters;
		},
		focusFirst(entry) {
			const first = document.getElementById(rowId(entry));
			const heading = first && first.querySelector('th');
			if (heading) heading.focus();
		},
	});

	const searchButton = h('button', { type: 'submit', class: 'ec-button ec-button-primary', id: 'au-search' }, tr('au.search'));
	const resetButton = h('button', { type: 'button', class: 'ec-button', id: 'au-reset' }, tr('au.reset'));

	const filterForm = h('form', { id: 'au-filters', class: 'al-filters', role: 'search', novalidate: true, 'aria-label': tr('au.filters') },
		h('div', { class: 'ec-field al-field' }, h('label', { for: 'au-action' }, tr('au.action')), actionSelect, errors.action),
		period.element(errors),
		h('div', { class: 'ec-field al-field' },
			h('label', { for: 'au-contact' }, tr('au.contact')), contactInput,
			h('p', { id: 'au-contact-hint', class: 'ec-hint' }, tr('au.contactHint')), errors.contact),
		h('div', { class: 'al-field al-applicant' }, picker.element, actorBox),
		h('div', { class: 'al-filter-actions' }, searchButton, resetButton, list.exportButton));

	filterForm.addEventListener('submit', (event) => {
		event.preventDefault();
		apply({ focus: true });
	});

	resetButton.addEventListener('click', () => {
		actionSelect.value = '';
		contactInput.value = '';
		fromInput.value = '';
		toInput.value = '';
		picker.reset();
		setActor(null);
		say('');
		apply();
		actionSelect.focus();
	});

	const none = () => h('span', { class: 'ec-muted al-none' }, tr('au.none'));
	const rowId = (entry) => `au-row-${entry.id}`;

	function onlyContact(contact) {
		contactInput.value = String(contact.id);
		if (apply()) say(tr('au.onlyContactDone', { name: contact.name || `#${contact.id}` }));
	}

	function contactCell(entry) {
		const contact = entry.contact;
		if (!contact) return h('td', { class: 'au-contact' }, none());
		const name = contact.name || `#${contact.id}`;
		return h('td', { class: 'au-contact', dataset: { id: String(contact.id) } },
			h('span', { class: 'au-contact-name' }, name),
			contact.deleted ? h('span', { class: 'ec-status-tag au-deleted' }, tr('au.deleted')) : null,
			' ',
			h('button', {
				type: 'button', class: 'ec-button ec-button-small au-only-contact', 'aria-label': tr('au.onlyContactLabel', { name }),
				onClick: () => onlyContact(contact),
			}, tr('au.onlyContact')));
	}

	// Before and after, field by field; a creation shows only what was recorded, a removal only what was there.
	function changesCell(entry) {
		const before = entry.before && typeof entry.before === 'object' ? entry.before : null;
		const after = entry.after && typeof entry.after === 'object' ? entry.after : null;
		// Snapshots hold every field: a change shows the ones that differ.
		const differs = (key) => !before || !after || JSON.stringify(before[key]) !== JSON.stringify(after[key]);
		const keys = [...new Set([...Object.keys(before || {}), ...Object.keys(after || {})])].filter(differs);
		if (!keys.length) return h('td', { class: 'au-changes' }, none());
		const row = (key) => h('tr', {},
			h('th', { scope: 'row' }, key),
			before ? h('td', { class: 'au-before' }, valueText(before[key])) : null,
			after ? h('td', { class: 'au-after' }, valueText(after[key])) : null);
		return h('td', { class: 'au-changes' },
			h('details', {},
				h('summary', {}, tr('au.showChanges', { count: keys.length })),
				h('table', { class: 'ec-history-table' },
					h('thead', {}, h('tr', {},
						h('th', { scope: 'col' }, tr('au.field')),
						before ? h('th', { scope: 'col' }, tr('au.before')) : null,
						after ? h('th', { scope: 'col' }, tr('au.after')) : null)),
					h('tbody', {}, keys.map(row)))));
	}

	function renderRow(entry) {
		return h('tr', { id: rowId(entry), class: 'al-row au-row', dataset: { id: String(entry.id), action: entry.action } },
			h('td', { class: 'au-at' }, typeof entry.at === 'number' ? h('time', { datetime: new Date(entry.at).toISOString() }, time(entry.at)) : none()),
			h('td', { class: 'au-actor' }, actorName(entry)),
			h('th', { scope: 'row', class: 'au-action', tabindex: '-1' }, historyActionText(tr, entry.action)),
			contactCell(entry),
			h('td', { class: 'au-from' }, entry.remoteAddr || none()),
			changesCell(entry));
	}

	function showFilterError(error) {
		setFieldError(error.field, errorText(error, { fields: fieldTexts() }));
		say(tr('au.fixFilters'), { error: true });
		const input = error.field === 'actor' ? picker.input : inputs[error.field];
		if (input) input.focus();
	}

	function load(options) {
		return list.load(options);
	}

	// ---- the page ------------------------------------------------------------------------------
	setActor(null);
	const page = logPage({
		tr, prefix: 'au', className: 'au-page', root, title, filterForm, notices: { notice, alert }, list,
		isDestroyed: () => destroyed,
		first() {
			applied = readFilters();
			return load();
		},
	});

	return {
		start: () => page.start(),
		destroy() {
			if (destroyed) return;
			destroyed = true;
			picker.destroy();
			page.remove();
		},
	};
}
