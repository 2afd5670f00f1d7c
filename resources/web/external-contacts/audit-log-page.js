// Back office 外部互联 / 审计日志 (SPEC R10): every change the plugin recorded in the
// organization — contacts (deleted ones too), invitations, org requests, WeChat
// bindings, accounts, group maintainers, hand-overs — newest first, with filters
// (actor, action, period, contact), 加载更多 and 【导出 CSV】.
// Mounted by the shell at #/admin/p/audit-log (docs/WEB.md); the shell shows the
// back office to org admins only.
// Routes: GET /api/plugins/external-contacts/admin/audit[/export], GET /members
// (the member picker).
import { messages, translator } from './i18n.js';
import { h, clear, loadStylesheet } from './dom.js';
import { memberPicker, memberSearch } from './member-picker.js';
import { historyActionText } from './contact-card.js';
import { exportName, fetchCsv, localMidnight, saveCsv } from './export-file.js';

const BASE = '/api/plugins/external-contacts';
const LOG = `${BASE}/admin/audit`;
const PAGE_SIZE = 50;
const ACTION_PREFIX = 'history.action.';
// Filters the server may name in a 400 (cursor and limit are the page's own).
const FILTER_FIELDS = ['actor', 'action', 'contact', 'from', 'to'];
let current = null;

export async function mount(root, ctx) {
	if (current) unmount();
	const page = createPage(root, ctx);
	current = page;
	await page.start();
}

export function unmount() {
	if (!current) return;
	current.destroy();
	current = null;
}

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

