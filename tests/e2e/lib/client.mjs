// A small cookie-keeping HTTP client for the HTTP e2e tests.
//
//   const c = new Client(host.baseUrl);
//   await c.login('zhangwei', 'Demo-Member-2026!');       // throws unless 200
//   const r = await c.post('/api/plugins/external-contacts/contacts', { name: '刘洋' });
//   assert.equal(r.status, 201); r.json.id ...
//
// Every call resolves to { status, headers, json, text, ok } and never throws
// for an HTTP status; unsafe methods carry X-CSRF-Token once logged in.

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class Client {
	/**
	 * @param {string} baseUrl  e.g. host.baseUrl
	 * @param {{lang?: string}} options  lang → Accept-Language (default zh-CN)
	 */
	constructor(baseUrl, { lang = 'zh-CN' } = {}) {
		this.baseUrl = baseUrl.replace(/\/$/, '');
		this.lang = lang;
		this.cookies = new Map();
		this.csrfToken = null;
		this.me = null;
	}

	/** POST /api/session; keeps the cookie and the CSRF token; returns Me. */
	async login(login, password) {
		const response = await this.request('POST', '/api/session', { login, password });
		if (response.status !== 200) {
			throw new Error(`login ${login} failed: ${response.status} ${response.text}`);
		}
		this.me = response.json;
		this.csrfToken = response.json && response.json.csrfToken ? response.json.csrfToken : null;
		return response.json;
	}

	/** DELETE /api/session and forget the cookies. */
	async logout() {
		const response = await this.request('DELETE', '/api/session');
		this.cookies.clear();
		this.csrfToken = null;
		this.me = null;
		return response;
	}

	get(path, options) {
		return this.request('GET', path, undefined, options);
	}

	post(path, body, options) {
		return this.request('POST', path, body, options);
	}

	put(path, body, options) {
		return this.request('PUT', path, body, options);
	}

	patch(path, body, options) {
		return this.request('PATCH', path, body, options);
	}

	del(path, options) {
		return this.request('DELETE', path, undefined, options);
	}

	/** The Cookie header this client sends, e.g. to hand the session to a browser. */
	cookieHeader() {
		return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
	}

	/**
	 * request(method, path, body, options)
	 *   body     an object/array → JSON; with options.raw the string/Buffer is sent as is
	 *   options  { headers, raw: true, contentType, csrf: false | 'token', lang, redirect }
	 */
	async request(method, path, body, options = {}) {
		const verb = method.toUpperCase();
		const headers = { Accept: 'application/json', 'Accept-Language': options.lang || this.lang };
		const cookie = this.cookieHeader();
		if (cookie) headers.Cookie = cookie;
		let payload;
		if (body !== undefined) {
			if (options.raw) payload = body;
			else payload = JSON.stringify(body);
			headers['Content-Type'] = options.contentType || 'application/json';
		}
		if (UNSAFE.has(verb)) {
			const token = options.csrf === undefined ? this.csrfToken : options.csrf;
			if (token) headers['X-CSRF-Token'] = token;
		}
		Object.assign(headers, options.headers || {});
		const response = await fetch(this.baseUrl + path, {
			method: verb,
			headers,
			body: payload,
			redirect: options.redirect || 'manual',
		});
		this.keepCookies(response);
		const text = await response.text();
		let json = null;
		if (text && (response.headers.get('Content-Type') || '').includes('json')) {
			try {
				json = JSON.parse(text);
			} catch {
				json = null;
			}
		}
		return { status: response.status, ok: response.ok, headers: response.headers, json, text };
	}

	keepCookies(response) {
		const list = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [];
		for (const line of list) {
			const [pair, ...attributes] = line.split(';');
			const index = pair.indexOf('=');
			if (index <= 0) continue;
			const name = pair.slice(0, index).trim();
			const value = pair.slice(index + 1).trim();
			const expired = attributes.some((attribute) => {
				const [key, raw = ''] = attribute.split('=');
				const k = key.trim().toLowerCase();
				if (k === 'max-age') return Number(raw) <= 0;
				if (k === 'expires') return Date.parse(raw) <= Date.now();
				return false;
			});
			if (expired || value === '') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}
}

/** A new client logged in as `login`. */
export async function loggedIn(baseUrl, login, password, options) {
	const client = new Client(baseUrl, options);
	await client.login(login, password);
	return client;
}
