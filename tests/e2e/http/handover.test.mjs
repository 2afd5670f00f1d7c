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
