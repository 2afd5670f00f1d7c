// The notification bell: unread count (polled every 30 s) and a panel with
// the notifications, their actions and "mark as read".
import { h, clear, formatTime } from './dom.js';
import { popover } from './popover.js';

const POLL_MS = 30000;

function bellIcon() {
	const ns = 'http://www.w3.org/2000/svg';
	const svg = document.createElementNS(ns, 'svg');
	svg.setAttribute('viewBox', '0 0 24 24');
	svg.setAttribute('width', '18');
	svg.setAttribute('height', '18');
	svg.setAttribute('aria-hidden', 'true');
	svg.setAttribute('focusable', 'false');
	svg.setAttribute('class', 'rh-bell-icon');
	const path = document.createElementNS(ns, 'path');
	path.setAttribute('d', 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z');
	path.setAttribute('fill', 'currentColor');
	svg.append(path);
	return svg;
}

export function createBell(shell) {
	const { t } = shell;
	let destroyed = false;
	let nextCursor = null;
	let loadToken = 0;

	const badge = h('span', { class: 'rh-badge', 'aria-hidden': 'true', hidden: true });
	const button = h('button', {
		type: 'button', id: 'rh-bell', class: 'rh-bell', 'aria-expanded': 'false', 'aria-controls': 'rh-notif-panel',
		'aria-label': t('notif.bell', { count: 0 }),
	}, bellIcon(), badge);
	const title = h('h2', { id: 'rh-notif-title', class: 'rh-notif-heading', tabindex: '-1' }, t('notif.title'));
	const status = h('div', { class: 'rh-notif-status', role: 'status', 'aria-live': 'polite' });
	const list = h('ul', { class: 'rh-notif-list', 'aria-labelledby': 'rh-notif-title' });
	const more = h('button', { type: 'button', class: 'rh-button rh-notif-more', hidden: true, onClick: () => load(true) }, t('action.loadMore'));
	const closeButton = h('button', { type: 'button', class: 'rh-icon-button', 'aria-label': t('action.close'), onClick: () => control.close({ focusButton: true }) }, '×');
	const panel = h('section', {
		id: 'rh-notif-panel', class: 'rh-popover rh-notif-panel', role: 'dialog', 'aria-labelledby': 'rh-notif-title', hidden: true,
	}, h('div', { class: 'rh-notif-head' }, title, closeButton), status, list, more);

	const control = popover(button, panel, {
		onOpen: () => {
			title.focus();
			load(false);
		},
	});

	function setCount(count) {
		const n = Number.isFinite(count) ? count : 0;
		badge.hidden = n === 0;
		badge.textContent = n > 99 ? '99+' : String(n);
		button.setAttribute('aria-label', t('notif.bell', { count: n }));
	}

	async function refreshCount() {
		if (destroyed) return;
		try {
			const data = await shell.api('GET', '/api/notifications/unread-count');
			if (!destroyed) setCount(Number(data && data.count));
		} catch {
			// The next poll tries again; a 401 already sent the person to login.
		}
	}

	async function load(append) {
		const token = ++loadToken;
		if (!append) {
			nextCursor = null;
			clear(list);
		}
		more.hidden = true;
		status.textContent = t('app.loading');
		const query = new URLSearchParams({ limit: '20' });
		if (append && nextCursor) query.set('cursor', nextCursor);
		try {
			const data = await shell.api('GET', `/api/notifications?${query}`);
			if (token !== loadToken || destroyed) return;
			const items = Array.isArray(data && data.items) ? data.items : [];
			for (const item of items) list.append(renderItem(item));
			nextCursor = data && data.nextCursor ? data.nextCursor : null;
			more.hidden = !nextCursor;
			if (typeof data.unread === 'number') setCount(data.unread);
			status.textContent = list.children.length ? '' : t('notif.empty');
			status.classList.toggle('rh-empty-text', !list.children.length);
		} catch (error) {
			if (token !== loadToken || destroyed) return;
			clear(status);
			status.append(h('span', { class: 'rh-error-text' }, shell.errorText(error)), ' ',
				h('button', { type: 'button', class: 'rh-link-button', onClick: () => load(append) }, t('action.retry')));
		}
	}

	function renderItem(item) {
		const state = item.state || 'unread';
		const feedback = h('p', { class: 'rh-notif-feedback', role: 'alert' });
		const buttons = [];
		const run = async (path, body, doneText) => {
			for (const b of buttons) b.disabled = true;
			feedback.textContent = '';
			try {
				await shell.api('POST', path, body);
				shell.toast(doneText);
				refreshCount();
				await load(false);
			} catch (error) {
				if (destroyed) return;
				feedback.textContent = shell.errorText(error);
				for (const b of buttons) b.disabled = false;
			}
		};
		const id = encodeURIComponent(item.id);
		if (state !== 'handled') {
			for (const action of item.actions || []) {
				buttons.push(h('button', {
					type: 'button', class: 'rh-button rh-button-small', dataset: { actionId: action.id },
					onClick: () => run(`/api/notifications/${id}/actions/${encodeURIComponent(action.id)}`, {}, t('notif.actionDone')),
				}, action.label));
			}
		}
		if (state === 'unread') {
			buttons.push(h('button', {
				type: 'button', class: 'rh-link-button rh-notif-read',
				onClick: () => run(`/api/notifications/${id}/read`, undefined, t('notif.markedRead')),
			}, t('notif.markRead')));
		}
		const stateLabel = state === 'unread' ? t('notif.unread') : state === 'handled' ? t('notif.handled') : t('notif.read');
		return h('li', { class: `rh-notif rh-notif-${state}`, dataset: { id: String(item.id) } },
			h('div', { class: 'rh-notif-top' },
				h('h3', { class: 'rh-notif-title' }, item.title || ''),
				h('span', { class: `rh-tag rh-tag-${state}` }, stateLabel)),
			item.body ? h('p', { class: 'rh-notif-body' }, item.body) : null,
			typeof item.outcome === 'string' && item.outcome ? h('p', { class: 'rh-notif-outcome' }, item.outcome) : null,
			h('time', { class: 'rh-notif-time', datetime: typeof item.createdAt === 'string' ? item.createdAt : null }, formatTime(item.createdAt, shell.locale)),
			buttons.length ? h('div', { class: 'rh-notif-actions' }, buttons) : null,
			feedback);
	}

	refreshCount();
	const timer = setInterval(() => {
		if (!document.hidden) refreshCount();
	}, POLL_MS);

	return {
		element: h('div', { class: 'rh-notif-wrap' }, button, panel),
		refresh: refreshCount,
		destroy() {
			destroyed = true;
			clearInterval(timer);
			control.destroy();
		},
	};
}
