// The plugin's requests: the routes' prefix (BASE) and one fetch wrapper every module
// uses. It sends what the shell's ctx.api sends (JSON, Accept-Language, X-CSRF-Token
// with unsafe methods) and throws the same fields (status, code, field, message,
// retryAfter; status 0 / code 'network' when the server cannot be reached), and also
// keeps the parsed answer of a refusal as `.body`: a 409 `duplicate` names the matching
// contacts, a 409 `conflict` carries the contact as it is now, `already_decided` who
// decided. A 401 is handed to the shell through ctx.api, which then shows the login page.

export const BASE = '/api/plugins/external-contacts';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// The code of a failure that had no JSON error (as ctx.api assumes them).
const STATUS_CODES = {
	400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
	409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'validation_failed',
	429: 'too_many_requests', 503: 'unavailable',
};

/** `${BASE}/contacts/{id}` + suffix ('/history?limit=1', …). */
export function contactPath(id, suffix = '') {
	return `${BASE}/contacts/${encodeURIComponent(id)}${suffix}`;
}

/** An Error with the fields of a refusal (status, code, field, message, retryAfter, body). */
export function failure(fields) {
	const error = new Error(fields.message || fields.code);
	Object.assign(error, { field: null, retryAfter: null, body: null }, fields);
	return error;
}

/** A 401: the shell learns it through ctx.api (which then shows the login page). */
export function sessionEnded(ctx) {
	ctx.api('GET', '/api/me').catch(() => {});
}

/** The failure of a non-2xx response whose JSON answer (or null) is data; a 401 goes to the shell. */
export function refusal(ctx, response, data) {
	const info = data && data.error && typeof data.error === 'object' ? data.error : {};
	const retry = Number.parseInt(response.headers.get('Retry-After') || '', 10);
	const code = typeof info.code === 'string' && info.code ? info.code
		: STATUS_CODES[response.status] || (response.status >= 500 ? 'internal' : 'bad_request');
	if (response.status === 401) sessionEnded(ctx);
	return failure({
		status: response.status,
		code,
		field: typeof info.field === 'string' && info.field ? info.field : null,
		message: typeof info.message === 'string' ? info.message : '',
		retryAfter: Number.isFinite(retry) ? retry : null,
		body: data,
	});
}

/**
 * request(ctx, method, path, body?, {signal}?) → the parsed JSON answer (null for 204).
 * JSON is sent when body is not undefined; an abort rejects with the AbortError.
 */
export async function request(ctx, method, path, body, options = {}) {
	const verb = String(method || 'GET').toUpperCase();
	const headers = { Accept: 'application/json', 'Accept-Language': ctx.locale || 'zh-CN' };
	const init = { method: verb, headers, credentials: 'same-origin', cache: 'no-store' };
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		init.body = JSON.stringify(body);
	}
	if (UNSAFE.has(verb) && ctx.me && ctx.me.csrfToken) headers['X-CSRF-Token'] = ctx.me.csrfToken;
	if (options.signal) init.signal = options.signal;
	let response;
	try {
		response = await fetch(path, init);
	} catch (cause) {
		if (cause && cause.name === 'AbortError') throw cause;
		throw failure({ status: 0, code: 'network' });
	}
	let data = null;
	if (response.status !== 204 && (response.headers.get('Content-Type') || '').includes('json')) {
		try {
			data = await response.json();
		} catch {
			data = null;
		}
	}
	if (response.ok) return data;
	throw refusal(ctx, response, data);
}
