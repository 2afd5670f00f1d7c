// The create form's client checks (resources/web/external-contacts/validate.js)
// against the rules of docs/API.md (no host needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = process.env.EC_SOURCE_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { validateContact, parseTags } = await import(path.join(SOURCE, 'resources/web/external-contacts/validate.js'));

test('name is required, trimmed and at most 100 characters', () => {
	assert.deepEqual(validateContact({ name: '   ' }).errors.name, { key: 'error.nameRequired' });
	assert.deepEqual(validateContact({ name: ' 刘洋 ' }), { body: { name: '刘洋' }, errors: {} });
	assert.equal(validateContact({ name: '名'.repeat(100) }).errors.name, undefined);
	assert.deepEqual(validateContact({ name: '名'.repeat(101) }).errors.name, { key: 'error.tooLong', params: { max: 100 } });
	// Characters, not UTF-16 units: 100 emoji are 100 characters.
	assert.equal(validateContact({ name: '😀'.repeat(100) }).errors.name, undefined);
});

test('mobile: optional +, 6-20 digits that single spaces or dashes may separate', () => {
	for (const ok of ['123456', '+86 138-0013-8000', '13800138000', '+1 023 456']) {
		assert.equal(validateContact({ name: 'a', mobile: ok }).errors.mobile, undefined, ok);
	}
	for (const bad of ['12345', '1'.repeat(21), '138abc0000', '86+13800138000', '++8613800138000', '138_0013_8000',
		'138  0013 8000', '+ 86 13800138000', '138-', '-13800138', '138 - 0013']) {
		assert.deepEqual(validateContact({ name: 'a', mobile: bad }).errors.mobile, { key: 'error.mobile' }, bad);
	}
});

test('email: one @, a dot in the domain, at most 254 characters', () => {
	assert.equal(validateContact({ name: 'a', email: 'li.yang@example.com' }).errors.email, undefined);
	for (const bad of ['not-an-email', 'a@b', 'a@@b.com', '@example.com', 'a@.com', 'a b@example.com', 'a@example.', 'a@x..com', 'a@b@c.com']) {
		assert.deepEqual(validateContact({ name: 'a', email: bad }).errors.email, { key: 'error.email' }, bad);
	}
	// The characters the plugin refuses anywhere in an address.
	for (const bad of ['li,yang@example.com', 'li;yang@example.com', '<li@example.com>', 'li(yang)@example.com',
		'li[1]@example.com', 'li\\yang@example.com', '"li"@example.com']) {
		assert.deepEqual(validateContact({ name: 'a', email: bad }).errors.email, { key: 'error.email' }, bad);
	}
	const long = `${'a'.repeat(250)}@b.cn`;
	assert.deepEqual(validateContact({ name: 'a', email: long }).errors.email, { key: 'error.tooLong', params: { max: 254 } });
	// Characters, not UTF-16 units, as the plugin counts.
	assert.equal(validateContact({ name: 'a', email: `${'😀'.repeat(240)}@b.cn` }).errors.email, undefined);
});

test('length limits, control characters and empty optional fields', () => {
	const { body, errors } = validateContact({ name: 'a', company: '', title: '  ', address: 'x'.repeat(500), remark: 'y'.repeat(1000) });
	assert.deepEqual(errors, {});
	assert.deepEqual(Object.keys(body).sort(), ['address', 'name', 'remark']);
	assert.deepEqual(validateContact({ name: 'a', company: 'c'.repeat(101) }).errors.company, { key: 'error.tooLong', params: { max: 100 } });
	assert.deepEqual(validateContact({ name: 'a', department: 'd'.repeat(101) }).errors.department, { key: 'error.tooLong', params: { max: 100 } });
	assert.deepEqual(validateContact({ name: 'a', address: 'x'.repeat(501) }).errors.address, { key: 'error.tooLong', params: { max: 500 } });
	assert.deepEqual(validateContact({ name: 'a', remark: 'y'.repeat(1001) }).errors.remark, { key: 'error.tooLong', params: { max: 1000 } });
	// address and remark may hold line breaks; other fields and other control characters may not.
	assert.deepEqual(validateContact({ name: 'a', remark: 'line\nbreak', address: '上海市\r\n浦东新区' }).errors, {});
	assert.deepEqual(validateContact({ name: 'a', remark: 'tab\there' }).errors.remark, { key: 'error.control' });
	assert.deepEqual(validateContact({ name: 'a', company: 'two\nlines' }).errors.company, { key: 'error.control' });
	assert.deepEqual(validateContact({ name: 'a\u0007' }).errors.name, { key: 'error.control' });
	assert.deepEqual(validateContact({ name: 'a\ud800' }).errors.name, { key: 'error.encoding' });
});

