// Hand-over over HTTP (R9): the admin removes a member from the org; the
// contacts they added pass to the maintainer of each contact's group, else
// to the org's maintain-holder; the new holders see them under 我的, the
// history tells who moved them, and the bell tells the new holders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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

async function createMember(login, name, password) {
	const r = await host.cli(['user', 'create', `--login=${login}`, `--name=${name}`, '--org=1', '--password-stdin'],
		{ input: `${password}\n` });
	assert.equal(r.code, 0, r.stderr);
	return loggedIn(host.baseUrl, login, password);
}

test('a member who leaves hands their contacts to the group maintainer, else to the maintain-holder', async () => {
	const suffix = randomBytes(3).toString('hex');
	const leaver = await createMember(`leaver${suffix}`, `离职者${suffix}`, 'Leaver-Pass-2026!');
	const admin = await loggedIn(host.baseUrl, 'admin', DEMO.admin.password);
	const lina = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	const wang = await loggedIn(host.baseUrl, 'wangfang', DEMO.wangfang.password);
	const zhang = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);

	const maintained = await leaver.post(`${BASE}/contacts`, { name: '转交甲', company: `转交组${suffix}` });
	assert.equal(maintained.status, 201, maintained.text);
	const other = await leaver.post(`${BASE}/contacts`, { name: '转交乙', company: `无人组${suffix}` });
	assert.equal(other.status, 201, other.text);
	const set = await admin.put(`${BASE}/admin/group-maintainers`, { group: `转交组${suffix}`, maintainers: [lina.me.user.id] });
	assert.equal(set.status, 200, set.text);
	// zhangwei shares one of his contacts with the leaver.
	const zhangs = await zhang.post(`${BASE}/contacts`, { name: '张的联系人', company: `张组${suffix}` });
	assert.equal(zhangs.status, 201, zhangs.text);
	assert.equal((await zhang.put(`${BASE}/contacts/${zhangs.json.id}/shares`, { members: [leaver.me.user.id] })).status, 200);
	assert.equal((await wang.get(`${BASE}/contacts/${other.json.id}`)).json.addedBy.id, leaver.me.user.id);

	const removed = await admin.del(`/api/admin/members/${leaver.me.user.id}`);
	assert.equal(removed.status, 204, removed.text);

	// The maintainer of the group holds the first contact, the maintain-holder the other.
	const first = await lina.get(`${BASE}/contacts/${maintained.json.id}`);
	assert.equal(first.status, 200, first.text);
	assert.equal(first.json.addedBy.id, lina.me.user.id);
	assert.equal(first.json.version, maintained.json.version + 1);
	const mine = await lina.get(`${BASE}/contacts?scope=mine&q=${encodeURIComponent('转交甲')}`);
	assert.deepEqual(mine.json.items.map((c) => c.id), [maintained.json.id], mine.text);
	const second = await wang.get(`${BASE}/contacts/${other.json.id}`);
	assert.equal(second.json.addedBy.id, wang.me.user.id, second.text);
	const wangMine = await wang.get(`${BASE}/contacts?scope=mine&q=${encodeURIComponent('转交乙')}`);
	assert.deepEqual(wangMine.json.items.map((c) => c.id), [other.json.id], wangMine.text);

	// The history says who moved it from whom to whom.
	const history = await lina.get(`${BASE}/contacts/${maintained.json.id}/history`);
	assert.equal(history.status, 200, history.text);
	const entry = history.json.items[0];
	assert.equal(entry.action, 'contact.handover');
	assert.equal(entry.actor.id, admin.me.user.id);
	assert.equal(entry.before.addedBy, leaver.me.user.id);
	assert.equal(entry.after.addedBy, lina.me.user.id);
	assert.equal(entry.remoteAddr, '127.0.0.1', 'from where the admin removed the member');
	// The leaver is named although they left the org.
	assert.ok(history.json.people.some((p) => p.id === leaver.me.user.id && p.displayName === `离职者${suffix}`), history.text);

	// The share list no longer names the leaver; the change is in the history.
	const shares = await zhang.get(`${BASE}/contacts/${zhangs.json.id}/shares`);
	assert.deepEqual(shares.json, { members: [] }, shares.text);
	const zhangHistory = await zhang.get(`${BASE}/contacts/${zhangs.json.id}/history`);
	assert.equal(zhangHistory.json.items[0].action, 'contact.shares');
	assert.deepEqual(zhangHistory.json.items[0].after, { shares: [] });

	// Each new holder is told, in their language.
	for (const [who, count] of [[lina, 1], [wang, 1]]) {
		const notes = await who.get('/api/notifications');
		assert.equal(notes.status, 200, notes.text);
		const note = notes.json.items.find((n) => n.type === 'external-contacts.handover');
		assert.ok(note, notes.text);
		assert.equal(note.title, '外部联系人已转交给你');
		assert.ok(note.body.includes(`离职者${suffix}`) && note.body.includes(` ${count} 位`), note.body);
	}
	// The maintainer list no longer has to be cleaned by hand; the leaver is gone for good.
	assert.equal((await leaver.get('/api/me')).status, 401);
	assert.equal((await zhang.get(`${BASE}/contacts/${maintained.json.id}`)).status, 404);
});

