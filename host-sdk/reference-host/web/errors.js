// Localized texts for API failures. The server's error `message` is English
// by design (docs/API.md); the UI shows its own text per `code` and `field`
// and never the server's message. No DOM use here: tests import it in Node.

/** Every error code of docs/API.md; each has `error.code.<code>` in the catalogs. */
export const ERROR_CODES = Object.freeze([
	'bad_request', 'invalid_json', 'validation_failed', 'unknown_field', 'unauthenticated', 'invalid_credentials',
	'csrf_failed', 'forbidden', 'not_found', 'method_not_allowed', 'conflict', 'too_many_requests',
	'payload_too_large', 'request_timeout', 'unsupported_media_type', 'unavailable', 'internal',
]);

const KNOWN = new Set(ERROR_CODES);

/** Fields of the host's own routes with a field-specific text (validation_failed). */
export const SHELL_FIELD_KEYS = Object.freeze({
	defaultSecurityLevel: 'error.field.defaultSecurityLevel',
});

const own = (object, key) => Boolean(object) && Object.prototype.hasOwnProperty.call(object, key);

/**
 * errorText(t, error, { fields }) → the text to show for a failed call.
 * error: an ApiError ({status, code, field, retryAfter}) or anything thrown.
 * fields: optional { <field>: text | (error) => text } with the caller's own
 * texts for validation_failed naming that field (e.g. a form's inputs).
 * Status 0 or code 'network' is the network text; too_many_requests names the
 * Retry-After seconds when known; unknown codes get the generic text.
 */
export function errorText(t, error, { fields } = {}) {
	if (!error || typeof error !== 'object') return t('error.generic');
	if (error.status === 0 || error.code === 'network') return t('error.network');
	const code = typeof error.code === 'string' ? error.code : '';
	const field = typeof error.field === 'string' && error.field ? error.field : null;
	if (code === 'validation_failed' && field) {
		if (own(fields, field)) {
			const text = typeof fields[field] === 'function' ? fields[field](error) : fields[field];
			if (typeof text === 'string' && text) return text;
		}
		if (own(SHELL_FIELD_KEYS, field)) return t(SHELL_FIELD_KEYS[field]);
	}
	if (code === 'too_many_requests' && Number.isInteger(error.retryAfter) && error.retryAfter > 0) {
		return t('error.code.too_many_requests.seconds', { seconds: error.retryAfter });
	}
	if (KNOWN.has(code)) return t(`error.code.${code}`);
	return t('error.generic');
}

/** The code to assume when an answer carried no JSON error body. */
export function codeForStatus(status) {
	return {
		400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
		408: 'request_timeout', 409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'validation_failed',
		429: 'too_many_requests', 503: 'unavailable',
	}[status] || (status >= 500 ? 'internal' : 'unknown');
}
