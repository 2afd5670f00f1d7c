// What the back-office logs with a period filter and 【导出 CSV】 share
// (account-applications-page.js, audit-log-page.js): local days as the
// server's millisecond bounds, and a CSV export fetched and saved as a file.
import { h } from './dom.js';
import { failure, refusal } from './api.js';
import { formatDay } from './format.js';

const REVOKE_AFTER_MS = 30000;

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
	return `${prefix}-${formatDay(new Date())}.csv`;
}

/**
 * Fetches a CSV export: { blob, truncated } (truncated: the X-Export-Truncated count
 * or null). A failure throws as api.js's request does (status 0, code 'network' when
 * nothing came back; a 401 is handed to the shell, which then shows the login page).
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
		let data = null;
		try {
			data = await response.json();
		} catch {
			data = null;
		}
		throw refusal(ctx, response, data);
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
