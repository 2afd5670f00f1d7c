// Edit rights (R8) as the cards learn them. ctx.me settles them for the adder, admins
// and maintain-holders (canEdit). Group maintainers it cannot tell: the history route
// answers exactly those who may edit the contact (R8, the large card's rule too), so
// its answer decides, remembered per contact until the list reloads (forget).
import { request, contactPath } from './api.js';

/** canEdit(contact): what ctx.me tells; isDestroyed(): the page went. */
export function createEditRights({ ctx, canEdit, isDestroyed }) {
	const known = new Map();
	const pending = new Map();

	return {
		/** true / false when known, null when the server must be asked. */
		known(contact) {
			if (canEdit(contact)) return true;
			const key = String(contact.id);
			return known.has(key) ? known.get(key) : null;
		},

		/** Asks the server once at a time per contact; resolves to true only when it may edit. */
		ask(contact) {
			const key = String(contact.id);
			if (pending.has(key)) return pending.get(key);
			const asked = request(ctx, 'GET', contactPath(contact.id, '/history?limit=1'))
				.then(() => true, (error) => {
					if (error.status === 403 || error.status === 404) return false;
					return null; // unknown (network, 5xx): offer nothing, ask again next time
				})
				.then((allowed) => {
					if (pending.get(key) === asked) pending.delete(key);
					if (allowed !== null && !isDestroyed()) known.set(key, allowed);
					return allowed === true;
				});
			pending.set(key, asked);
			return asked;
		},

		/**
		 * The large card's answer: contact and its history answer (null: refused, {error}:
		 * failed) → whether the card offers editing; remembered unless the history failed.
		 */
		settle(contact, history) {
			const editable = history === null ? false : history.error ? canEdit(contact) : true;
			if (!history || !history.error) known.set(String(contact.id), editable);
			return editable;
		},

		forget() {
			known.clear();
		},
	};
}