test('removing a member who added nothing moves nothing and tells no one', async () => {
	const suffix = randomBytes(3).toString('hex');
	const idle = await createMember(`idle${suffix}`, `空闲${suffix}`, 'Idle-Pass-2026!');
	const admin = await loggedIn(host.baseUrl, 'admin', DEMO.admin.password);
	const wang = await loggedIn(host.baseUrl, 'wangfang', DEMO.wangfang.password);
	const before = (await wang.get('/api/notifications')).json.items.length;
	assert.equal((await admin.del(`/api/admin/members/${idle.me.user.id}`)).status, 204);
	assert.equal((await wang.get('/api/notifications')).json.items.length, before);
	// Removing them again finds no membership.
	assert.equal((await admin.del(`/api/admin/members/${idle.me.user.id}`)).status, 404);
});

test('成员管理: the preview names the receivers, a chosen successor receives everything, bad successors are refused', async () => {
	const suffix = randomBytes(3).toString('hex');
	const leaver = await createMember(`heir${suffix}`, `继承者${suffix}`, 'Leaver-Pass-2026!');
	const admin = await loggedIn(host.baseUrl, 'admin', DEMO.admin.password);
	const lina = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	const zhang = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
	const group = `继承组${suffix}`;
	const ids = [];
	for (const name of ['继承甲', '继承乙']) {
		const made = await leaver.post(`${BASE}/contacts`, { name: `${name}${suffix}`, company: group });
		assert.equal(made.status, 201, made.text);
		ids.push(made.json.id);
	}
	assert.equal((await admin.put(`${BASE}/admin/group-maintainers`, { group, maintainers: [lina.me.user.id] })).status, 200);
	const path = `/api/admin/members/${leaver.me.user.id}`;

	// The rule: the group's maintainer receives them.
	const byRule = await admin.post(`${path}/removal-preview`, {});
	assert.equal(byRule.status, 200, byRule.text);
	const item = byRule.json.items.find((i) => i.plugin === 'external-contacts');
	assert.ok(item, byRule.text);
	assert.equal(item.total, 2);
	assert.deepEqual(item.rows, [{ group, count: 2, receiverId: lina.me.user.id, receiverName: lina.me.user.displayName }]);
	// A chosen successor receives all of them.
	const chosen = await admin.post(`${path}/removal-preview`, { successorId: zhang.me.user.id });
	assert.equal(chosen.status, 200, chosen.text);
	assert.deepEqual(chosen.json.items.find((i) => i.plugin === 'external-contacts').receivers,
		[{ receiverId: zhang.me.user.id, receiverName: zhang.me.user.displayName, count: 2 }]);

	// Bad successors: 422 naming the field (the leaver, nobody, an external user); wrong types 400.
	const guest = `heirguest${suffix}`;
	const created = await host.cli(['user', 'create', `--login=${guest}`, '--name=外部继承', '--org=1', '--external',
		'--password-stdin'], { input: 'Guest-Pass-2026!\n' });
	assert.equal(created.code, 0, created.stderr);
	const guestClient = await loggedIn(host.baseUrl, guest, 'Guest-Pass-2026!');
	for (const successorId of [leaver.me.user.id, 99999999, guestClient.me.user.id]) {
		const bad = await admin.request('DELETE', path, { successorId });
		assert.equal(bad.status, 422, bad.text);
		assert.equal(bad.json.error.field, 'successorId');
	}
	const typed = await admin.request('DELETE', path, { successorId: 'zhangwei' });
	assert.equal(typed.status, 400, typed.text);
	assert.equal(typed.json.error.field, 'successorId');
	// Others than admins: 403 for members, also maintain-holders; the external user too; CSRF needed.
	assert.equal((await lina.post(`${path}/removal-preview`, {})).status, 403);
	assert.equal((await guestClient.post(`${path}/removal-preview`, {})).status, 403);
	const wang = await loggedIn(host.baseUrl, 'wangfang', DEMO.wangfang.password);
	assert.equal((await wang.request('DELETE', path, { successorId: zhang.me.user.id })).status, 403);
	const noCsrf = await admin.request('DELETE', path, { successorId: zhang.me.user.id }, { csrf: false });
	assert.equal(noCsrf.status, 403, noCsrf.text);
	assert.equal(noCsrf.json.error.code, 'csrf_failed');
	assert.equal((await leaver.get('/api/me')).status, 200, 'nothing happened yet');
	assert.equal((await admin.post('/api/admin/members/99999999/removal-preview', {})).status, 404);

	// The removal with the successor: what the preview said.
	const removed = await admin.request('DELETE', path, { successorId: zhang.me.user.id });
	assert.equal(removed.status, 204, removed.text);
	for (const id of ids) {
		const contact = await zhang.get(`${BASE}/contacts/${id}`);
		assert.equal(contact.status, 200, contact.text);
		assert.equal(contact.json.addedBy.id, zhang.me.user.id);
	}
	const mine = await zhang.get(`${BASE}/contacts?scope=mine&q=${encodeURIComponent(suffix)}`);
	assert.deepEqual(mine.json.items.map((c) => c.id).sort(), [...ids].sort(), mine.text);
	assert.equal((await leaver.get('/api/me')).status, 401);
});

