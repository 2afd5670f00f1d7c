// GET /contacts/{id}/history over HTTP (R10): who, what, when, from where,
// before and after, newest first; editors only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
let host;

before(async () => {
	host = await startHost();
});

after(async () => {
	await host?.stop();
});

test('every change is in the history, newest first, with actor, address and snapshots', async () => {
	const zhang = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
	const lina = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	const wangfang = await loggedIn(host.baseUrl, 'wangfang', DEMO.wangfang.password);
	const created = await zhang.post(`${BASE}/contacts`, { name: '许晴', company: '历史测试' });
	assert.equal(created.status, 201, created.text);
	const id = created.json.id;
	assert.equal((await zhang.patch(`${BASE}/contacts/${id}`, { version: 1, title: '总监' })).status, 200);
	assert.equal((await wangfang.patch(`${BASE}/contacts/${id}`, { version: 2, title: '副总裁' })).status, 200);
	assert.equal((await zhang.put(`${BASE}/contacts/${id}/shares`, { members: [lina.me.user.id] })).status, 200);

	const r = await zhang.get(`${BASE}/contacts/${id}/history?limit=3`);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.items.map((e) => e.action), ['contact.shares', 'contact.update', 'contact.update']);
	const byMaintainer = r.json.items[1];
	assert.equal(byMaintainer.actor.displayName, '王芳');
	assert.equal(byMaintainer.before.title, '总监');
	assert.equal(byMaintainer.after.title, '副总裁');
	assert.equal(byMaintainer.remoteAddr, '127.0.0.1');
	assert.ok(r.json.nextCursor);
	const rest = await zhang.get(`${BASE}/contacts/${id}/history?limit=3&cursor=${r.json.nextCursor}`);
	assert.deepEqual(rest.json.items.map((e) => e.action), ['contact.create']);
	assert.equal(rest.json.nextCursor, null);

	assert.equal((await lina.get(`${BASE}/contacts/${id}/history`)).status, 403, 'shared-with members may not read it');
	const chenjie = await loggedIn(host.baseUrl, 'chenjie', DEMO.chenjie.password);
	assert.equal((await chenjie.get(`${BASE}/contacts/${id}/history`)).status, 404);
	const bad = await zhang.get(`${BASE}/contacts/${id}/history?cursor=zz`);
	assert.equal(bad.status, 400);
	assert.equal(bad.json.error.field, 'cursor');
});
