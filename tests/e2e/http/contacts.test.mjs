// The plugin slice over HTTP on the database EC_E2E_DB names: create and
// list contacts, grouping, paging, validation that writes nothing, and
// object-level access (another member's contact answers 404).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
let host;
let zhang;
let lina;

before(async () => {
	host = await startHost();
	zhang = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
	lina = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
});

after(async () => {
	await host?.stop();
});

async function listAll(client, query = '') {
	const items = [];
	let cursor = null;
	for (let page = 0; page < 100; page++) {
		const sep = query ? '&' : '';
		const r = await client.get(`${BASE}/contacts?scope=mine&limit=2${sep}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		assert.equal(r.status, 200, r.text);
		items.push(...r.json.items);
		cursor = r.json.nextCursor;
		if (!cursor) return items;
	}
	throw new Error('paging did not end');
}

test('a member creates a contact; it has the adder, defaults and no account', async () => {
	const admin = await loggedIn(host.baseUrl, 'admin', DEMO.admin.password);
	assert.equal((await admin.put('/api/admin/org-settings', { defaultSecurityLevel: -20 })).status, 200);
	const r = await zhang.post(`${BASE}/contacts`, {
		name: '刘洋', mobile: '+86 138-0013-8000', email: 'liu.yang@example.com', company: '蓝海物流',
		title: '采购经理', department: '采购部', address: '上海市浦东新区', remark: '展会认识', tags: ['供应商', 'VIP'],
	});
	assert.equal(r.status, 201, r.text);
	const c = r.json;
	assert.ok(Number.isInteger(c.id) && c.id > 0);
	assert.equal(c.name, '刘洋');
	assert.equal(c.company, '蓝海物流');
	assert.equal(c.source, 'created');
	assert.equal(c.addedBy.id, zhang.me.user.id);
	assert.equal(c.addedBy.displayName, '张伟');
	assert.equal(c.securityLevel, -20, 'the org default applies');
	assert.deepEqual(c.visibleMembers.map((m) => m.id), [zhang.me.user.id], 'visible members default to the adder');
	assert.deepEqual(c.tags, ['供应商', 'VIP']);
	const got = await zhang.get(`${BASE}/contacts/${c.id}`);
	assert.equal(got.status, 200);
	assert.equal(got.json.email, 'liu.yang@example.com');
	assert.equal((await admin.put('/api/admin/org-settings', { defaultSecurityLevel: 0 })).status, 200);
});

test('the list is grouped by organization with counts, 未分组 last, and pages cover every contact once', async () => {
	const names = [['王强', '蓝海物流'], ['赵敏', '青木咨询'], ['孙丽', ''], ['周杰', '青木咨询'], ['吴刚', '']];
	for (const [name, company] of names) {
		const r = await zhang.post(`${BASE}/contacts`, company ? { name, company } : { name });
		assert.equal(r.status, 201, r.text);
	}
	const items = await listAll(zhang);
	assert.equal(items.length, 6);
	assert.equal(new Set(items.map((i) => i.id)).size, 6, 'no duplicates across pages');
	const companies = items.map((i) => i.company || '');
	const firstUngrouped = companies.indexOf('');
	assert.ok(firstUngrouped > 0 && companies.slice(firstUngrouped).every((c) => c === ''), '未分组 last');
	const groups = await zhang.get(`${BASE}/groups?scope=mine`);
	assert.equal(groups.status, 200);
	const counts = Object.fromEntries(groups.json.items.map((g) => [g.name ?? '', g.count]));
	assert.deepEqual(counts, { 蓝海物流: 2, 青木咨询: 2, '': 2 });
	assert.equal(groups.json.items.at(-1).name, null, 'the ungrouped group comes last');
});

test("another member sees neither the list entries nor the card (404 like a missing id)", async () => {
	const mine = await listAll(zhang);
	const theirs = await listAll(lina);
	assert.equal(theirs.length, 0);
	const r = await lina.get(`${BASE}/contacts/${mine[0].id}`);
	assert.equal(r.status, 404);
	const missing = await lina.get(`${BASE}/contacts/987654321`);
	assert.equal(missing.status, 404);
	assert.deepEqual(r.json, missing.json, 'hidden and missing answer the same');
	const maintain = await loggedIn(host.baseUrl, 'wangfang', DEMO.wangfang.password);
	assert.equal((await maintain.get(`${BASE}/contacts/${mine[0].id}`)).status, 200, 'maintain-holders see all');
	const otherOrg = await loggedIn(host.baseUrl, 'chenjie', DEMO.chenjie.password);
	assert.equal((await otherOrg.get(`${BASE}/contacts/${mine[0].id}`)).status, 404, 'another org never sees it');
});

test('bad input answers 4xx naming the field and writes nothing', async () => {
	const before = (await listAll(zhang)).length;
	const cases = [
		[{}, 'name'],
		[{ name: '' }, 'name'],
		[{ name: '   ' }, 'name'],
		[{ name: 'x'.repeat(101) }, 'name'],
		[{ name: 42 }, 'name'],
		[{ name: '甲', mobile: 'call me' }, 'mobile'],
		[{ name: '甲', mobile: '12' }, 'mobile'],
		[{ name: '甲', email: 'not-an-email' }, 'email'],
		[{ name: '甲', email: 'a@b' }, 'email'],
		[{ name: '甲', company: 'c'.repeat(101) }, 'company'],
		[{ name: '甲', remark: 'r'.repeat(1001) }, 'remark'],
		[{ name: '甲', tags: 'vip' }, 'tags'],
		[{ name: '甲', tags: [1, 2] }, 'tags'],
		[{ name: '甲', title: 'a\u0001b' }, 'title'],
		[{ name: '甲', colour: 'red' }, 'colour'],
	];
	for (const [body, field] of cases) {
		const r = await zhang.post(`${BASE}/contacts`, body);
		assert.ok(r.status === 400 || r.status === 422, `${JSON.stringify(body)} → ${r.status}`);
		assert.equal(r.json.error.field, field, `${JSON.stringify(body)} names ${field}: ${r.text}`);
		assert.ok(r.json.error.message, 'a message is given');
	}
	let r = await zhang.post(`${BASE}/contacts`, '{"name": "甲",', { raw: true });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.code, 'invalid_json');
	r = await zhang.post(`${BASE}/contacts`, '["甲"]', { raw: true });
	assert.equal(r.status, 400);
	r = await zhang.post(`${BASE}/contacts`, Buffer.from('{"name":"\xff\xfe"}', 'latin1'), { raw: true });
	assert.equal(r.status, 400, 'invalid UTF-8');
	assert.equal((await listAll(zhang)).length, before, 'nothing was written');
});

test('list parameters are validated', async () => {
	for (const q of ['limit=0', 'limit=101', 'limit=abc', 'cursor=not-a-cursor', 'scope=everything', 'source=fax']) {
		const r = await zhang.get(`${BASE}/contacts?${q}`);
		assert.equal(r.status, 400, `${q} → ${r.status}`);
		assert.ok(r.json.error.field, `${q} names a field`);
	}
});

test('unauthenticated and CSRF-less calls are refused', async () => {
	const anon = new Client(host.baseUrl);
	assert.equal((await anon.get(`${BASE}/contacts`)).status, 401);
	const r = await zhang.post(`${BASE}/contacts`, { name: '无令牌' }, { csrf: false });
	assert.equal(r.status, 403);
	const names = (await listAll(zhang)).map((c) => c.name);
	assert.ok(!names.includes('无令牌'));
});