test('成员管理: the list pages and searches; maintain is granted and revoked by admins only', async () => {
	const suffix = randomBytes(3).toString('hex');
	const member = await createMember(`perm${suffix}`, `权限${suffix}`, 'Perm-Pass-2026!');
	const admin = await loggedIn(host.baseUrl, 'admin', DEMO.admin.password);
	const first = await admin.get('/api/admin/members?limit=2');
	assert.equal(first.status, 200, first.text);
	assert.equal(first.json.items.length, 2);
	const next = await admin.get(`/api/admin/members?limit=2&cursor=${first.json.nextCursor}`);
	assert.ok(next.json.items.every((m) => !first.json.items.some((f) => f.id === m.id)), next.text);
	const found = await admin.get(`/api/admin/members?q=${encodeURIComponent(`权限${suffix}`)}`);
	assert.deepEqual(found.json.items.map((m) => m.login), [`perm${suffix}`], found.text);
	assert.equal((await admin.get('/api/admin/members?limit=0')).json.error.field, 'limit');

	const maintain = `/api/admin/members/${member.me.user.id}/permissions/external_contacts.maintain`;
	assert.equal((await admin.put(maintain)).json.permissions[0], 'external_contacts.maintain');
	assert.ok((await member.get('/api/me')).json.permissions.includes('external_contacts.maintain'));
	assert.deepEqual((await admin.del(maintain)).json.permissions, []);
	assert.equal((await member.put(maintain)).status, 403);
	assert.equal((await admin.put(maintain, undefined, { csrf: false })).status, 403);
	assert.equal((await admin.put(`/api/admin/members/${member.me.user.id}/permissions/root`)).status, 404);
	assert.equal((await admin.put(`/api/admin/members/${admin.me.user.id}/permissions/external_contacts.maintain`)).status, 409);
});
