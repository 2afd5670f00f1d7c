// Account applications over HTTP (R3, R6.4) against a real host: a member
// applies, the approvers are notified, one of them approves from the
// notification, the other is told who decided, the applicant gets an
// activation link for the contact, the contact activates and logs in;
// rejection with a reason and a new application; who may see the tab; bad
// input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
let host;
let as;

before(async () => {
	host = await startHost();
	as = {
		admin: await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password),
		wang: await loggedIn(host.baseUrl, DEMO.wangfang.login, DEMO.wangfang.password),
		zhang: await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password),
		lina: await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password),
		chen: await loggedIn(host.baseUrl, DEMO.chenjie.login, DEMO.chenjie.password),
	};
});

after(async () => {
	await host?.stop();
});

async function newContact(suffix) {
	const r = await as.zhang.post(`${BASE}/contacts`, { name: `开通${suffix}`, company: `开通公司${suffix}`, email: `ext.${suffix}@example.com` });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function noticeOf(client, type, contains) {
	const r = await client.get('/api/notifications?limit=50');
	assert.equal(r.status, 200, r.text);
	return r.json.items.find((n) => n.type === type && n.body.includes(contains));
}

test('apply, approve from the notification, the other approver is told, the contact activates and logs in', async () => {
	const suffix = randomBytes(3).toString('hex');
	const contact = await newContact(suffix);
	const empty = await as.zhang.get(`${BASE}/contacts/${contact.id}/account`);
	assert.equal(empty.status, 200, empty.text);
	assert.deepEqual(empty.json, { account: null, pendingApplication: null, applications: [], mayApply: true, mayDecide: false, mayManage: false, personHasAccount: false });

	const applied = await as.zhang.post(`${BASE}/contacts/${contact.id}/applications`, { remark: ' 方便对接 ' });
	assert.equal(applied.status, 201, applied.text);
	assert.equal(applied.json.status, 'pending');
	assert.equal(applied.json.remark, '方便对接');
	assert.equal(applied.json.applicant.id, as.zhang.me.user.id);
	const again = await as.zhang.post(`${BASE}/contacts/${contact.id}/applications`, {});
	assert.equal(again.status, 409, again.text);
	assert.equal(again.json.error.code, 'application_pending');
	assert.equal(again.json.pendingId, applied.json.id);

	// Both approvers got the notice with 同意 / 驳回.
	const wangNotice = await noticeOf(as.wang, 'external-contacts.application', `开通${suffix}`);
	const adminNotice = await noticeOf(as.admin, 'external-contacts.application', `开通${suffix}`);
	assert.ok(wangNotice && adminNotice, 'both approvers are notified');
	assert.deepEqual(wangNotice.actions.map((a) => a.id), ['approve', 'reject']);
	assert.equal((await noticeOf(as.lina, 'external-contacts.application', `开通${suffix}`)), undefined, 'lina is no approver');
	const tab = await as.wang.get(`${BASE}/contacts/${contact.id}/account`);
	assert.equal(tab.json.mayDecide, true);
	assert.equal(tab.json.pendingApplication.id, applied.json.id);

	const approved = await as.wang.post(`/api/notifications/${wangNotice.id}/actions/approve`, {});
	assert.equal(approved.status, 200, approved.text);
	assert.equal(approved.json.application.status, 'approved');
	assert.equal(approved.json.application.decidedBy.id, as.wang.me.user.id);
	assert.equal(approved.json.account.login, `ext.${suffix}`);

	// The admin's notice is handled now; deciding anyway says who decided.
	const late = await as.admin.post(`${BASE}/applications/${applied.json.id}/reject`, { reason: '晚了' });
	assert.equal(late.status, 409, late.text);
	assert.equal(late.json.error.code, 'already_decided');
	assert.equal(late.json.decidedBy.id, as.wang.me.user.id);
	assert.equal(late.json.status, 'approved');
	assert.equal((await as.admin.post(`/api/notifications/${adminNotice.id}/actions/approve`, {})).status, 409);

	// The applicant is told and fetches the link for the contact.
	const told = await noticeOf(as.zhang, 'external-contacts.application-decided', `开通${suffix}`);
	assert.ok(told && told.body.includes(`ext.${suffix}`), JSON.stringify(told));
	const pending = await as.zhang.get(`${BASE}/contacts/${contact.id}/account`);
	assert.deepEqual(pending.json.account, { status: 'pending', login: `ext.${suffix}` });
	assert.equal(pending.json.mayApply, false);
	const link = await as.zhang.post(`${BASE}/contacts/${contact.id}/account/activation-link`, {});
	assert.equal(link.status, 200, link.text);
	assert.match(link.json.path, /^\/#\/activate\/[0-9a-f]{64}$/);
	const token = link.json.path.split('/').pop();
	const newer = await as.zhang.post(`${BASE}/contacts/${contact.id}/account/activation-link`, {});
	const newToken = newer.json.path.split('/').pop();
	const stranger = new Client(host.baseUrl);
	assert.equal((await stranger.post('/api/activation/check', { token })).status, 410, 'the older link stopped working');
	assert.equal((await stranger.post('/api/activation', { token: newToken, password: 'Tq8#vLm2!pZr' })).status, 204);
	const contactUser = await loggedIn(host.baseUrl, `ext.${suffix}`, 'Tq8#vLm2!pZr');
	assert.equal(contactUser.me.org.kind, 'external');
	assert.equal((await as.zhang.get(`${BASE}/contacts/${contact.id}/account`)).json.account.status, 'active');
	const done = await as.zhang.post(`${BASE}/contacts/${contact.id}/account/activation-link`, {});
	assert.equal(done.status, 409, done.text);
	assert.equal(done.json.error.code, 'no_pending_account');
	const exists = await as.zhang.post(`${BASE}/contacts/${contact.id}/applications`, {});
	assert.equal(exists.status, 409);
	assert.equal(exists.json.error.code, 'account_exists');
	// The external user cannot read contacts.
	assert.equal((await contactUser.get(`${BASE}/contacts/${contact.id}/account`)).status, 404);

	// R7.2: in the directory they see only their visible members (the adder by default)…
	const names = async (client, query = '') => (await client.get(`/api/directory/members?limit=100${query}`)).json.items.map((m) => m.id);
	assert.deepEqual(await names(contactUser), [as.zhang.me.user.id]);
	assert.deepEqual(await names(contactUser, '&q=lin'), []);
	const perms = await as.zhang.get(`${BASE}/contacts/${contact.id}/permissions`);
	assert.equal((await as.zhang.put(`${BASE}/contacts/${contact.id}/permissions`, {
		version: perms.json.version, visibleMembers: [as.zhang.me.user.id, as.lina.me.user.id], securityLevel: perms.json.securityLevel,
	})).status, 200);
	// …and whom the list adds, at once; members see the whole org.
	assert.deepEqual((await names(contactUser)).sort((a, b) => a - b), [as.zhang.me.user.id, as.lina.me.user.id].sort((a, b) => a - b));
	assert.deepEqual(await names(contactUser, '&q=lin'), [as.lina.me.user.id]);
	const memberView = await names(as.zhang);
	assert.ok(memberView.includes(as.wang.me.user.id) && memberView.includes(as.admin.me.user.id));

	// The history holds the steps, never the token.
	const history = await as.zhang.get(`${BASE}/contacts/${contact.id}/history`);
	const actions = history.json.items.map((e) => e.action);
	assert.deepEqual(actions.slice(0, 5), ['contact.permissions', 'account.link', 'account.link', 'account.approve', 'account.apply']);
	assert.ok(!history.text.includes(token) && !history.text.includes(newToken));

	// R6.6: deleting the contact disables its account; its session ends at once.
	assert.equal((await contactUser.get('/api/me')).status, 200);
	assert.equal((await as.zhang.del(`${BASE}/contacts/${contact.id}`)).status, 204);
	assert.equal((await contactUser.get('/api/me')).status, 401, 'the external user\'s session ended');
	const relogin = await new Client(host.baseUrl).request('POST', '/api/session', { login: `ext.${suffix}`, password: 'Tq8#vLm2!pZr' });
	assert.equal(relogin.status, 401, 'a disabled account cannot log in');
});

test('a rejection carries its reason; the applicant may apply again', async () => {
	const suffix = randomBytes(3).toString('hex');
	const contact = await newContact(suffix);
	const applied = await as.zhang.post(`${BASE}/contacts/${contact.id}/applications`, {});
	const long = await as.admin.post(`${BASE}/applications/${applied.json.id}/reject`, { reason: 'x'.repeat(501) });
	assert.equal(long.status, 400);
	assert.equal(long.json.error.field, 'reason');
	const rejected = await as.admin.post(`${BASE}/applications/${applied.json.id}/reject`, { reason: '资料不全' });
	assert.equal(rejected.status, 200, rejected.text);
	assert.equal(rejected.json.application.comment, '资料不全');
	assert.equal(rejected.json.account, undefined);
	const told = await noticeOf(as.zhang, 'external-contacts.application-decided', `开通${suffix}`);
	assert.ok(told.body.includes('资料不全'), told.body);
	const tab = await as.zhang.get(`${BASE}/contacts/${contact.id}/account`);
	assert.equal(tab.json.mayApply, true);
	assert.equal(tab.json.applications[0].status, 'rejected');
	assert.equal(tab.json.applications[0].decidedBy.id, as.admin.me.user.id);
	assert.equal((await as.zhang.post(`${BASE}/contacts/${contact.id}/applications`, { remark: '补充了资料' })).status, 201);
});

test('who may see the tab, apply and decide; bad input is named and writes nothing', async () => {
	const suffix = randomBytes(3).toString('hex');
	const contact = await newContact(suffix);
	assert.equal((await as.zhang.put(`${BASE}/contacts/${contact.id}/shares`, { members: [as.lina.me.user.id] })).status, 200);
	const url = `${BASE}/contacts/${contact.id}/account`;
	assert.equal((await as.lina.get(url)).status, 403, 'shared-with members do not see the tab');
	assert.equal((await as.lina.post(`${BASE}/contacts/${contact.id}/applications`, {})).status, 403);
	assert.equal((await as.chen.get(url)).status, 404);
	assert.equal((await new Client(host.baseUrl).get(url)).status, 401);
	assert.equal((await as.zhang.get(`${BASE}/contacts/99999999/account`)).status, 404);

	for (const [body, field, code] of [
		[{ remark: 'x'.repeat(501) }, 'remark', 'validation_failed'],
		[{ remark: 7 }, 'remark', 'validation_failed'],
		[{ remark: 'a\u0007b' }, 'remark', 'validation_failed'],
		[{ note: 'x' }, 'note', 'unknown_field'],
	]) {
		const r = await as.zhang.post(`${BASE}/contacts/${contact.id}/applications`, body);
		assert.equal(r.status, 400, r.text);
		assert.equal(r.json.error.code, code);
		assert.equal(r.json.error.field, field);
	}
	assert.deepEqual((await as.zhang.get(url)).json.applications, [], 'nothing was written');

	const applied = await as.zhang.post(`${BASE}/contacts/${contact.id}/applications`, { remark: '第一行\n第二行' });
	assert.equal(applied.status, 201, applied.text);
	const id = applied.json.id;
	// The adder is no approver; lina only looks; chenjie is of another org.
	assert.equal((await as.zhang.post(`${BASE}/applications/${id}/approve`, {})).status, 403);
	assert.equal((await as.lina.post(`${BASE}/applications/${id}/approve`, {})).status, 403);
	assert.equal((await as.chen.post(`${BASE}/applications/${id}/approve`, {})).status, 404);
	assert.equal((await as.wang.post(`${BASE}/applications/${id}/approve`, { extra: 1 })).status, 400);
	assert.equal((await as.wang.post(`${BASE}/applications/abc/approve`, {})).status, 404);
	assert.equal((await as.wang.post(`${BASE}/applications/99999999/approve`, {})).status, 404);
	assert.equal((await as.zhang.get(url)).json.pendingApplication.id, id, 'still pending');
	assert.equal((await as.zhang.post(`${BASE}/contacts/${contact.id}/account/activation-link`, {})).json.error.code, 'no_pending_account');
});

// Two approvers deciding different applications at the same moment each make
// an account: every approval succeeds (on MariaDB two account-creating
// transactions once deadlocked and one approver got a 500).
test('approvals of different applications at once all succeed, each with its own account', async () => {
	const rounds = 10;
	const pending = [];
	for (let i = 0; i < rounds * 2; ++i) {
		const suffix = `par${randomBytes(4).toString('hex')}`;
		const contact = await newContact(suffix);
		const applied = await as.zhang.post(`${BASE}/contacts/${contact.id}/applications`, { remark: '并发' });
		assert.equal(applied.status, 201, applied.text);
		pending.push(applied.json.id);
	}
	const logins = new Set();
	for (let round = 0; round < rounds; ++round) {
		const [a, b] = pending.slice(round * 2, round * 2 + 2);
		const answers = await Promise.all([
			as.admin.post(`${BASE}/applications/${a}/approve`, {}),
			as.wang.post(`${BASE}/applications/${b}/approve`, {}),
		]);
		for (const r of answers) {
			assert.equal(r.status, 200, r.text);
			assert.equal(r.json.application.status, 'approved');
			assert.equal(r.json.account.status, 'pending');
			logins.add(r.json.account.login);
		}
	}
	assert.equal(logins.size, rounds * 2, 'one account per application');
});
