// The fetch wrapper handed to every page as ctx.api.

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** An HTTP or network failure with the fields of the JSON error body. */
export class ApiError extends Error {
	constructor({ status, code, message, field = null, retryAfter = null }) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
		this.field = field;
		this.retryAfter = retryAfter;
	}
}

/**
 * createApi({ getLocale, getCsrf, t, onUnauthenticated }) returns
 * api(method, path, body?, options?) → parsed JSON (null for 204).
 * JSON is sent when body is not undefined; X-CSRF-Token goes with unsafe
 * methods; Accept-Language carries the UI language. Failures throw ApiError:
 * status 0 / code 'network' when the server cannot be reached. A 401 calls
 * onUnauthenticated unless options.allowUnauthenticated is set.
 */
export function createApi({ getLocale, getCsrf, t, onUnauthenticated }) {
	return async function api(method, path, body, options = {}) {
		const verb = String(method || 'GET').toUpperCase();
		const headers = { Accept: 'application/json', 'Accept-Language': getLocale() };
		const init = { method: verb, headers, credentials: 'same-origin', cache: 'no-store' };
		if (body !== undefined) {
			headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		if (UNSAFE.has(verb)) {
			const token = getCsrf();
			if (token) headers['X-CSRF-Token'] = token;
		}
		if (options.signal) init.signal = options.signal;

		let response;
		try {
			response = await fetch(path, init);
		} catch (cause) {
			if (cause && cause.name === 'AbortError') throw cause;
			throw new ApiError({ status: 0, code: 'network', message: t('error.network') });
		}

		let data = null;
		const type = response.headers.get('Content-Type') || '';
		if (response.status !== 204 && type.includes('json')) {
			try {
				data = await response.json();
			} catch {
				data = null;
			}
		}
		if (response.ok) return data;

		const info = data && typeof data.error === 'object' && data.error ? data.error : {};
		const retry = Number.parseInt(response.headers.get('Retry-After') || '', 10);
		const error = new ApiError({
			status: response.status,
			code: typeof info.code === 'string' ? info.code : statusCode(response.status),
			message: typeof info.message === 'string' && info.message ? info.message : statusMessage(response.status, t),
			field: typeof info.field === 'string' ? info.field : null,
			retryAfter: Number.isFinite(retry) ? retry : null,
		});
		if (response.status === 401 && !options.allowUnauthenticated && onUnauthenticated) onUnauthenticated(error);
		throw error;
	};
}

function statusCode(status) {
	return {
		400: 'validation_failed', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 409: 'conflict',
		413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'too_many_requests', 503: 'unavailable',
	}[status] || 'internal';
}

/** A localized message for a status whose answer had no usable JSON error. */
export function statusMessage(status, t) {
	if (status === 0) return t('error.network');
	if (status === 401) return t('error.unauthenticated');
	if (status === 403) return t('error.forbidden');
	if (status === 404) return t('error.notFound');
	if (status === 409) return t('error.conflict');
	if (status === 413) return t('error.tooLarge');
	if (status === 429) return t('error.tooMany');
	if (status >= 500) return t('error.server');
	return t('error.generic');
}
