// Edit rights (R8) as the cards learn them. ctx.me settles them for the adder, admins
// and maintain-holders (canEdit). Group maintainers it cannot tell: GET /contacts/{id}
// answers the caller's `permissions` ({edit, delete, share, history}), whose `edit`
// decides, remembered per contact until the list reloads (forget). The same answer
// carries the contact's WeChat, which the small card shows: one request serves both.
import { request, contactPath } from './api.js';

/** canEdit(contact): what ctx.me tells; isDestroyed(): the page went. */
export function createEditRights({ ctx, canEdit, isDestroyed }) {
	const known = new Map();
	const pending = new Map();

	/** GET /contacts/{id}, once at a time per contact: resolves to the contact or to {error}. */
	function read(contact) {
		const key = String(contact.id);
		if (pending.has(key)) return pending.get(key);
		const asked = request(ctx, 'GET', contactPath(contact.id)).then((full) => full, (error) => ({ error }));
		pending.set(key, asked);
		asked.then(() => {
			if (pending.get(key) === asked) pending.delete(key);
		});
		return asked;
	}

	/** What the server said may be done with contact (its answer to GET /contacts/{id}). */
	function remember(full) {
		const allowed = Boolean(full && full.permissions && full.permissions.edit);
		if (full && !isDestroyed()) known.set(String(full.id), allowed);
		return allowed;
	}

	return {
		read,

		/** true / false when known, null when the server must be asked. */
		known(contact) {
			if (canEdit(contact)) return true;
			const key = String(contact.id);
			return known.has(key) ? known.get(key) : null;
		},

		/** Asks the server; resolves to true only when it may edit. */
		ask(contact) {
			return read(contact).then((answer) => {
				if (!answer.error) return remember(answer);
				const { status } = answer.error;
				if (status === 403 || status === 404) {
					if (!isDestroyed()) known.set(String(contact.id), false);
				}
				return false; // unknown (network, 5xx): offer nothing, ask again next time
			});
		},

		/** The large card read contact: whether it offers editing (remembered). */
		settle(contact) {
			return remember(contact);
		},

		forget() {
			known.clear();
		},
	};
}
