// The web UI's catalogs: zh-CN and en complete and every key the code uses
// present (no host needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = process.env.EC_SOURCE_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SHELL = path.join(SOURCE, 'host-sdk/reference-host/web');
const PLUGIN = path.join(SOURCE, 'resources/web/external-contacts');

async function jsSources(dir) {
	const names = (await readdir(dir)).filter((name) => name.endsWith('.js'));
	return Promise.all(names.map(async (name) => ({ name, text: await readFile(path.join(dir, name), 'utf8') })));
}

function literalKeys(text, fn) {
	const keys = new Set();
	const pattern = new RegExp(`\\b${fn}\\('([A-Za-z0-9_.]+)'`, 'g');
	for (const match of text.matchAll(pattern)) keys.add(match[1]);
	return keys;
}

function assertSameKeys(a, b, label) {
	const missingInB = Object.keys(a).filter((key) => !(key in b));
	const missingInA = Object.keys(b).filter((key) => !(key in a));
	assert.deepEqual(missingInB, [], `${label}: keys missing in en`);
	assert.deepEqual(missingInA, [], `${label}: keys missing in zh-CN`);
	for (const [key, value] of [...Object.entries(a), ...Object.entries(b)]) {
		assert.equal(typeof value, 'string', `${label}: ${key}`);
		assert.notEqual(value.trim(), '', `${label}: ${key} is empty`);
	}
}

function placeholders(text) {
	return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

test('shell catalogs: zh-CN and en have the same keys and placeholders', async () => {
	const zh = JSON.parse(await readFile(path.join(SHELL, 'i18n/zh-CN.json'), 'utf8'));
	const en = JSON.parse(await readFile(path.join(SHELL, 'i18n/en.json'), 'utf8'));
	assertSameKeys(zh, en, 'shell');
	for (const key of Object.keys(zh)) assert.deepEqual(placeholders(en[key]), placeholders(zh[key]), `shell placeholder ${key}`);
	assert.ok(/[\u4e00-\u9fff]/.test(zh['login.invalid']), 'zh-CN is Chinese');
	assert.equal(zh['login.invalid'], '登录名或密码错误');
});

test('shell code uses only keys the catalogs hold', async () => {
	const zh = JSON.parse(await readFile(path.join(SHELL, 'i18n/zh-CN.json'), 'utf8'));
	for (const { name, text } of await jsSources(SHELL)) {
		for (const key of literalKeys(text, 't')) assert.ok(key in zh, `${name} uses unknown key ${key}`);
	}
});

test('plugin page messages: zh-CN and en complete, and every key used exists', async () => {
	const { messages } = await import(path.join(PLUGIN, 'i18n.js'));
	const zh = messages['zh-CN'];
	const en = messages.en;
	assertSameKeys(zh, en, 'external-contacts');
	for (const key of Object.keys(zh)) assert.deepEqual(placeholders(en[key]), placeholders(zh[key]), `plugin placeholder ${key}`);
	const used = new Set();
	for (const { text } of await jsSources(PLUGIN)) {
		for (const key of literalKeys(text, 'tr')) used.add(key);
		for (const match of text.matchAll(/key: '([A-Za-z0-9_.]+)'/g)) used.add(match[1]);
		for (const match of text.matchAll(/hint: '([A-Za-z0-9_.]+)'/g)) used.add(match[1]);
	}
	for (const field of ['name', 'mobile', 'email', 'company', 'title', 'department', 'address', 'remark', 'tags']) {
		used.add(`field.${field}`);
		used.add(`fieldError.${field}`);
	}
	used.add('fieldError.q');
	for (const source of ['created', 'wechat_invite', 'other_org']) used.add(`source.${source}`);
	for (const key of used) assert.ok(key in zh, `unknown plugin key ${key}`);
	assert.equal(zh['group.ungrouped'], '未分组');
	assert.equal(zh['list.emptyTitle'], '还没有外部联系人');
	assert.equal(zh['new.soon'], '即将推出');
	assert.equal(en['new.soon'], 'Coming soon');
});
