// The list of a back-office log (account-applications-page.js, audit-log-page.js):
// the table's rows a page at a time (【加载更多】), the count, the loading, error and
// empty states, and 【导出 CSV】 of what the filters select. The page owns the filters,
// the columns and the rows' content. Texts and ids carry the page's prefix:
// `${prefix}.more`, #${prefix}-more, ….
import { h, clear, loadStylesheet } from './dom.js';
import { request } from './api.js';
import { exportName, fetchCsv, saveCsv } from './export-file.js';

const PAGE_SIZE = 50;

/**
 * prefix: 'al' or 'au'; route: the log's route; query(filters, extra): its query
 * string; fieldTexts(): the filters' names for error texts; table, tbody, title: the
 * page's; say(text, {error}): the page's notice; applied(): the filters shown;
 * resetFilters(): 清除筛选; renderRows(tbody, rows): the rows' elements;
 * filterFields: the filters the server may name in a 400; filterRefused(error, where):
 * the page shows it (where: 'list' or 'export'); focusFirst(item): after 加载更多,
 * focus the first new row; exportFile: the CSV's name before the date;
 * prepareExport(): the filters to export (applied to the table when they changed), or
 * null when they are wrong.
 */
export function createLogList(options) {
	const { ctx, tr, prefix, signal, isDestroyed, table, tbody, title } = options;
	const key = (name) => `${prefix}.${name}`;
	let listToken = 0;
	let cursor = null;
	let rows = [];
	const objectUrls = new Set();
	const timers = new Set();
	const refusedFilter = (error) => error.code === 'validation_failed' && options.filterFields.includes(error.field);

	const tableWrap = h('div', { class: 'al-table-wrap', role: 'region', tabindex: '0', 'aria-labelledby': `${prefix}-caption` }, table);
	const countStatus = h('p', { id: `${prefix}-count`, class: 'al-count', role: 'status', 'aria-live': 'polite' });
	const stateBox = h('div', { class: 'al-state' });
	const moreButton = h('button', { type: 'button', id: `${prefix}-more`, class: 'ec-button', hidden: true }, tr(key('more')));
	moreButton.addEventListener('click', () => load({ more: true }));

	function renderRows() {
		clear(tbody);
		options.renderRows(tbody, rows);
	}

	function renderCount() {
		countStatus.textContent = rows.length ? tr(key(cursor ? 'countMore' : 'count'), { count: rows.length }) : '';
	}

	function showLoading() {
		clear(stateBox);
		stateBox.append(h('div', { class: 'ec-loading', role: 'status' }, h('span', { class: 'ec-spinner', 'aria-hidden': 'true' }), tr(key('loading'))));
	}

	function showError(error, retry) {
		clear(stateBox);
		const retryButton = h('button', { type: 'button', class: 'ec-button', id: `${prefix}-retry`, onClick: retry }, tr(key('retry')));
		stateBox.append(h('div', { class: 'ec-error al-error', role: 'alert' },
			h('p', {}, tr(key('loadError'), { message: ctx.errorText(error, { fields: options.fieldTexts() }) })), retryButton));
	}

	function showEmpty() {
		clear(stateBox);
		const filters = options.applied();
		const narrowed = !!filters && options.query(filters) !== '';
		stateBox.append(h('div', { class: `ec-empty ec-empty-small ${prefix}-empty` },
			h('p', { class: 'ec-empty-title' }, tr(key(narrowed ? 'noMatchTitle' : 'emptyTitle'))),
			h('p', { class: 'ec-empty-hint' }, tr(key(narrowed ? 'noMatchHint' : 'emptyHint'))),
			narrowed ? h('button', { type: 'button', class: 'ec-button', onClick: () => options.resetFilters() }, tr(key('reset'))) : null));
	}

	function empty() {
		rows = [];
		cursor = null;
		renderRows();
		tableWrap.hidden = true;
		moreButton.hidden = true;
	}

	function setMoreIdle() {
		moreButton.disabled = false;
		moreButton.textContent = tr(key('more'));
	}

	async function load({ more = false } = {}) {
		const token = ++listToken;
		const filters = options.applied();
		moreButton.disabled = true;
		moreButton.textContent = more ? tr(key('moreLoading')) : tr(key('more'));
		table.setAttribute('aria-busy', 'true');
		if (!more) {
			showLoading();
			countStatus.textContent = '';
		}
		let page;
		try {
			const extra = { limit: String(PAGE_SIZE) };
			if (more && cursor) extra.cursor = cursor;
			page = await request(ctx, 'GET', `${options.route}?${options.query(filters, extra)}`, undefined, { signal });
		} catch (error) {
			if (isDestroyed() || token !== listToken || error.status === 401) return;
			table.removeAttribute('aria-busy');
			setMoreIdle();
			if (refusedFilter(error)) {
				// A filter the server refused: named next to it; the table is emptied until it is fixed.
				clear(stateBox);
				options.filterRefused(error, 'list');
				if (!more) {
					empty();
					renderCount();
				}
			} else if (more) options.say(tr(key('loadError'), { message: ctx.errorText(error) }), { error: true });
			else {
				empty();
				showError(error, () => load());
			}
			return;
		}
		if (isDestroyed() || token !== listToken) return;
		table.removeAttribute('aria-busy');
		clear(stateBox);
		const items = Array.isArray(page && page.items) ? page.items : [];
		rows = more ? [...rows, ...items] : items;
		cursor = page && page.nextCursor ? page.nextCursor : null;
		renderRows();
		tableWrap.hidden = rows.length === 0;
		moreButton.hidden = !cursor;
		setMoreIdle();
		if (!rows.length) showEmpty();
		renderCount();
		if (more && items.length) options.focusFirst(items[0]);
		else if (more && !cursor) title.focus();
	}

	// ---- 导出 CSV ------------------------------------------------------------------------------
	const exportButton = h('button', { type: 'button', class: 'ec-button', id: `${prefix}-export` }, tr(key('export')));

	function finishExport() {
		exportButton.disabled = false;
		exportButton.textContent = tr(key('export'));
	}

	async function exportCsv() {
		const filters = options.prepareExport();
		if (!filters) return;
		exportButton.disabled = true;
		exportButton.textContent = tr(key('exporting'));
		options.say('');
		let file;
		try {
			file = await fetchCsv(ctx, `${options.route}/export?${options.query(filters)}`, signal);
		} catch (error) {
			if (isDestroyed()) return;
			finishExport();
			if (error.status === 401) return;
			if (refusedFilter(error)) options.filterRefused(error, 'export');
			else options.say(tr(key('exportError'), { message: ctx.errorText(error) }), { error: true });
			return;
		}
		if (isDestroyed()) return;
		saveCsv(file.blob, exportName(options.exportFile), tr(key('export')), { urls: objectUrls, timers });
		finishExport();
		options.say(file.truncated ? tr(key('exportTruncated'), { count: file.truncated }) : tr(key('exported')));
	}

	exportButton.addEventListener('click', () => {
		exportCsv();
	});

	return {
		load,
		exportButton,
		renderRows,
		/** The rows shown (the page may replace one in place and renderRows()). */
		rows: () => rows,
		/** The table, its count, state and 加载更多, in the page's card. */
		elements: () => [countStatus, tableWrap, stateBox, h('div', { class: 'ec-more-wrap' }, moreButton)],
		/** The page goes: the exports' object URLs and timers with it. */
		destroy() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			for (const url of objectUrls) URL.revokeObjectURL(url);
			objectUrls.clear();
		},
	};
}

/**
 * The page of a log: breadcrumb, title, intro (`${prefix}.section`, `${prefix}.intro`),
 * the filters' card, the notices and the list's card; start() shows it in root and
 * loads the first page (first(): the filters applied, then the load).
 */
export function logPage({ tr, prefix, className, root, title, filterForm, notices, list, isDestroyed, first }) {
	const section = h('section', { class: `ec-page al-page${className ? ` ${className}` : ''}`, 'aria-labelledby': `${prefix}-title` },
		h('p', { class: 'rh-breadcrumb al-breadcrumb' }, tr(`${prefix}.section`)),
		title,
		h('p', { class: 'ec-hint al-intro' }, tr(`${prefix}.intro`)),
		h('div', { class: 'gm-card al-card' }, filterForm),
		notices.notice,
		notices.alert,
		h('div', { class: 'gm-card al-card' }, ...list.elements()));
	return {
		async start() {
			await loadStylesheet();
			if (isDestroyed()) return;
			root.replaceChildren(section);
			await first();
		},
		/** The page goes (after the page's own clean-up). */
		remove() {
			list.destroy();
			section.remove();
		},
	};
}
