// 历史 of the large card (R10): who did what to the contact and when, each change as a
// before / after table, 20 entries a page (【加载更多】). Also the 历史 label of an audit
// action, which the back office's 审计日志 shows too.
import { h } from './dom.js';
import { request, contactPath } from './api.js';
import { memberLabel } from './format.js';

export const HISTORY_PAGE = 20;
// Snapshot keys the 历史 tab leaves out of a change: they move with every write.
// An account entry's `error` is the host's English message: for logs, not for the card.
const HISTORY_SKIP = new Set(['id', 'orgId', 'version', 'createdAt', 'updatedAt', 'error']);
const MEMBER_KEYS = new Set(['visibleMembers', 'shares', 'members']);
// Snapshot keys with a label of their own (account.* and wechat.* entries).
const LABELS = {
	shares: 'history.field.shares', members: 'history.field.shares',
	applicationId: 'history.field.applicationId', status: 'history.field.status', comment: 'history.field.comment', login: 'account.login',
	nickname: 'history.field.wechatNickname', boundAt: 'history.field.wechatBoundAt', proposedAt: 'history.field.wechatProposedAt',
	expiresAt: 'history.field.wechatExpiresAt', proposalId: 'history.field.wechatProposalId',
};
const CONTACT_KEYS = ['name', 'mobile', 'email', 'company', 'title', 'department', 'address', 'remark', 'tags', 'source',
	'addedBy', 'securityLevel', 'visibleMembers'];
const TIME_KEYS = new Set(['boundAt', 'proposedAt', 'expiresAt']);

/** The catalog key of an audit action's 历史 label: `history.action.` + the action (contact.create, account.apply, …). */
export function historyActionKey(action) {
	return `history.action.${action}`;
}

/**
 * The 历史 label of an audit action in tr's language; an action the catalogs do not
 * know is shown as it is. tests/e2e/browser/history-actions.test.mjs checks that every
 * action written in plugin/src has a label in both catalogs.
 */
export function historyActionText(tr, action) {
	const key = historyActionKey(action);
	const text = tr(key);
	return text === key ? action : text;
}

