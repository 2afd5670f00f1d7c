// The QR code of the invitation link on show in 邀请微信好友 (SPEC R4.1). The image
// is fetched with the link's token in the X-Invite-Token header (the token is never
// put in a URL) and shown as a data: URL: the shell's CSP allows img-src 'self'
// data:, not blob:. Route: GET /invitations/{id}/qr.png (docs/API.md).
import { h, clear } from './dom.js';
import { BASE, sessionEnded } from './api.js';

const QR_SIZE = 8;

function dataUrlOf(blob) {
	return new Promise((resolve, reject) => {
		const reader = new FileReader();
		reader.onload = () => resolve(reader.result);
		reader.onerror = () => reject(reader.error);
		reader.readAsDataURL(blob);
	});
}

/**
 * createInviteQr({ ctx, tr, since, onGone }) answers { figure, load(current), reset() }.
 * since() answers a check that is true once an answer came too late (the dialog
 * closed or went); onGone(current) runs when the server says the link is gone
 * (410/404). load() shows a spinner, then the image or an error with 重试; a later
 * load() or reset() makes an earlier answer stale.
 */
export function createInviteQr({ ctx, tr, since, onGone }) {
	let token = 0;
	const image = h('img', { id: 'ec-invite-qr', class: 'ec-invite-qr-image', alt: tr('invite.qrAlt'), width: '200', height: '200', hidden: true });
	const status = h('div', { id: 'ec-invite-qr-status', class: 'ec-invite-qr-status' });
	const figure = h('figure', { class: 'ec-invite-qr' }, image, status);

	function reset() {
		token += 1;
		image.hidden = true;
		image.removeAttribute('src');
		clear(status);
	}

	function failed(current) {
		clear(status);
		status.append(h('p', { class: 'ec-form-error', role: 'alert' }, tr('invite.qrError')),
			h('button', { type: 'button', id: 'ec-invite-qr-retry', class: 'ec-button ec-button-small', onClick: () => load(current) }, tr('invite.retry')));
	}

	async function load(current) {
		if (!current) return;
		reset();
		const mine = token;
		const late = since();
		status.append(h('p', { class: 'ec-loading' }, h('span', { class: 'ec-spinner', 'aria-hidden': 'true' }), tr('invite.qrLoading')));
		const stale = () => late() || mine !== token;
		let response;
		try {
			response = await fetch(`${BASE}/invitations/${encodeURIComponent(current.invitation.id)}/qr.png?size=${QR_SIZE}`, {
				headers: { 'X-Invite-Token': current.token, Accept: 'image/png' }, credentials: 'same-origin',
			});
		} catch {
			if (!stale()) failed(current);
			return;
		}
		if (stale()) return;
		if (response.status === 410 || response.status === 404) {
			onGone(current);
			return;
		}
		if (response.status === 401) {
			sessionEnded(ctx);
			return;
		}
		if (!response.ok) {
			failed(current);
			return;
		}
		let dataUrl;
		try {
			dataUrl = await dataUrlOf(await response.blob());
		} catch {
			if (!stale()) failed(current);
			return;
		}
		if (stale()) return;
		image.src = dataUrl;
		image.hidden = false;
		clear(status);
	}

	return { figure, load, reset };
}
