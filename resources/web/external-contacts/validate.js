// Client-side checks for the create form, mirroring docs/API.md (create
// body). The server stays the authority: its 400 answers are shown too.

export const FIELDS = ['name', 'mobile', 'email', 'company', 'title', 'department', 'address', 'remark', 'tags'];

export const MAX_LENGTH = { name: 100, company: 100, title: 100, department: 100, address: 500, remark: 1000 };
export const MAX_EMAIL = 254;
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 32;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// address and remark (the textareas) may hold line breaks: CRLF is folded to
// LF as the plugin does, then LF is the only control character let through
// (a lone CR is refused, as by the server).
const CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const MULTILINE = new Set(['address', 'remark']);
// Characters the plugin refuses anywhere in an email address.
const EMAIL_REFUSED = /[ ,;<>()[\]\\"]/;

/** Length in Unicode code points, as the server counts characters. */
export function charLength(text) {
	return [...text].length;
}

/** "a, b，c、a" → ['a', 'b', 'c'] (trimmed, empty and repeated ones dropped). */
export function parseTags(text) {
	const seen = new Set();
	const tags = [];
	for (const part of String(text || '').split(/[,，、;；]/)) {
		const tag = part.trim();
		if (tag && !seen.has(tag)) {
			seen.add(tag);
			tags.push(tag);
		}
	}
	return tags;
}

/** CRLF → LF, as the plugin stores address and remark. */
export function foldLineBreaks(text) {
	return text.replace(/\r\n/g, '\n');
}

function textProblem(text, max, multiline = false) {
	if (typeof text.isWellFormed === 'function' && !text.isWellFormed()) return { key: 'error.encoding' };
	if ((multiline ? CONTROL_BUT_LF : CONTROL).test(text)) return { key: 'error.control' };
	if (max && charLength(text) > max) return { key: 'error.tooLong', params: { max } };
	return null;
}

export function mobileProblem(mobile) {
	// Digits in runs that single spaces or dashes may separate, as the plugin checks.
	if (!/^\+?[0-9]+(?:[ -][0-9]+)*$/.test(mobile)) return { key: 'error.mobile' };
	const digits = mobile.replace(/[^0-9]/g, '').length;
	if (digits < 6 || digits > 20) return { key: 'error.mobile' };
	return null;
}

export function emailProblem(email) {
	if (charLength(email) > MAX_EMAIL) return { key: 'error.tooLong', params: { max: MAX_EMAIL } };
	// As the plugin checks: no space or ,;<>()[]\" anywhere, exactly one @ with
	// something before it, and a domain with a dot that neither starts nor
	// ends it nor doubles.
	if (EMAIL_REFUSED.test(email)) return { key: 'error.email' };
	const parts = email.split('@');
	if (parts.length !== 2) return { key: 'error.email' };
	const [local, domain] = parts;
	if (!local || !domain) return { key: 'error.email' };
	const labels = domain.split('.');
	if (labels.length < 2 || labels.some((label) => label === '')) return { key: 'error.email' };
	return null;
}

/**
 * values: raw strings of the form ({name, mobile, …, tags: "a, b"}).
 * Returns { body, errors } where body holds the trimmed non-empty fields
 * (tags as an array) and errors maps a field to { key, params }.
 */
export function validateContact(values) {
	const errors = {};
	const body = {};
	for (const field of FIELDS) {
		if (field === 'tags') continue;
		let raw = values[field] === undefined || values[field] === null ? '' : String(values[field]);
		if (MULTILINE.has(field)) raw = foldLineBreaks(raw);
		const text = raw.trim();
		if (!text) {
			if (field === 'name') errors.name = { key: 'error.nameRequired' };
			continue;
		}
		const problem = textProblem(text, MAX_LENGTH[field], MULTILINE.has(field))
			|| (field === 'mobile' ? mobileProblem(text) : null)
			|| (field === 'email' ? emailProblem(text) : null);
		if (problem) errors[field] = problem;
		else body[field] = text;
	}
	const tags = parseTags(values.tags);
	if (tags.length > MAX_TAGS) errors.tags = { key: 'error.tagsCount' };
	else {
		for (const tag of tags) {
			const problem = textProblem(tag, MAX_TAG_LENGTH);
			if (problem) {
				errors.tags = problem.key === 'error.tooLong' ? { key: 'error.tagLength' } : problem;
				break;
			}
		}
	}
	if (tags.length && !errors.tags) body.tags = tags;
	return { body, errors };
}
