// What the back-office logs with a period filter and 【导出 CSV】 share
// (account-applications-page.js, audit-log-page.js): local days as the
// server's millisecond bounds, and a CSV export fetched and saved as a file.
import { h } from './dom.js';

// The code of an export failure that had no JSON error (as ctx.api assumes them).
const STATUS_CODES = { 400: 'bad_request', 403: 'forbidden', 404: 'not_found', 429: 'too_many_requests', 503: 'unavailable' };
const REVOKE_AFTER_MS = 30000;

function failure(fields) {
	return Object.assign(new Error(fields.code), { field: null, retryAfter: null }, fields);
}

/** 'yyyy-mm-dd' → local midnight of that day (+ days) in ms, or null. */
export function localMidnight(value, days = 0) {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
	if (!match) return null;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(year, month - 1, day);
	if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
	date.setDate(date.getDate() + days);
	return date.getTime();
}

/** `<prefix>-yyyy-mm-dd.csv` for today (local). */
export function exportName(prefix) {
	const now = new Date();
	const pad = (n) => String(n).padStart(2, '0');
	return `${prefix}-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.csv`;
}

/**
 * Fetches a CSV export: { blob, truncated } (truncated: the X-Export-Truncated count
 * or null). A failure throws { status, code, field, retryAfter } as ctx.errorText reads
 * them (status 0, code 'network' when nothing came back); a 401 is handed to the shell
 * through ctx.api first, which then shows the login page.
 */
export async function fetchCsv(ctx, url, signal) {
	let response;
	try {
		response = await fetch(url, {
			method: 'GET', credentials: 'same-origin', cache: 'no-store', signal,
			headers: { Accept: 'text/csv, application/json', 'Accept-Language': ctx.locale || 'zh-CN' },
		});
	} catch {
		throw failure({ status: 0, code: 'network' });
	}
	if (!response.ok) {
		let info = {};
		try {
			const data = await response.json();
			if (data && data.error && typeof data.error === 'object') info = data.error;
		} catch {
			info = {};
		}
		if (response.status === 401) ctx.api('GET', '/api/me').catch(() => {});
		const retry = Number.parseInt(response.headers.get('Retry-After') || '', 10);
		throw failure({
			status: response.status,
			code: typeof info.code === 'string' && info.code ? info.code : STATUS_CODES[response.status] || (response.status >= 500 ? 'internal' : 'bad_request'),
			field: typeof info.field === 'string' && info.field ? info.field : null,
			retryAfter: Number.isFinite(retry) ? retry : null,
		});
	}
	let blob;
	try {
		blob = await response.blob();
	} catch {
		throw failure({ status: 0, code: 'network' });
	}
	return { blob, truncated: response.headers.get('X-Export-Truncated') };
}

/**
 * Hands blob to the browser as a download named fileName. The object URL is let go
 * a little later (the download has the blob by then); `keep` ({ urls, timers }: Sets
 * the page clears when it goes) lets the page let go of it sooner.
 */
export function saveCsv(blob, fileName, label, keep) {
	const url = URL.createObjectURL(new Blob([blob], { type: 'text/csv;charset=utf-8' }));
	keep.urls.add(url);
	const link = h('a', { href: url, download: fileName, class: 'ec-visually-hidden', tabindex: '-1' }, label);
	document.body.append(link);
	link.click();
	link.remove();
	const timer = setTimeout(() => {
		keep.timers.delete(timer);
		URL.revokeObjectURL(url);
		keep.urls.delete(url);
	}, REVOKE_AFTER_MS);
	keep.timers.add(timer);
}
