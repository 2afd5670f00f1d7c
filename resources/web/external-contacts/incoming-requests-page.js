// 外部联系人申请 (SPEC R5.3, issue 13): the requests members of other organizations
// sent to the caller, as a page and not only in the bell. Each shows who asks
// (name and org), what accepting means, when it was sent and until when it can be
// answered; 接受 / 拒绝 ask first, then the row shows its new state. Pending
// requests come first (待处理, with its own empty line once all are answered), the
// answered ones below (已处理); newest first, 加载更多 for the next page.
// Mounted by the shell at #/p/incoming-requests (main.nav, open to external users:
// the person asked may be anyone). Routes: GET /org-requests?box=incoming,
// POST /org-requests/{id}/accept|decline (docs/API.md).
import { h, clear, loadStylesheet } from './dom.js';
import { formatMinute } from './format.js';
import { createConfirm, pagedList, showPaging, rateLimitText } from './modal.js';
import { request as apiRequest, BASE } from './api.js';
import { pageModule } from './page-module.js';

const PAGE_SIZE = 20;
const STATES = ['pending', 'accepted', 'declined', 'cancelled', 'expired'];

export const { mount, unmount } = pageModule(createPage);

function createPage(root, ctx, { tr }) {
	let destroyed = false;
	const state = { items: [], nextCursor: null, listLoading: false, listError: null, busy: false };

	const title = h('h1', { id: 'ir-title', tabindex: '-1' }, tr('inreq.title'));
	const notice = h('p', { id: 'ir-notice', class: 'ec-notice', role: 'status', 'aria-live': 'polite' });
	const alert = h('p', { id: 'ir-alert', class: 'ec-form-error', role: 'alert' });
	const pendingTitle = h('h2', { id: 'ir-pending-title', class: 'ec-panel-title', tabindex: '-1' }, tr('inreq.pending'));
	const pendingList = h('ul', { id: 'ir-pending', class: 'ec-org-outgoing ir-list', 'aria-labelledby': 'ir-pending-title' });
	const pendingNone = h('p', { id: 'ir-pending-none', class: 'ec-muted', hidden: true }, tr('inreq.nonePending'));
	const doneTitle = h('h2', { id: 'ir-done-title', class: 'ec-panel-title' }, tr('inreq.done'));
	const doneList = h('ul', { id: 'ir-done', class: 'ec-org-outgoing ir-list', 'aria-labelledby': 'ir-done-title' });
	const doneSection = h('section', { id: 'ir-done-section', 'aria-labelledby': 'ir-done-title', hidden: true }, doneTitle, doneList);
	const pendingSection = h('section', { id: 'ir-pending-section', 'aria-labelledby': 'ir-pending-title', hidden: true },
		pendingTitle, pendingNone, pendingList);
	const stateBox = h('div', { id: 'ir-state', class: 'ir-state' });
	const moreButton = h('button', { type: 'button', id: 'ir-more', class: 'ec-button', hidden: true, onClick: () => loadList({ append: true }) },
		tr('inreq.more'));

	// The confirmation is the page's own (no dialog around it).
	const host = h('div', { class: 'ir-dialogs' });
	const pageParent = { dialog: { open: true }, adopt() {} };
	const confirm = createConfirm({
		host, prefix: 'ir', title: '', ok: '', cancel: tr('inreq.keep'),
		onOk: () => runAnswer(), isBusy: () => state.busy, parent: pageParent,
	});

	const whoOf = (request) => {
		const requester = request.requester || {};
		return { name: requester.displayName || tr('inreq.unknownName', { id: request.requesterId }), org: requester.orgName || '' };
	};

	function failureText(error) {
		if (!error) return tr('error.generic');
		if (error.status === 0 || error.code === 'network') return tr('inreq.network');
		if (error.status === 429) return rateLimitText(tr, 'orgreq', error);
		return ctx.errorText(error);
	}

	function say(text, { error = false } = {}) {
		notice.textContent = error ? '' : text || '';
		alert.textContent = error ? text || '' : '';
	}

	function stateTag(request) {
		const known = STATES.includes(request.status);
		return h('span', { class: `ec-status-tag ec-org-state ec-org-state-${known ? request.status : 'unknown'}`, dataset: { status: request.status } },
			known ? tr(`orgreq.state.${request.status}`) : String(request.status || ''));
	}

	function renderRequest(request) {
		const { name, org } = whoOf(request);
		const pending = request.status === 'pending';
		const decided = typeof request.decidedAt === 'number' ? formatMinute(request.decidedAt) : '';
		return h('li', { id: `ir-request-${request.id}`, class: 'ec-org-request ir-request', dataset: { id: String(request.id), status: request.status } },
			h('div', { class: 'ec-org-request-who' },
				h('span', { class: 'ec-org-request-name ir-name', tabindex: '-1' }, name),
				h('span', { class: 'ec-org-request-org ir-org' }, org)),
			stateTag(request),
			pending
				? h('div', { class: 'ir-actions' },
					h('button', {
						type: 'button', class: 'ec-button ec-button-small ec-button-primary ir-accept', 'aria-haspopup': 'dialog',
						'aria-label': tr('inreq.acceptLabel', { name }), disabled: state.busy,
						onClick: (event) => ask(request, 'accept', event.currentTarget),
					}, tr('inreq.accept')),
					' ',
					h('button', {
						type: 'button', class: 'ec-button ec-button-small ec-button-danger ir-decline', 'aria-haspopup': 'dialog',
						'aria-label': tr('inreq.declineLabel', { name }), disabled: state.busy,
						onClick: (event) => ask(request, 'decline', event.currentTarget),
					}, tr('inreq.decline')))
				: h('span', { class: 'ec-org-request-none' }),
			h('p', { class: 'ec-org-request-meta ir-message' }, tr('inreq.message', { name, org })),
			h('p', { class: 'ec-org-request-meta' },
				h('span', { class: 'ir-sent' }, tr('orgreq.sentAt', { time: formatMinute(request.createdAt) })),
				pending && typeof request.expiresAt === 'number'
					? h('span', { class: 'ir-expires' }, tr('orgreq.expiresAt', { time: formatMinute(request.expiresAt) })) : null,
				decided && !pending ? h('span', { class: 'ir-decided' }, tr('orgreq.decidedAt', { time: decided })) : null));
	}

	function renderList() {
		clear(pendingList);
		clear(doneList);
		clear(stateBox);
		const pending = state.items.filter((request) => request.status === 'pending');
		const done = state.items.filter((request) => request.status !== 'pending');
		for (const request of pending) pendingList.append(renderRequest(request));
		for (const request of done) doneList.append(renderRequest(request));
		const any = state.items.length > 0;
		pendingSection.hidden = !any;
		pendingNone.hidden = pending.length > 0;
		doneSection.hidden = done.length === 0;
		if (state.listLoading && !any) {
			stateBox.append(h('p', { class: 'ec-loading' }, h('span', { class: 'ec-spinner', 'aria-hidden': 'true' }), tr('inreq.loading')));
		} else if (state.listError) {
			stateBox.append(h('div', { class: 'ec-error', role: 'alert' },
				h('p', { id: 'ir-load-error' }, tr('inreq.loadError', { message: failureText(state.listError) })),
				h('button', { type: 'button', id: 'ir-retry', class: 'ec-button ec-button-small', onClick: () => loadList({ append: any }) }, tr('inreq.retry'))));
		} else if (!state.listLoading && !any) {
			stateBox.append(h('div', { id: 'ir-empty', class: 'ec-empty ec-empty-small' },
				h('p', { class: 'ec-empty-title' }, tr('inreq.emptyTitle')),
				h('p', { class: 'ec-empty-hint' }, tr('inreq.emptyHint'))));
		}
		showPaging(state, pendingList, moreButton);
	}

	const loadList = pagedList({
		state, query: { box: 'incoming' }, pageSize: PAGE_SIZE, render: () => renderList(),
		fetchPage: (params) => apiRequest(ctx, 'GET', `${BASE}/org-requests?${params}`),
		since: () => () => destroyed,
	});

	// ---- 接受 / 拒绝 ------------------------------------------------------------------------
	const okText = (action) => tr(action === 'accept' ? 'inreq.accept' : 'inreq.decline');

	function ask(request, action, opener) {
		const { name, org } = whoOf(request);
		say('');
		// 接受 is the primary step, 拒绝 the danger one.
		confirm.ok.classList.toggle('ec-button-primary', action === 'accept');
		confirm.ok.classList.toggle('ec-button-danger', action !== 'accept');
		confirm.ask({ request, action, opener }, {
			title: tr(action === 'accept' ? 'inreq.acceptTitle' : 'inreq.declineTitle'),
			text: tr(action === 'accept' ? 'inreq.acceptText' : 'inreq.declineText', { name, org }),
			ok: okText(action),
		});
	}

	function setBusy(busy, action) {
		state.busy = busy;
		confirm.ok.disabled = busy;
		confirm.cancel.disabled = busy;
		confirm.ok.textContent = busy ? tr('inreq.working') : okText(action);
		for (const button of root.querySelectorAll('.ir-actions button')) button.disabled = busy;
	}

	function focusRequest(id) {
		const row = document.getElementById(`ir-request-${id}`);
		const target = row && row.querySelector('.ir-name');
		if (target) target.focus();
		else title.focus();
	}

	function replace(answer) {
		if (!answer || answer.id === undefined) return;
		state.items = state.items.map((item) => (String(item.id) === String(answer.id) ? { ...item, ...answer, requester: item.requester } : item));
	}

	async function runAnswer() {
		const pending = confirm.pending;
		if (!pending || state.busy) return;
		const { request, action } = pending;
		const { name } = whoOf(request);
		confirm.error.textContent = '';
		setBusy(true, action);
		let answer = null;
		let failure = null;
		try {
			answer = await apiRequest(ctx, 'POST', `${BASE}/org-requests/${encodeURIComponent(request.id)}/${action}`, {});
		} catch (error) {
			failure = error;
		} finally {
			if (!destroyed) setBusy(false, action);
		}
		if (destroyed) return;
		if (failure) {
			if (failure.status === 401) {
				confirm.close({ focus: false });
				return;
			}
			// Nothing happened: the confirmation stays, to try again.
			if (confirm.stays(failure, failureText(failure))) return;
			confirm.close({ focus: false });
			const status = failure.body && typeof failure.body === 'object' ? failure.body.status : null;
			if (failure.code === 'request_settled' && STATES.includes(status)) {
				replace({ id: request.id, status });
				renderList();
				say(tr('inreq.settled', { state: tr(`orgreq.state.${status}`) }), { error: true });
			} else {
				say(failure.status === 404 ? tr('inreq.notFound') : failureText(failure), { error: true });
				await loadList();
				if (destroyed) return;
			}
			focusRequest(request.id);
			return;
		}
		confirm.close({ focus: false });
		replace(answer);
		renderList();
		say(tr(action === 'accept' ? 'inreq.accepted' : 'inreq.declined', { name, org: whoOf(request).org }));
		focusRequest(request.id);
	}

	const section = h('section', { class: 'ec-page ir-page', 'aria-labelledby': 'ir-title' },
		title,
		h('p', { class: 'ec-hint ir-intro' }, tr('inreq.intro')),
		notice,
		alert,
		h('div', { class: 'gm-card ir-card' }, pendingSection, doneSection, stateBox, h('div', { class: 'ec-more-wrap' }, moreButton)),
		host);

	return {
		async start() {
			await loadStylesheet();
			if (destroyed) return;
			root.replaceChildren(section);
			await loadList();
		},
		destroy() {
			if (destroyed) return;
			destroyed = true;
			confirm.dismiss();
			section.remove();
		},
	};
}
