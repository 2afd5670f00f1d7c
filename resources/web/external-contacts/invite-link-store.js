// Token and URL of the invitation links this browser session made (邀请微信好友,
// SPEC R4.1): the server shows a link's token only when the link is made, so the
// browser keeps them in sessionStorage (never localStorage), keyed by invitation id.

/** Token and URL of the links this browser session made, per invitation id (sessionStorage). */
export function linkStore(userId) {
	const key = `ec.invitations.${userId === undefined || userId === null ? 'me' : userId}`;
	function read() {
		try {
			const value = JSON.parse(sessionStorage.getItem(key) || '{}');
			return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
		} catch {
			return {};
		}
	}
	function write(map) {
		try {
			if (Object.keys(map).length) sessionStorage.setItem(key, JSON.stringify(map));
			else sessionStorage.removeItem(key);
		} catch {
			// Storage refused (private mode, quota): the link stays shown until the page goes.
		}
	}
	return {
		get(id) {
			const entry = read()[String(id)];
			return entry && typeof entry.token === 'string' && typeof entry.url === 'string' ? entry : null;
		},
		put(id, token, url) {
			const map = read();
			map[String(id)] = { token, url };
			write(map);
		},
		remove(id) {
			const map = read();
			if (!(String(id) in map)) return;
			delete map[String(id)];
			write(map);
		},
	};
}
