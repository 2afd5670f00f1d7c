// The 外部互联 page (SPEC R1.1, R1.2, R1.4, R2.1–R2.3), mounted by the host's
// web shell: mount(el, ctx) / unmount(). API: docs/API.md, plugin part.
import { FIELDS } from './validate.js';
import { h, clear, initial, loadStylesheet } from './dom.js';
import { createCards } from './contact-card.js';
import { createCreateDialog } from './create-dialog.js';
import { createNewMenu, CREATE_ITEM } from './new-menu.js';
import { createInviteDialog } from './invite-dialog.js';
import { createOrgRequestDialog } from './org-request-dialog.js';
import { request, BASE } from './api.js';
import { pageModule } from './page-module.js';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;
const MAINTAIN = 'external_contacts.maintain';
const INVITE_ITEM = 'contacts.new.invite-wechat';
const FROM_ORG_ITEM = 'contacts.new.from-org';
const UNGROUPED = '\u0000ungrouped';

export const { mount, unmount } = pageModule(createPage);

function groupKey(name) {
	return name === null || name === undefined || String(name).trim() === '' ? UNGROUPED : String(name).trim();
}

function createPage(el, ctx, { tr }) {
	const me = ctx.me || {};
	const canSeeAll = Boolean((me.permissions || []).includes(MAINTAIN) || (me.org && me.org.isAdmin));
	const cleanups = [];
	let destroyed = false;
	let loadToken = 0;
	let searchTimer = null;
	let idCounter = 0;
	const nextId = (prefix) => `${prefix}-${++idCounter}`;

	const state = {
		q: '',
		source: '',
		scope: 'mine',
		cursor: null,
		counts: new Map(),
		total: 0,
		sections: new Map(),
		collapsed: new Set(),
		highlightId: null,
	};

	// ---- toolbar ---------------------------------------------------------
	const search = h('input', {
		id: 'ec-q', type: 'search', class: 'ec-input ec-search-input', placeholder: tr('search.placeholder'),
		autocomplete: 'off', 'aria-controls': 'ec-list',
	});
	const sourceSelect = h('select', { id: 'ec-source', class: 'ec-select' },
		h('option', { value: '' }, tr('source.any')),
		['created', 'wechat_invite', 'other_org'].map((value) => h('option', { value }, tr(`source.${value}`))));
	// The scope switch: for admins and maintain-holders at once; for group maintainers
	// (whom ctx.me does not name) once GET /groups?scope=all answers them (start()).
	const scopeAll = h('option', { value: 'all' }, tr('scope.all'));
	const scopeSelect = h('select', { id: 'ec-scope', class: 'ec-select' },
		h('option', { value: 'mine' }, tr('scope.mine')),
		scopeAll);
	const scopeFilter = h('div', { class: 'ec-filter', hidden: !canSeeAll }, h('label', { for: 'ec-scope' }, tr('scope.label')), scopeSelect);

	const newButton = h('button', {
		type: 'button', id: 'ec-new-button', class: 'ec-button ec-button-primary', 'aria-haspopup': 'menu',
		'aria-expanded': 'false', 'aria-controls': 'ec-new-menu',
	}, tr('new.button'), h('span', { class: 'ec-caret', 'aria-hidden': 'true' }));
	const newMenu = h('ul', { id: 'ec-new-menu', class: 'ec-menu', role: 'menu', 'aria-label': tr('new.menu'), hidden: true });
	const newMenuNote = h('p', { class: 'ec-menu-note', role: 'status' });

	const title = h('h1', { id: 'ec-page-title', class: 'ec-title', tabindex: '-1' }, tr('page.title'));
	const summary = h('p', { class: 'ec-summary', 'aria-live': 'polite' });
	const status = h('div', { class: 'ec-status' });
	const list = h('div', { id: 'ec-list', class: 'ec-list', 'aria-labelledby': 'ec-page-title' });
	const moreButton = h('button', { type: 'button', class: 'ec-button ec-more', hidden: true }, tr('list.more'));
	const notice = h('p', { class: 'ec-notice', role: 'status', 'aria-live': 'polite' });

	const root = h('div', { class: 'ec-page' },
		h('div', { class: 'ec-head' },
			h('div', { class: 'ec-head-text' },
				title,
				summary),
			h('div', { class: 'ec-new' }, newButton, newMenu, newMenuNote)),
		h('div', { class: 'ec-toolbar' },
			h('div', { class: 'ec-search', role: 'search' },
				h('label', { for: 'ec-q', class: 'ec-visually-hidden' }, tr('search.label')),
				h('span', { class: 'ec-search-icon', 'aria-hidden': 'true' }),
				search),
			scopeFilter,
			h('div', { class: 'ec-filter' }, h('label', { for: 'ec-source' }, tr('source.label')), sourceSelect)),
		notice,
		status,
		list,
		h('div', { class: 'ec-more-wrap' }, moreButton));

	// ---- helpers -----------------------------------------------------------
	function listen(target, type, handler, options) {
		target.addEventListener(type, handler, options);
		cleanups.push(() => target.removeEventListener(type, handler, options));
	}

	// The server's error message is English by design: show localized texts per
	// code and field. validation_failed naming a form field (or the search)
	// gets that field's rule; everything else the shell's text for the code.
	const fieldTexts = Object.fromEntries([...FIELDS, 'q'].map((field) => [field, tr(`fieldError.${field}`)]));

	function errorText(error, options = { fields: fieldTexts }) {
		if (typeof ctx.errorText === 'function') return ctx.errorText(error, options);
		// A host without ctx.errorText: still never the server's message.
		if (error && (error.status === 0 || error.code === 'network')) return tr('error.network');
		const fields = options && options.fields;
		if (error && error.code === 'validation_failed' && fields && Object.hasOwn(fields, error.field)) return fields[error.field];
		return tr('error.generic');
	}

	function query(extra) {
		const params = new URLSearchParams({ scope: state.scope });
		if (state.q) params.set('q', state.q);
		if (state.source) params.set('source', state.source);
		for (const [key, value] of Object.entries(extra || {})) if (value !== null && value !== undefined) params.set(key, value);
		return params.toString();
	}

	function showNotice(text) {
		notice.textContent = text;
	}

	// ---- the 新建 menu (R1.4) --------------------------------------------------
	const menu = createNewMenu({
		ctx, tr, newButton, newMenu, newMenuNote,
		actions: {
			[CREATE_ITEM]: () => create.open(),
			[INVITE_ITEM]: () => invite.open(),
			[FROM_ORG_ITEM]: () => fromOrg.open(),
		},
	});
	cleanups.push(() => menu.destroy());

	// ---- cards (R6.1) -------------------------------------------------------------
	const perms = me.permissions || [];
	function canEdit(contact) {
		if (!contact) return false;
		if ((me.org && me.org.isAdmin) || perms.includes(MAINTAIN)) return true;
		return Boolean(contact.addedBy && me.user && String(contact.addedBy.id) === String(me.user.id));
	}
	const rowButton = (id) => list.querySelector(`.ec-contact[data-id="${CSS.escape(String(id))}"] .ec-contact-open`);
	const cards = createCards({
		ctx, tr, errorText, host: root, canEdit,
		fallbackFocus: (id) => rowButton(id) || title,
		onSaved(contact) {
			state.collapsed.delete(groupKey(contact.company));
			reload();
		},
		onDeleted(contact) {
			showNotice(tr('delete.done', { name: contact.name }));
			reload().then(() => {
				if (!destroyed) title.focus();
			});
		},
	});
	cleanups.push(() => cards.destroy());

	// ---- list ------------------------------------------------------------
	function setLoading(text) {
		clear(status);
		status.setAttribute('role', 'status');
		status.append(h('p', { class: 'ec-loading' }, h('span', { class: 'ec-spinner', 'aria-hidden': 'true' }), text));
	}

	function setError(error, retry) {
		clear(status);
		status.setAttribute('role', 'alert');
		status.append(h('div', { class: 'ec-error' },
			h('p', {}, tr('list.error', { message: errorText(error) })),
			h('button', { type: 'button', class: 'ec-button', onClick: retry }, tr('list.retry'))));
	}

	function clearStatus() {
		clear(status);
		status.removeAttribute('role');
	}

	function renderSummary() {
		summary.textContent = tr('page.summary', { count: state.total });
	}

	function renderEmpty() {
		const filtered = Boolean(state.q || state.source);
		list.append(h('div', { class: 'ec-empty' },
			h('div', { class: 'ec-empty-art', 'aria-hidden': 'true' }),
			h('h2', { class: 'ec-empty-title' }, filtered ? tr('list.noMatchTitle') : tr('list.emptyTitle')),
			h('p', { class: 'ec-empty-hint' }, filtered ? tr('list.noMatchHint') : tr('list.emptyHint')),
			filtered ? null : h('button', { type: 'button', class: 'ec-button ec-button-primary', onClick: () => create.open() }, tr('list.emptyAction'))));
	}

	function sectionFor(name) {
		const key = groupKey(name);
		let section = state.sections.get(key);
		if (section) return section;
		const id = nextId('ec-group');
		const label = key === UNGROUPED ? tr('group.ungrouped') : key;
		const count = state.counts.has(key) ? state.counts.get(key) : 0;
		const expanded = !state.collapsed.has(key);
		const countEl = h('span', { class: 'ec-group-count', dataset: { count: String(count) } },
			h('span', { 'aria-hidden': 'true' }, String(count)),
			h('span', { class: 'ec-visually-hidden' }, tr('group.count', { count })));
		const toggle = h('button', {
			type: 'button', class: 'ec-group-toggle', 'aria-expanded': expanded ? 'true' : 'false', 'aria-controls': `${id}-list`,
		}, h('span', { class: 'ec-chevron', 'aria-hidden': 'true' }), h('span', { class: 'ec-group-name' }, label), countEl);
		const rows = h('ul', { id: `${id}-list`, class: 'ec-contacts', hidden: !expanded });
		toggle.addEventListener('click', () => {
			const open = toggle.getAttribute('aria-expanded') !== 'true';
			toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
			rows.hidden = !open;
			if (open) state.collapsed.delete(key);
			else state.collapsed.add(key);
		});
		const element = h('section', {
			class: key === UNGROUPED ? 'ec-group ec-group-ungrouped' : 'ec-group',
			dataset: { group: key === UNGROUPED ? '' : key, ungrouped: key === UNGROUPED ? 'true' : null },
			'aria-labelledby': `${id}-title`,
		}, h('h2', { class: 'ec-group-head', id: `${id}-title` }, toggle), rows);
		// 未分组 stays last even if a named group shows up after it.
		const ungrouped = state.sections.get(UNGROUPED);
		if (ungrouped && key !== UNGROUPED) list.insertBefore(element, ungrouped.element);
		else list.append(element);
		section = { element, rows, countEl, loaded: 0 };
		state.sections.set(key, section);
		return section;
	}

	function contactRow(contact) {
		const name = contact.name || '';
		const role = [contact.title, contact.department].filter(Boolean).join(' · ');
		const reach = [];
		if (contact.mobile) {
			reach.push(h('span', { class: 'ec-reach ec-reach-mobile' },
				h('span', { class: 'ec-visually-hidden' }, `${tr('contact.mobile')}: `),
				h('a', { href: `tel:${contact.mobile.replace(/[^0-9+]/g, '')}` }, contact.mobile)));
		}
		if (contact.email) {
			reach.push(h('span', { class: 'ec-reach ec-reach-email' },
				h('span', { class: 'ec-visually-hidden' }, `${tr('contact.email')}: `),
				h('a', { href: `mailto:${contact.email}` }, contact.email)));
		}
		const sourceTag = contact.source && contact.source !== 'created'
			? h('span', { class: `ec-tag ec-tag-${contact.source}` }, tr(`source.${contact.source}`))
			: null;
		// The name opens the small card (click, Enter or Space); so does a click elsewhere on the row.
		const open = h('button', {
			type: 'button', class: 'ec-name ec-contact-open', 'aria-haspopup': 'dialog', 'aria-expanded': 'false',
			'aria-controls': 'ec-popover',
		}, name);
		open.addEventListener('click', () => cards.toggleSmall(open, contact));
		const row = h('li', {
			class: String(contact.id) === String(state.highlightId) ? 'ec-contact ec-contact-new' : 'ec-contact',
			dataset: { id: String(contact.id) },
		},
		h('span', { class: 'ec-avatar', 'aria-hidden': 'true' }, initial(name)),
		h('div', { class: 'ec-contact-main' },
			h('p', { class: 'ec-contact-name' }, open, sourceTag),
			h('p', { class: 'ec-contact-sub' },
				role ? h('span', { class: 'ec-role' }, role) : null,
				contact.company ? h('span', { class: 'ec-company' }, contact.company) : null)),
		h('div', { class: 'ec-contact-reach' }, reach));
		row.addEventListener('click', (event) => {
			if (event.target.closest('a, button, .ec-popover')) return;
			cards.toggleSmall(open, contact);
		});
		return row;
	}

	function appendContacts(items) {
		for (const contact of items) {
			const section = sectionFor(contact.company);
			section.rows.append(contactRow(contact));
			section.loaded += 1;
		}
	}

	function applyGroupCounts(groups) {
		state.counts = new Map();
		let total = 0;
		for (const group of groups) {
			const count = Number(group.count) || 0;
			state.counts.set(groupKey(group.name), count);
			total += count;
		}
		return total;
	}

	async function reload({ focusNew = false } = {}) {
		const token = ++loadToken;
		moreButton.hidden = true;
		list.setAttribute('aria-busy', 'true');
		setLoading(tr('list.loading'));
		let groups;
		let page;
		try {
			[groups, page] = await Promise.all([
				request(ctx, 'GET', `${BASE}/groups?${query()}`),
				request(ctx, 'GET', `${BASE}/contacts?${query({ limit: PAGE_SIZE })}`),
			]);
		} catch (error) {
			if (token !== loadToken || destroyed) return;
			list.removeAttribute('aria-busy');
			if (error.status === 401) return;
			setError(error, () => reload());
			return;
		}
		if (token !== loadToken || destroyed) return;
		const groupItems = Array.isArray(groups && groups.items) ? groups.items : [];
		const total = applyGroupCounts(groupItems);
		state.total = typeof (groups && groups.total) === 'number' ? groups.total : total;
		state.sections = new Map();
		cards.closeSmall();
		cards.forgetEditRights();
		clear(list);
		clearStatus();
		list.removeAttribute('aria-busy');
		const items = Array.isArray(page && page.items) ? page.items : [];
		renderSummary();
		if (!items.length) renderEmpty();
		appendContacts(items);
		state.cursor = page && page.nextCursor ? page.nextCursor : null;
		moreButton.hidden = !state.cursor;
		if (focusNew && state.highlightId !== null) {
			const row = list.querySelector(`.ec-contact[data-id="${CSS.escape(String(state.highlightId))}"]`);
			if (row && row.scrollIntoView) row.scrollIntoView({ block: 'nearest' });
		}
	}

	async function loadMore() {
		if (!state.cursor) return;
		const token = loadToken;
		moreButton.disabled = true;
		moreButton.textContent = tr('list.moreLoading');
		try {
			const page = await request(ctx, 'GET', `${BASE}/contacts?${query({ limit: PAGE_SIZE, cursor: state.cursor })}`);
			if (token !== loadToken || destroyed) return;
			clearStatus();
			appendContacts(Array.isArray(page && page.items) ? page.items : []);
			state.cursor = page && page.nextCursor ? page.nextCursor : null;
		} catch (error) {
			if (token !== loadToken || destroyed || error.status === 401) return;
			setError(error, () => loadMore());
		} finally {
			if (token === loadToken && !destroyed) {
				moreButton.disabled = false;
				moreButton.textContent = tr('list.more');
				moreButton.hidden = !state.cursor;
			}
		}
	}

	moreButton.addEventListener('click', loadMore);
	search.addEventListener('input', () => {
		clearTimeout(searchTimer);
		searchTimer = setTimeout(() => {
			const q = search.value.trim();
			if (q === state.q) return;
			state.q = q;
			reload();
		}, SEARCH_DELAY_MS);
	});
	search.addEventListener('keydown', (event) => {
		if (event.key !== 'Enter') return;
		event.preventDefault();
		clearTimeout(searchTimer);
		state.q = search.value.trim();
		reload();
	});
	sourceSelect.addEventListener('change', () => {
		state.source = sourceSelect.value;
		reload();
	});
	scopeSelect.addEventListener('change', () => {
		state.scope = scopeSelect.value;
		reload();
	});

	// A member without the maintain permission may still maintain groups (R8): then
	// scope "all" answers them with the contacts of those groups.
	async function offerGroupScope() {
		if (canSeeAll) return;
		try {
			await request(ctx, 'GET', `${BASE}/groups?scope=all`);
		} catch {
			return; // 403: no groups to maintain (or the answer is unknown): 我的 only
		}
		if (destroyed) return;
		scopeAll.textContent = tr('scope.groups');
		scopeFilter.hidden = false;
	}

	// ---- 新建 (R2.1–R2.4) --------------------------------------------------------
	const create = createCreateDialog({
		ctx, tr, errorText, host: root, returnFocus: () => newButton,
		openCard: (id, link) => cards.openCard(id, { returnFocus: link }),
		async onCreated(created, body) {
			state.highlightId = created && created.id !== undefined ? created.id : null;
			showNotice(tr('create.done', { name: (created && created.name) || body.name }));
			if (state.highlightId !== null) state.collapsed.delete(groupKey(created.company));
			if (!destroyed) await reload({ focusNew: true });
		},
	});

	// ---- 邀请微信好友 (R4.1) -------------------------------------------------------
	const invite = createInviteDialog({ ctx, tr, errorText, host: root, returnFocus: () => newButton });

	// ---- 从其他组织添加 (R5.1, R5.2) -------------------------------------------------
	const fromOrg = createOrgRequestDialog({
		ctx, tr, errorText, host: root, returnFocus: () => newButton,
		openContact: (id) => cards.openCard(id, { returnFocus: newButton }),
	});

	// ---- lifecycle -----------------------------------------------------------
	return {
		async start() {
			clear(el);
			await loadStylesheet();
			if (destroyed) return;
			el.append(root);
			menu.load();
			offerGroupScope();
			await reload();
		},
		destroy() {
			if (destroyed) return;
			destroyed = true;
			loadToken += 1;
			clearTimeout(searchTimer);
			for (const cleanup of cleanups) cleanup();
			create.destroy();
			invite.destroy();
			fromOrg.destroy();
			root.remove();
		},
	};
}
