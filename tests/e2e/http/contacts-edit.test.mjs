// Editing contacts over HTTP on the database EC_E2E_DB names: PATCH with
// optimistic concurrency, soft delete, and who may do either (R6.2, R6.6, R8).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
let host;
let zhang;
let lina;
let wangfang;
let chenjie;

before(async () => {
	host = await startHost();
	zhang = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
	lina = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	wangfang = await loggedIn(host.baseUrl, 'wangfang', DEMO.wangfang.password);
	chenjie = await loggedIn(host.baseUrl, 'chenjie', DEMO.chenjie.password);
});

after(async () => {
	await host?.stop();
});

async function newContact(client, body) {
	const r = await client.post(`${BASE}/contacts`, body);
	assert.equal(r.status, 201, r.text);
	return r.json;
}

test('the adder edits only the fields sent; a stale version gets 409 with the current contact', async () => {
	const c = await newContact(zhang, { name: '周敏', company: '蓝海物流', mobile: '13900001111' });
	const r = await zhang.patch(`${BASE}/contacts/${c.id}`, { version: c.version, title: '总监', company: null });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.version, c.version + 1);
	assert.equal(r.json.title, '总监');
	assert.equal(r.json.company, null);
	assert.equal(r.json.mobile, '13900001111', 'fields not sent stay');
	const stale = await wangfang.patch(`${BASE}/contacts/${c.id}`, { version: c.version, title: '经理' });
	assert.equal(stale.status, 409, stale.text);
	assert.equal(stale.json.error.code, 'conflict');
	assert.equal(stale.json.current.title, '总监');
	assert.equal(stale.json.current.version, c.version + 1);
	const got = await zhang.get(`${BASE}/contacts/${c.id}`);
	assert.equal(got.json.title, '总监', 'nothing overwritten');
	const retry = await wangfang.patch(`${BASE}/contacts/${c.id}`, { version: stale.json.current.version, title: '经理' });
	assert.equal(retry.status, 200, 'the maintain-holder may edit with the current version');
});

test('bad edits answer 400 naming the field and change nothing', async () => {
	const c = await newContact(zhang, { name: '钱进' });
	const cases = [
		[{ title: 'x' }, 'validation_failed', 'version'],
		[{ version: '1', title: 'x' }, 'validation_failed', 'version'],
		[{ version: c.version, name: '' }, 'validation_failed', 'name'],
		[{ version: c.version, email: 'nope' }, 'validation_failed', 'email'],
		[{ version: c.version, owner: 1 }, 'unknown_field', 'owner'],
	];
	for (const [body, code, field] of cases) {
		const r = await zhang.patch(`${BASE}/contacts/${c.id}`, body);
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.equal(r.json.error.code, code);
		assert.equal(r.json.error.field, field);
	}
	const got = await zhang.get(`${BASE}/contacts/${c.id}`);
	assert.equal(got.json.version, c.version);
	assert.equal(got.json.title, null);
});

test('others cannot edit or delete: hidden answers 404 like a missing id', async () => {
	const c = await newContact(zhang, { name: '孙悦' });
	const hidden = await lina.patch(`${BASE}/contacts/${c.id}`, { version: c.version, title: 'x' });
	const missing = await lina.patch(`${BASE}/contacts/987654321`, { version: 1, title: 'x' });
	assert.equal(hidden.status, 404);
	assert.deepEqual(hidden.json, missing.json);
	assert.equal((await lina.del(`${BASE}/contacts/${c.id}`)).status, 404);
	assert.equal((await chenjie.del(`${BASE}/contacts/${c.id}`)).status, 404, 'another org');
	assert.equal((await zhang.get(`${BASE}/contacts/${c.id}`)).json.version, c.version);
});

