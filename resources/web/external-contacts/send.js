// Saves that need the body of a refusal. ctx.api keeps only code, field and
// message of an error; a 409 `duplicate` names the matching contacts and a 409
// `conflict` carries the contact as it is now, so these requests go through
// fetch with the same headers ctx.api sends. A 401 is handed to the shell
// through ctx.api, which then shows the login page as for any other call.

const STATUS_CODES = {
	400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
	409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'validation_failed',
	429: 'too_many_requests', 503: 'unavailable',
};

function failure(fields) {
	const error = new Error(fields.message || fields.code);
	Object.assign(error, { field: null, retryAfter: null, body: null }, fields);
	return error;
}

/** Like ctx.api(method, path, body) but a failure also carries `.body` (the parsed JSON answer). */
export async function sendJson(ctx, method, path, body) {
	const headers = {
		Accept: 'application/json',
		'Content-Type': 'application/json',
		'Accept-Language': ctx.locale || 'zh-CN',
	};
	if (ctx.me && ctx.me.csrfToken) headers['X-CSRF-Token'] = ctx.me.csrfToken;
	let response;
	try {
		response = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store', body: JSON.stringify(body) });
	} catch {
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
	const info = data && data.error && typeof data.error === 'object' ? data.error : {};
	const retry = Number.parseInt(response.headers.get('Retry-After') || '', 10);
	const code = typeof info.code === 'string' && info.code ? info.code
		: STATUS_CODES[response.status] || (response.status >= 500 ? 'internal' : 'bad_request');
	if (response.status === 401) ctx.api('GET', '/api/me').catch(() => {});
	throw failure({
		status: response.status,
		code,
		field: typeof info.field === 'string' && info.field ? info.field : null,
		message: typeof info.message === 'string' ? info.message : '',
		retryAfter: Number.isFinite(retry) ? retry : null,
		body: data,
	});
}
