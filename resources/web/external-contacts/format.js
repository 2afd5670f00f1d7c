// Dates, times and people as the plugin's modules show them.

const pad = (n) => String(n).padStart(2, '0');

/** ms → the locale's date and time ('' when not a number). */
export function formatTime(locale, ms) {
	if (typeof ms !== 'number') return '';
	try {
		return new Date(ms).toLocaleString(locale);
	} catch {
		return new Date(ms).toISOString();
	}
}

/** ms → "yyyy-mm-dd HH:mm" in the browser's time zone ('' when not a time). */
export function formatMinute(ms) {
	if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
	const d = new Date(ms);
	return `${formatDay(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A Date → its local "yyyy-mm-dd". */
export function formatDay(date) {
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A number (ms) or an ISO string → ms, else NaN. */
export function timeValue(value) {
	return typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
}

/** A member's name: displayName, else '#id'. */
export function memberLabel(member) {
	return member.displayName || `#${member.id}`;
}
