// The fetch wrapper handed to every page as ctx.api.
import { codeForStatus, errorText } from './errors.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** An HTTP or network failure with the fields of the JSON error body. */
export class ApiError extends Error {
	constructor({ status, code, message, field = null, retryAfter = null, attemptsLeft = null }) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
		this.field = field;
		this.retryAfter = retryAfter;
		this.attemptsLeft = attemptsLeft; // code_invalid of a verification code
	}
}

/**
 * createApi({ getLocale, getCsrf, t, onUnauthenticated }) returns
 * api(method, path, body?, options?) → parsed JSON (null for 204).
 * JSON is sent when body is not undefined; X-CSRF-Token goes with unsafe
 * methods; Accept-Language carries the UI language. Failures throw ApiError:
 * status 0 / code 'network' when the server cannot be reached. .message is
 * the server's (English) message, for logs; show errorText() (errors.js) to
 * people. A 401 calls onUnauthenticated unless options.allowUnauthenticated
 * is set.
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
		const code = typeof info.code === 'string' && info.code ? info.code : codeForStatus(response.status);
		const error = new ApiError({
			status: response.status,
			code,
			message: typeof info.message === 'string' && info.message ? info.message : errorText(t, { status: response.status, code }),
			field: typeof info.field === 'string' && info.field ? info.field : null,
			retryAfter: Number.isFinite(retry) ? retry : null,
			attemptsLeft: Number.isInteger(info.attemptsLeft) ? info.attemptsLeft : null,
		});
		if (response.status === 401 && !options.allowUnauthenticated && onUnauthenticated) onUnauthenticated(error);
		throw error;
	};
}