/** ui: the card's context (contact-card.js). */
export function createHistoryTab(ui) {
	const { ctx, tr, errorText, card, panels } = ui;
	const historyMore = h('button', { type: 'button', class: 'ec-button', id: 'ec-history-more' }, tr('list.more'));
	const historyError = h('p', { class: 'ec-form-error', role: 'alert' });

	/** Member id → name, from everything the card knows (the history names members it no longer lists). */
	function knownMembers() {
		const known = new Map();
		const add = (member) => {
			if (member && member.id !== undefined && member.id !== null) known.set(String(member.id), memberLabel(member));
		};
		const contact = card.contact || {};
		add(contact.addedBy);
		(contact.visibleMembers || []).forEach(add);
		if (card.permissions && !card.permissions.error) (card.permissions.visibleMembers || []).forEach(add);
		ui.permissions.draftMembers().forEach(add);
		if (card.shares && !card.shares.error) (card.shares.members || []).forEach(add);
		if (ctx.me && ctx.me.user) add(ctx.me.user);
		if (card.history && !card.history.error) (card.history.people || []).forEach(add);
		return known;
	}

	function label(key) {
		if (Object.hasOwn(LABELS, key)) return tr(LABELS[key]);
		return CONTACT_KEYS.includes(key) ? tr(`card.field.${key}`) : key;
	}

	function memberName(id) {
		return knownMembers().get(String(id)) || `#${id}`;
	}

	function value(key, raw) {
		if (raw === null || raw === undefined || raw === '' || (Array.isArray(raw) && !raw.length)) return tr('card.empty');
		if (MEMBER_KEYS.has(key) && Array.isArray(raw)) return raw.map((id) => memberName(id)).join(tr('card.listSeparator'));
		if (key === 'addedBy') return memberName(raw);
		if (key === 'source') return tr(`source.${raw}`);
		if (key === 'status' && ['pending', 'approved', 'rejected'].includes(raw)) return tr(`account.applicationStatus.${raw}`);
		if (key === 'applicationId') return `#${raw}`;
		if (TIME_KEYS.has(key)) return ui.time(raw);
		if (Array.isArray(raw)) return raw.join(', ');
		if (typeof raw === 'object') return JSON.stringify(raw);
		return String(raw);
	}

	function changes(before, after) {
		const keys = [...new Set([...Object.keys(before || {}), ...Object.keys(after || {})])].filter((key) => !HISTORY_SKIP.has(key));
		return keys.filter((key) => JSON.stringify((before || {})[key] ?? null) !== JSON.stringify((after || {})[key] ?? null));
	}

	function historyEntry(entry) {
		const action = String(entry.action || '');
		const changed = changes(entry.before, entry.after);
		const actor = entry.actor && entry.actor.displayName ? entry.actor.displayName : tr('history.unknownActor');
		return h('li', { class: 'ec-history-entry', dataset: { action } },
			h('p', { class: 'ec-history-head' },
				h('span', { class: 'ec-history-actor' }, actor),
				h('span', { class: 'ec-history-action' }, historyActionText(tr, action)),
				h('time', { class: 'ec-history-time', datetime: typeof entry.at === 'number' ? new Date(entry.at).toISOString() : null }, ui.time(entry.at)),
				entry.remoteAddr ? h('span', { class: 'ec-history-from' }, tr('history.from', { address: entry.remoteAddr })) : null),
			changed.length ? historyTable(entry, changed) : null);
	}

	// A change shows before and after; a creation only what was recorded, a removal only what was there.
	function historyTable(entry, changed) {
		const hasBefore = Boolean(entry.before);
		const hasAfter = Boolean(entry.after);
		const cell = (which, key) => {
			const raw = entry[which] ? entry[which][key] : null;
			const empty = raw === null || raw === undefined || raw === '' || (Array.isArray(raw) && !raw.length);
			return h('td', { class: `ec-history-${which}${empty ? ' ec-muted' : ''}` }, value(key, raw));
		};
		return h('table', { class: 'ec-history-table' },
			h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, tr('conflict.field')),
				hasBefore ? h('th', { scope: 'col' }, tr(hasAfter ? 'history.before' : 'history.removed')) : null,
				hasAfter ? h('th', { scope: 'col' }, tr(hasBefore ? 'history.after' : 'history.recorded')) : null)),
			h('tbody', {}, changed.map((key) => h('tr', { dataset: { field: key } },
				h('th', { scope: 'row' }, label(key)),
				hasBefore ? cell('before', key) : null,
				hasAfter ? cell('after', key) : null))));
	}

	function render() {
		const data = ui.tabData('history');
		if (!data) return;
		const panel = panels.history;
		const items = data.items || [];
		ui.appendTo(panel,
			h('h3', { id: 'ec-history-title', class: 'ec-panel-title' }, tr('history.title')),
			items.length
				? h('ol', { id: 'ec-history', class: 'ec-history', 'aria-labelledby': 'ec-history-title' }, items.map(historyEntry))
				: h('p', { class: 'ec-muted' }, tr('history.empty')),
			historyError,
			data.nextCursor ? h('div', { class: 'ec-more-wrap' }, historyMore) : null);
	}

	/** Asks the first page again after a write (when the tab is shown and loaded). */
	async function refresh() {
		if (!card.history || card.history.error || !card.contact) return;
		const token = card.token;
		try {
			const page = await request(ctx, 'GET', contactPath(card.contact.id, `/history?limit=${HISTORY_PAGE}`));
			if (ui.isDestroyed() || token !== card.token) return;
			card.history = page;
			render();
		} catch (error) {
			if (!ui.isDestroyed() && token === card.token && error.status !== 401) historyError.textContent = errorText(error);
		}
	}

	historyMore.addEventListener('click', async () => {
		const data = card.history;
		if (!data || !data.nextCursor || card.busy) return;
		const token = card.token;
		card.busy = true;
		historyMore.disabled = true;
		historyMore.textContent = tr('list.moreLoading');
		historyError.textContent = '';
		try {
			const params = new URLSearchParams({ limit: String(HISTORY_PAGE), cursor: data.nextCursor });
			const page = await request(ctx, 'GET', contactPath(card.contact.id, `/history?${params}`));
			if (ui.isDestroyed() || token !== card.token) return;
			const count = (data.items || []).length;
			card.history = {
				items: [...(data.items || []), ...(page.items || [])],
				nextCursor: page.nextCursor || null,
				people: [...(data.people || []), ...(page.people || [])],
			};
			render();
			const first = panels.history.querySelectorAll('.ec-history-entry')[count];
			if (first) {
				first.tabIndex = -1;
				first.focus();
			} else panels.history.focus();
		} catch (error) {
			if (!ui.isDestroyed() && error.status !== 401) historyError.textContent = errorText(error);
		} finally {
			card.busy = false;
			historyMore.disabled = false;
			historyMore.textContent = tr('list.more');
		}
	});

	return { render, refresh };
}
