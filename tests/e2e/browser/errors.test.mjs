// The shell's error texts (host-sdk/reference-host/web/errors.js): one
// localized text per error code of docs/API.md in both catalogs, the field
// texts, and never the server's English message (no host needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = process.env.EC_SOURCE_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SHELL = path.join(SOURCE, 'host-sdk/reference-host/web');
const { ERROR_CODES, SHELL_FIELD_KEYS, errorText, codeForStatus } = await import(path.join(SHELL, 'errors.js'));
const { makeTranslator } = await import(path.join(SHELL, 'i18n.js'));

const catalogs = {
	'zh-CN': JSON.parse(await readFile(path.join(SHELL, 'i18n/zh-CN.json'), 'utf8')),
	en: JSON.parse(await readFile(path.join(SHELL, 'i18n/en.json'), 'utf8')),
};
const zh = makeTranslator(catalogs['zh-CN']);
const en = makeTranslator(catalogs.en);
const HAN = /[\u4e00-\u9fff]/;

/** The codes docs/API.md lists after "Error codes:". */
async function documentedCodes() {
	const doc = await readFile(path.join(SOURCE, 'docs/API.md'), 'utf8');
	const start = doc.indexOf('Error codes:');
	assert.notEqual(start, -1, 'docs/API.md lists the error codes');
	const paragraph = doc.slice(start, doc.indexOf('\n\n', start));
	return [...paragraph.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).filter((code) => code !== 'field' && code !== 'code');
}

test('every error code of docs/API.md has a text in zh-CN and en, and no other code is invented', async () => {
	const codes = await documentedCodes();
	assert.ok(codes.length >= 16, `codes found: ${codes}`);
	assert.deepEqual([...ERROR_CODES].sort(), [...new Set(codes)].sort());
	for (const [locale, catalog] of Object.entries(catalogs)) {
		for (const key of [...codes.map((code) => `error.code.${code}`), 'error.code.too_many_requests.seconds', 'error.network',
			'error.generic', ...Object.values(SHELL_FIELD_KEYS)]) {
			assert.ok(key in catalog, `${locale}: ${key}`);
		}
	}
	for (const code of codes) {
		const text = errorText(zh, { status: 400, code, message: 'English from the server' });
		assert.match(text, HAN, `zh-CN text for ${code}: ${text}`);
		assert.doesNotMatch(errorText(en, { status: 400, code, message: 'x' }), HAN, `en text for ${code}`);
	}
});

test('the server message is never shown: unknown codes and thrown errors get the generic text', () => {
	const server = { status: 400, code: 'quota_exceeded', message: 'quota exceeded for org 7', field: null };
	assert.equal(errorText(zh, server), catalogs['zh-CN']['error.generic']);
	assert.equal(errorText(en, server), catalogs.en['error.generic']);
	assert.equal(errorText(zh, new TypeError('x is undefined')), catalogs['zh-CN']['error.generic']);
	assert.equal(errorText(zh, null), catalogs['zh-CN']['error.generic']);
	assert.equal(errorText(zh, { status: 418, code: codeForStatus(418), message: 'teapot' }), catalogs['zh-CN']['error.generic']);
	assert.equal(errorText(zh, { status: 502, code: codeForStatus(502) }), catalogs['zh-CN']['error.code.internal']);
	assert.equal(errorText(zh, { status: 503, code: codeForStatus(503) }), catalogs['zh-CN']['error.code.unavailable']);
});

test('network failures, Retry-After seconds and field texts', () => {
	assert.equal(errorText(zh, { status: 0, code: 'network', message: 'Failed to fetch' }), catalogs['zh-CN']['error.network']);
	assert.equal(errorText(en, { status: 0 }), catalogs.en['error.network']);
	assert.equal(errorText(zh, { status: 429, code: 'too_many_requests', retryAfter: 42 }), '请求过于频繁，请在 42 秒后重试。');
	assert.equal(errorText(en, { status: 429, code: 'too_many_requests', retryAfter: 42 }), 'Too many requests. Try again in 42 seconds.');
	assert.equal(errorText(zh, { status: 429, code: 'too_many_requests', retryAfter: null }), catalogs['zh-CN']['error.code.too_many_requests']);

	const level = { status: 400, code: 'validation_failed', field: 'defaultSecurityLevel', message: 'defaultSecurityLevel must be between -999 and 0' };
	assert.match(errorText(zh, level), /范围 -999 至 0 的整数/);
	assert.match(errorText(en, level), /from -999 to 0/);

	// A page's own texts for its fields; other fields and codes fall back to the code's text.
	const fields = { email: '邮箱格式不正确', mobile: (error) => `手机 ${error.field}` };
	assert.equal(errorText(zh, { status: 400, code: 'validation_failed', field: 'email', message: 'email must look like' }, { fields }), '邮箱格式不正确');
	assert.equal(errorText(zh, { status: 400, code: 'validation_failed', field: 'mobile' }, { fields }), '手机 mobile');
	assert.equal(errorText(zh, { status: 400, code: 'validation_failed', field: 'limit' }, { fields }), catalogs['zh-CN']['error.code.validation_failed']);
	assert.equal(errorText(zh, { status: 400, code: 'unknown_field', field: 'email' }, { fields }), catalogs['zh-CN']['error.code.unknown_field']);
	assert.equal(errorText(zh, { status: 400, code: 'validation_failed', field: 'toString' }, { fields }), catalogs['zh-CN']['error.code.validation_failed']);
});
