// Group maintainers over HTTP (R8): the admin sets members as maintainers of
// a group (the company contacts are listed under); they then see and
// maintain that group's contacts, and only those.
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

test('a maintainer set by the admin sees and edits their group, not others', async () => {
	const admin = await loggedIn(host.baseUrl, 'admin', DEMO.admin.password);
	const zhang = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
	const lina = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	const mine = await zhang.post(`${BASE}/contacts`, { name: '周维护', company: '维护测试甲' });
	assert.equal(mine.status, 201, mine.text);
	const other = await zhang.post(`${BASE}/contacts`, { name: '吴其他', company: '维护测试乙' });
	assert.equal(other.status, 201, other.text);
	const id = mine.json.id;

	assert.equal((await lina.get(`${BASE}/contacts/${id}`)).status, 404, 'not hers before');
	const denied = await lina.put(`${BASE}/admin/group-maintainers`, { group: '维护测试甲', maintainers: [lina.me.user.id] });
	assert.equal(denied.status, 403, denied.text);
	assert.equal(denied.json.error.code, 'forbidden');

	const bad = await admin.put(`${BASE}/admin/group-maintainers`, { group: '维护测试甲', maintainers: [987654] });
	assert.equal(bad.status, 400, bad.text);
	assert.equal(bad.json.error.field, 'maintainers');

	const set = await admin.put(`${BASE}/admin/group-maintainers`, { group: '维护测试甲', maintainers: [lina.me.user.id] });
	assert.equal(set.status, 200, set.text);
	assert.deepEqual(set.json, { group: '维护测试甲', maintainers: [{ id: lina.me.user.id, displayName: lina.me.user.displayName }] });
	const listed = await admin.get(`${BASE}/admin/group-maintainers`);
	assert.equal(listed.status, 200, listed.text);
	assert.ok(listed.json.items.some((e) => e.group === '维护测试甲' && e.maintainers[0].id === lina.me.user.id));
	assert.equal(listed.json.nextCursor, null);

	const seen = await lina.get(`${BASE}/contacts/${id}`);
	assert.equal(seen.status, 200, seen.text);
	const edited = await lina.patch(`${BASE}/contacts/${id}`, { version: seen.json.version, title: '采购经理' });
	assert.equal(edited.status, 200, edited.text);
	assert.equal(edited.json.title, '采购经理');
	assert.equal((await lina.get(`${BASE}/contacts/${id}/history`)).status, 200);

	assert.equal((await lina.get(`${BASE}/contacts/${other.json.id}`)).status, 404);
	assert.equal((await lina.patch(`${BASE}/contacts/${other.json.id}`, { version: 1, title: 'x' })).status, 404);

	const all = await lina.get(`${BASE}/contacts?scope=all`);
	assert.equal(all.status, 200, all.text);
	assert.ok(all.json.items.length > 0);
	assert.ok(all.json.items.every((c) => c.company === '维护测试甲'), all.text);
	const groups = await lina.get(`${BASE}/groups?scope=all`);
	assert.deepEqual(groups.json, { items: [{ name: '维护测试甲', count: 1 }], total: 1 });

	const pages = await admin.get('/api/admin/pages');
	assert.equal(pages.status, 200, pages.text);
	const page = pages.json.items.find((p) => p.id === 'group-maintainers');
	assert.ok(page, pages.text);
	assert.equal(page.module, '/plugins/external-contacts/web/group-maintainers-page.js');

	const cleared = await admin.put(`${BASE}/admin/group-maintainers`, { group: '维护测试甲', maintainers: [] });
	assert.equal(cleared.status, 200, cleared.text);
	assert.equal((await lina.get(`${BASE}/contacts/${id}`)).status, 404, 'gone once taken off');
});