test('delete hides the contact from everyone; a second delete answers 404', async () => {
	const c = await newContact(zhang, { name: '李雷', company: '删除测试' });
	const r = await zhang.del(`${BASE}/contacts/${c.id}`);
	assert.equal(r.status, 204, r.text);
	for (const client of [zhang, wangfang]) {
		assert.equal((await client.get(`${BASE}/contacts/${c.id}`)).status, 404);
		const list = await client.get(`${BASE}/contacts?scope=${client === zhang ? 'mine' : 'all'}&q=${encodeURIComponent('李雷')}`);
		assert.equal(list.status, 200);
		assert.equal(list.json.items.length, 0);
	}
	assert.equal((await zhang.del(`${BASE}/contacts/${c.id}`)).status, 404);
});

test('permissions: visible members and security level are saved and reloaded; bad values name the field', async () => {
	const c = await newContact(zhang, { name: '韩梅' });
	const perms = await zhang.get(`${BASE}/contacts/${c.id}/permissions`);
	assert.equal(perms.status, 200, perms.text);
	assert.deepEqual(perms.json.visibleMembers.map((m) => m.id), [zhang.me.user.id]);
	for (const [body, field] of [
		[{ version: c.version, visibleMembers: [zhang.me.user.id], securityLevel: 1 }, 'securityLevel'],
		[{ version: c.version, visibleMembers: [zhang.me.user.id], securityLevel: -1000 }, 'securityLevel'],
		[{ version: c.version, visibleMembers: [chenjie.me.user.id], securityLevel: -1 }, 'visibleMembers'],
		[{ version: c.version, visibleMembers: [987654], securityLevel: -1 }, 'visibleMembers'],
	]) {
		const r = await zhang.put(`${BASE}/contacts/${c.id}/permissions`, body);
		assert.equal(r.status, 400, r.text);
		assert.equal(r.json.error.field, field);
	}
	const ids = [zhang.me.user.id, lina.me.user.id].sort((a, b) => a - b);
	const r = await zhang.put(`${BASE}/contacts/${c.id}/permissions`, { version: c.version, visibleMembers: ids, securityLevel: -999 });
	assert.equal(r.status, 200, r.text);
	const again = await zhang.get(`${BASE}/contacts/${c.id}/permissions`);
	assert.deepEqual(again.json.visibleMembers.map((m) => m.id), ids);
	assert.equal(again.json.securityLevel, -999);
	assert.equal(again.json.version, c.version + 1);
	assert.equal((await lina.get(`${BASE}/contacts/${c.id}/permissions`)).status, 404, 'a visible member is not a viewer');
});

test('sharing: a member on the share list sees the contact, taken off loses sight at once, may not change the list', async () => {
	const c = await newContact(zhang, { name: '林涛', company: '共享测试' });
	assert.equal((await lina.get(`${BASE}/contacts/${c.id}`)).status, 404);
	const r = await zhang.put(`${BASE}/contacts/${c.id}/shares`, { members: [lina.me.user.id] });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.members.map((m) => m.id), [lina.me.user.id]);
	assert.equal((await lina.get(`${BASE}/contacts/${c.id}`)).status, 200);
	const listed = await lina.get(`${BASE}/contacts?q=${encodeURIComponent('林涛')}`);
	assert.equal(listed.json.items.length, 1);
	assert.equal((await lina.put(`${BASE}/contacts/${c.id}/shares`, { members: [] })).status, 403);
	assert.equal((await lina.patch(`${BASE}/contacts/${c.id}`, { version: c.version, title: 'x' })).status, 403);
	const other = await zhang.put(`${BASE}/contacts/${c.id}/shares`, { members: [chenjie.me.user.id] });
	assert.equal(other.status, 400);
	assert.equal(other.json.error.field, 'members');
	assert.equal((await zhang.put(`${BASE}/contacts/${c.id}/shares`, { members: [] })).status, 200);
	assert.equal((await lina.get(`${BASE}/contacts/${c.id}`)).status, 404);
	assert.equal((await lina.get(`${BASE}/contacts?q=${encodeURIComponent('林涛')}`)).json.items.length, 0);
});