function createPage(root, ctx) {
	const tr = translator(ctx.locale);
	const controller = new AbortController();
	const signal = controller.signal;
	let destroyed = false;
	let listToken = 0;
	let cursor = null;
	let applied = null; // the filters the table shows: {actor, action, contact, from, to}
	let actor = null; // {id, displayName} picked as the actor filter
	let rows = [];
	const objectUrls = new Set();
	const timers = new Set();

	const errorText = (error, options) => ctx.errorText(error, options);
	const formatTime = (ms) => {
		if (typeof ms !== 'number') return '';
		try {
			return new Date(ms).toLocaleString(ctx.locale);
		} catch {
			return new Date(ms).toISOString();
		}
	};
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
	const notice = h('p', { id: 'au-notice', class: 'ec-notice au-notice', role: 'status', 'aria-live': 'polite' });
	const alert = h('p', { id: 'au-alert', class: 'ec-form-error au-alert', role: 'alert' });

	function say(text, { error = false } = {}) {
		notice.textContent = error ? '' : text || '';
		alert.textContent = error ? text || '' : '';
	}

	// ---- filters ------------------------------------------------------------------------
	const fieldError = (name) => h('p', { id: `au-${name}-error`, class: 'ec-field-error' });
	const errors = { action: fieldError('action'), contact: fieldError('contact'), from: fieldError('from'), to: fieldError('to') };

	const actionSelect = h('select', { id: 'au-action', name: 'action', class: 'ec-select', 'aria-describedby': 'au-action-error' },
		h('option', { value: '' }, tr('au.actionAll')),
		knownActions(ctx.locale).map((action) => h('option', { value: action }, `${historyActionText(tr, action)} (${action})`)));
	const contactInput = h('input', {
		id: 'au-contact', name: 'contact', type: 'text', inputmode: 'numeric', class: 'ec-input', autocomplete: 'off',
		maxlength: '15', placeholder: tr('au.contactPlaceholder'), 'aria-describedby': 'au-contact-hint au-contact-error',
	});
	const fromInput = h('input', { id: 'au-from', name: 'from', type: 'date', class: 'ec-input', 'aria-describedby': 'au-from-error' });
	const toInput = h('input', { id: 'au-to', name: 'to', type: 'date', class: 'ec-input', 'aria-describedby': 'au-to-hint au-to-error' });
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
	const actorBox = h('div', { id: 'au-actor-chosen', class: 'al-chosen' });

	function setActor(member) {
		actor = member;
		picker.setError('');
		clear(actorBox);
		if (!member) {
			actorBox.append(h('span', { class: 'ec-muted' }, tr('au.actorAll')));
			return;
		}
		const name = member.displayName || tr('au.unknownName', { id: member.id });
		actorBox.append(
			h('span', { class: 'ec-chip au-chosen-name', dataset: { id: String(member.id) } }, tr('au.actorChosen', { name })),
			h('button', {
				type: 'button', id: 'au-actor-clear', class: 'ec-button ec-button-small', 'aria-label': tr('au.actorClearLabel', { name }),
				onClick: () => {
					setActor(null);
					picker.input.focus();
					apply();
				},
			}, tr('au.actorClear')));
	}

	function setFieldError(name, text) {
		if (name === 'actor') {
			picker.setError(text || '');
			return;
		}
		const error = errors[name];
		const input = inputs[name];
		if (!error || !input) return;
		error.textContent = text || '';
		if (text) input.setAttribute('aria-invalid', 'true');
		else input.removeAttribute('aria-invalid');
	}

	function clearFieldErrors() {
		for (const name of FILTER_FIELDS) setFieldError(name, '');
	}

	/** The filters as the form states them, or null (errors shown) when one is wrong. */
	function readFilters({ focus = false } = {}) {
		clearFieldErrors();
		const filters = { actor: actor ? actor.id : null, action: actionSelect.value, contact: null, from: null, to: null };
		let bad = null;
		const contact = contactInput.value.trim();
		if (contact) {
			if (!/^[1-9]\d{0,14}$/.test(contact)) {
				setFieldError('contact', tr('au.contactInvalid'));
				bad = bad || contactInput;
			} else filters.contact = contact;
		}
		if (fromInput.value) {
			filters.from = localMidnight(fromInput.value);
			if (filters.from === null) {
				setFieldError('from', tr('au.fieldFrom'));
				bad = bad || fromInput;
			}
		} else if (fromInput.validity && fromInput.validity.badInput) {
			setFieldError('from', tr('au.fieldFrom'));
			bad = bad || fromInput;
		}
		if (toInput.value) {
			filters.to = localMidnight(toInput.value, 1); // to is exclusive: the day after the end date
			if (filters.to === null) {
				setFieldError('to', tr('au.fieldTo'));
				bad = bad || toInput;
			} else if (filters.from !== null && filters.to <= filters.from) {
				setFieldError('to', tr('au.toBeforeFrom'));
				bad = bad || toInput;
			}
		} else if (toInput.validity && toInput.validity.badInput) {
			setFieldError('to', tr('au.fieldTo'));
			bad = bad || toInput;
		}
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

	const filtered = (filters) => !!filters && query(filters) !== '';

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

	const searchButton = h('button', { type: 'submit', class: 'ec-button ec-button-primary', id: 'au-search' }, tr('au.search'));
	const resetButton = h('button', { type: 'button', class: 'ec-button', id: 'au-reset' }, tr('au.reset'));
	const exportButton = h('button', { type: 'button', class: 'ec-button', id: 'au-export' }, tr('au.export'));

	const filterForm = h('form', { id: 'au-filters', class: 'al-filters', role: 'search', novalidate: true, 'aria-label': tr('au.filters') },
		h('div', { class: 'ec-field al-field' }, h('label', { for: 'au-action' }, tr('au.action')), actionSelect, errors.action),
		h('fieldset', { class: 'al-field al-period' },
			h('legend', {}, tr('au.period')),
			h('div', { class: 'al-period-inputs' },
				h('div', { class: 'ec-field' }, h('label', { for: 'au-from' }, tr('au.from')), fromInput, errors.from),
				h('div', { class: 'ec-field' }, h('label', { for: 'au-to' }, tr('au.to')), toInput,
					h('p', { id: 'au-to-hint', class: 'ec-visually-hidden' }, tr('au.toHint')), errors.to))),
		h('div', { class: 'ec-field al-field' },
			h('label', { for: 'au-contact' }, tr('au.contact')), contactInput,
			h('p', { id: 'au-contact-hint', class: 'ec-hint' }, tr('au.contactHint')), errors.contact),
		h('div', { class: 'al-field al-applicant' }, picker.element, actorBox),
		h('div', { class: 'al-filter-actions' }, searchButton, resetButton, exportButton));

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
	const tableWrap = h('div', { class: 'al-table-wrap', role: 'region', tabindex: '0', 'aria-labelledby': 'au-caption' }, table);
	const countStatus = h('p', { id: 'au-count', class: 'al-count', role: 'status', 'aria-live': 'polite' });
	const stateBox = h('div', { class: 'al-state' });
	const moreButton = h('button', { type: 'button', id: 'au-more', class: 'ec-button', hidden: true }, tr('au.more'));
	moreButton.addEventListener('click', () => load({ more: true }));

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
			h('td', { class: 'au-at' }, typeof entry.at === 'number' ? h('time', { datetime: new Date(entry.at).toISOString() }, formatTime(entry.at)) : none()),
			h('td', { class: 'au-actor' }, actorName(entry)),
			h('th', { scope: 'row', class: 'au-action', tabindex: '-1' }, historyActionText(tr, entry.action)),
			contactCell(entry),
			h('td', { class: 'au-from' }, entry.remoteAddr || none()),
			changesCell(entry));
	}

	function renderRows() {
		clear(tbody);
		for (const entry of rows) tbody.append(renderRow(entry));
	}

	function renderCount() {
		countStatus.textContent = rows.length ? tr(cursor ? 'au.countMore' : 'au.count', { count: rows.length }) : '';
	}

	function showLoading() {
		clear(stateBox);
		stateBox.append(h('div', { class: 'ec-loading', role: 'status' }, h('span', { class: 'ec-spinner', 'aria-hidden': 'true' }), tr('au.loading')));
	}

	function showError(error, retry) {
		clear(stateBox);
		const retryButton = h('button', { type: 'button', class: 'ec-button', id: 'au-retry', onClick: retry }, tr('au.retry'));
		stateBox.append(h('div', { class: 'ec-error al-error', role: 'alert' },
			h('p', {}, tr('au.loadError', { message: errorText(error, { fields: fieldTexts() }) })), retryButton));
	}

	function showEmpty() {
		clear(stateBox);
		const narrowed = filtered(applied);
		stateBox.append(h('div', { class: 'ec-empty ec-empty-small au-empty' },
			h('p', { class: 'ec-empty-title' }, tr(narrowed ? 'au.noMatchTitle' : 'au.emptyTitle')),
			h('p', { class: 'ec-empty-hint' }, tr(narrowed ? 'au.noMatchHint' : 'au.emptyHint')),
			narrowed ? h('button', { type: 'button', class: 'ec-button', onClick: () => resetButton.click() }, tr('au.reset')) : null));
	}

	function showFilterError(error) {
		setFieldError(error.field, errorText(error, { fields: fieldTexts() }));
		say(tr('au.fixFilters'), { error: true });
		const input = error.field === 'actor' ? picker.input : inputs[error.field];
		if (input) input.focus();
	}

	async function load({ more = false } = {}) {
		const token = ++listToken;
		const filters = applied;
		moreButton.disabled = true;
		moreButton.textContent = more ? tr('au.moreLoading') : tr('au.more');
		table.setAttribute('aria-busy', 'true');
		if (!more) {
			showLoading();
			countStatus.textContent = '';
		}
		let page;
		try {
			const extra = { limit: String(PAGE_SIZE) };
			if (more && cursor) extra.cursor = cursor;
			page = await ctx.api('GET', `${LOG}?${query(filters, extra)}`, undefined, { signal });
		} catch (error) {
			if (destroyed || token !== listToken || error.status === 401) return;
			table.removeAttribute('aria-busy');
			moreButton.disabled = false;
			moreButton.textContent = tr('au.more');
			if (error.code === 'validation_failed' && FILTER_FIELDS.includes(error.field)) {
				clear(stateBox);
				showFilterError(error);
				rows = [];
				cursor = null;
				renderRows();
				tableWrap.hidden = true;
				moreButton.hidden = true;
				renderCount();
				applied = null;
				return;
			}
			if (more) say(tr('au.loadError', { message: errorText(error) }), { error: true });
			else {
				rows = [];
				cursor = null;
				renderRows();
				tableWrap.hidden = true;
				moreButton.hidden = true;
				showError(error, () => load());
			}
			return;
		}
		if (destroyed || token !== listToken) return;
		table.removeAttribute('aria-busy');
		clear(stateBox);
		const items = Array.isArray(page && page.items) ? page.items : [];
		rows = more ? [...rows, ...items] : items;
		cursor = page && page.nextCursor ? page.nextCursor : null;
		renderRows();
		tableWrap.hidden = rows.length === 0;
		moreButton.hidden = !cursor;
		moreButton.disabled = false;
		moreButton.textContent = tr('au.more');
		if (!rows.length) showEmpty();
		renderCount();
		if (more && items.length) {
			const first = document.getElementById(rowId(items[0]));
			const heading = first && first.querySelector('th');
			if (heading) heading.focus();
		} else if (more && !cursor) title.focus();
	}

	// ---- 导出 CSV ------------------------------------------------------------------------------
	function finishExport() {
		exportButton.disabled = false;
		exportButton.textContent = tr('au.export');
	}

	async function exportCsv() {
		const filters = readFilters({ focus: true });
		if (!filters) return;
		if (query(filters) !== query(applied || {})) {
			applied = filters;
			load();
		}
		exportButton.disabled = true;
		exportButton.textContent = tr('au.exporting');
		say('');
		let file;
		try {
			file = await fetchCsv(ctx, `${LOG}/export?${query(filters)}`, signal);
		} catch (error) {
			if (destroyed) return;
			finishExport();
			if (error.status === 401) return;
			if (error.code === 'validation_failed' && FILTER_FIELDS.includes(error.field)) showFilterError(error);
			else say(tr('au.exportError', { message: errorText(error) }), { error: true });
			return;
		}
		if (destroyed) return;
		saveCsv(file.blob, exportName('external-contacts-audit'), tr('au.export'), { urls: objectUrls, timers });
		finishExport();
		say(file.truncated ? tr('au.exportTruncated', { count: file.truncated }) : tr('au.exported'));
	}

	exportButton.addEventListener('click', () => {
		exportCsv();
	});

	// ---- the page ------------------------------------------------------------------------------
	setActor(null);
	const section = h('section', { class: 'ec-page al-page au-page', 'aria-labelledby': 'au-title' },
		h('p', { class: 'rh-breadcrumb al-breadcrumb' }, tr('au.section')),
		title,
		h('p', { class: 'ec-hint al-intro' }, tr('au.intro')),
		h('div', { class: 'gm-card al-card' }, filterForm),
		notice,
		alert,
		h('div', { class: 'gm-card al-card' }, countStatus, tableWrap, stateBox, h('div', { class: 'ec-more-wrap' }, moreButton)));

	return {
		async start() {
			await loadStylesheet();
			if (destroyed) return;
			root.replaceChildren(section);
			applied = readFilters();
			await load();
		},
		destroy() {
			if (destroyed) return;
			destroyed = true;
			controller.abort();
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			for (const url of objectUrls) URL.revokeObjectURL(url);
			objectUrls.clear();
			picker.destroy();
			section.remove();
		},
	};
}