test('tags: comma separated into an array of at most 20 tags of at most 32 characters', () => {
	assert.deepEqual(parseTags('供应商, 华东，重点、供应商,, '), ['供应商', '华东', '重点']);
	assert.deepEqual(validateContact({ name: 'a', tags: 'x, y' }).body.tags, ['x', 'y']);
	assert.equal(validateContact({ name: 'a', tags: ' , ' }).body.tags, undefined);
	const twenty = Array.from({ length: 20 }, (_, i) => `t${i}`).join(',');
	assert.equal(validateContact({ name: 'a', tags: twenty }).errors.tags, undefined);
	assert.deepEqual(validateContact({ name: 'a', tags: `${twenty},t20` }).errors.tags, { key: 'error.tagsCount' });
	assert.deepEqual(validateContact({ name: 'a', tags: 'z'.repeat(33) }).errors.tags, { key: 'error.tagLength' });
});

test('line breaks: LF in address and remark only, CRLF folded to LF, a lone CR refused', () => {
	const { body, errors } = validateContact({ name: 'a', address: '上海市\r\n浦东新区\n世纪大道', remark: '第一行\n\n第三行' });
	assert.deepEqual(errors, {});
	assert.equal(body.address, '上海市\n浦东新区\n世纪大道', 'CRLF arrives as LF, as the plugin stores it');
	assert.equal(body.remark, '第一行\n\n第三行');
	for (const field of ['address', 'remark']) {
		assert.deepEqual(validateContact({ name: 'a', [field]: 'one\rtwo' }).errors[field], { key: 'error.control' }, `${field}: lone CR`);
		assert.deepEqual(validateContact({ name: 'a', [field]: 'one\ttwo' }).errors[field], { key: 'error.control' }, `${field}: tab`);
		assert.deepEqual(validateContact({ name: 'a', [field]: 'one\u000btwo' }).errors[field], { key: 'error.control' }, `${field}: vertical tab`);
		assert.deepEqual(validateContact({ name: 'a', [field]: 'one\u0085two' }).errors[field], { key: 'error.control' }, `${field}: NEL`);
	}
	for (const field of ['name', 'mobile', 'email', 'company', 'title', 'department']) {
		const value = field === 'mobile' ? '138\n00138000' : field === 'email' ? 'li\n@example.com' : 'one\ntwo';
		assert.deepEqual(validateContact({ name: 'a', [field]: value }).errors[field], { key: 'error.control' }, `${field}: LF`);
		const crlf = field === 'mobile' ? '138\r\n00138000' : field === 'email' ? 'li\r\n@example.com' : 'one\r\ntwo';
		assert.deepEqual(validateContact({ name: 'a', [field]: crlf }).errors[field], { key: 'error.control' }, `${field}: CRLF`);
	}
	assert.deepEqual(validateContact({ name: 'a', tags: 'one\ntwo' }).errors.tags, { key: 'error.control' }, 'tags: LF');
	// Line breaks at the ends are trimmed away; 500 characters with line breaks fit.
	assert.equal(validateContact({ name: 'a', address: '\n上海\n' }).body.address, '上海');
	const lines = `${'x'.repeat(249)}\r\n${'y'.repeat(250)}`;
	assert.equal(validateContact({ name: 'a', address: lines }).errors.address, undefined, 'CRLF counts as one character');
	assert.deepEqual(validateContact({ name: 'a', address: `${lines}z` }).errors.address, { key: 'error.tooLong', params: { max: 500 } });
});
