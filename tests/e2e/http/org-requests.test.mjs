// 从其他组织添加 over HTTP (R5) against a real host: the search needs the
// org's name and a name, mobile or email, answers masked results, hides who
// turned discoverability off and is rate-limited; a request is refused for
// oneself, one's own org, non-members and twice; the person accepts from the
// notification and becomes the requester's contact (source other_org) and an
// external user of the requester's org; decline and cancel make nothing; an
// accept racing a cancel ends in one state; deleting the contact ends the
// external membership. The incoming box names who asks and is open to the
// person in an org where they are an external user. A request asks only
// whom the caller's own search found (issue 14): as the dialog does, each
// request here follows a search (with two nodes, on the other node).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
const PASSWORD = 'Org-Request-2026!';
const WINDOW_MS = 10 * 60 * 1000;
let host;
let strict; // a host with a low search limit
let as;
const suffix = randomBytes(3).toString('hex');

async function person(target, login, name) {
	const r = await target.cli(['user', 'create', `--login=${login}`, `--name=${name}`, `--org=${DEMO.org2.name}`,
		'--password-stdin'], { input: `${PASSWORD}\n` });
	assert.equal(r.code, 0, `user create: ${r.stdout}${r.stderr}`);
	return loggedIn(target.baseUrl, login, PASSWORD);
}

before(async () => {
	[host, strict] = await Promise.all([
		// Room for the searches and requests below (abuse.test.mjs hits the limits).
		startHost({ set: { 'plugin.external-contacts.orgSearchesPerMemberPer10Minutes': '200',
			'plugin.external-contacts.orgRequestsPerMemberPerHour': '200' } }),
		startHost({
			set: {
				'clock.offsetMs': String(WINDOW_MS - (Date.now() % WINDOW_MS) + 60000),
				'plugin.external-contacts.orgSearchesPerMemberPer10Minutes': '3',
			},
		}),
	]);
	as = {
		zhang: await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password),
		lina: await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password),
		chen: await loggedIn(host.baseUrl, DEMO.chenjie.login, DEMO.chenjie.password),
	};
	as.hidden = await person(host, `hide${suffix}`, `隐身${suffix}`);
	as.decliner = await person(host, `decl${suffix}`, `拒绝者${suffix}`);
});

after(async () => {
	await Promise.all([host?.stop(), strict?.stop()]);
});

const search = (client, orgName, q) =>
	client.get(`${BASE}/directory/search?orgName=${encodeURIComponent(orgName)}&q=${encodeURIComponent(q)}`);

// As the dialog does it: a search that finds the person, then the request.
async function ask(client, userId, name) {
	const found = await search(client, DEMO.org2.name, name);
	assert.equal(found.status, 200, found.text);
	assert.ok(found.json.items.some((i) => i.userId === userId), `the search finds ${name}: ${found.text}`);
	return client.post(`${BASE}/org-requests`, { orgId: found.json.org.id, userId });
}

async function noticeOf(client, type, contains) {
	const r = await client.get('/api/notifications?limit=50');
	assert.equal(r.status, 200, r.text);
	return r.json.items.find((n) => n.type === type && n.body.includes(contains));
}

test('search: both fields required, own org refused, masked answers, unknown org, who may search', async () => {
	for (const [orgName, q, field] of [['', '陈', 'orgName'], [DEMO.org2.name, '', 'q'], [DEMO.org2.name, '  ', 'q'],
		[DEMO.org1.name, '张', 'orgName'], [DEMO.org2.name, 'x'.repeat(65), 'q'], ['组'.repeat(101), '陈', 'orgName']]) {
		const r = await search(as.zhang, orgName, q);
		assert.equal(r.status, 400, `${orgName}/${q}: ${r.text}`);
		assert.equal(r.json.error.field, field);
	}
	const found = await search(as.zhang, DEMO.org2.name, '陈');
	assert.equal(found.status, 200, found.text);
	assert.equal(found.json.org.name, DEMO.org2.name);
	const chen = found.json.items.find((i) => i.userId === as.chen.me.user.id);
	assert.ok(chen, JSON.stringify(found.json));
	assert.deepEqual(Object.keys(chen).sort(), ['displayName', 'emailMasked', 'mobileMasked', 'title', 'userId']);
	assert.equal(chen.displayName, '陈杰');
	const unknown = await search(as.zhang, `没有的组织${suffix}`, '陈');
	assert.equal(unknown.status, 200);
	assert.deepEqual(unknown.json, { org: null, items: [] });
	assert.equal((await new Client(host.baseUrl).get(`${BASE}/directory/search?orgName=x&q=y`)).status, 401);
});

test('search: a member who turned discoverability off is not found', async () => {
	const name = `隐身${suffix}`;
	assert.equal((await search(as.zhang, DEMO.org2.name, name)).json.items.length, 1);
	const off = await as.hidden.put('/api/me/profile', { displayName: name, discoverable: false });
	assert.equal(off.status, 200, off.text);
	assert.deepEqual((await search(as.zhang, DEMO.org2.name, name)).json.items, []);
	const on = await as.hidden.put('/api/me/profile', { displayName: name, discoverable: true });
	assert.equal(on.status, 200, on.text);
	assert.equal((await search(as.zhang, DEMO.org2.name, name)).json.items.length, 1);
});

test('search: rate-limited per member (429 + Retry-After); refused input does not count', async () => {
	const zhang = await loggedIn(strict.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	for (let i = 0; i < 4; i++) assert.equal((await search(zhang, '', '陈')).status, 400);
	for (let i = 0; i < 3; i++) assert.equal((await search(zhang, DEMO.org2.name, '陈')).status, 200);
	const limited = await search(zhang, DEMO.org2.name, '陈');
	assert.equal(limited.status, 429, limited.text);
	assert.equal(limited.json.error.code, 'rate_limited');
	const seconds = Number(limited.headers.get('retry-after'));
	assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= 600, `Retry-After ${seconds}`);
	const lina = await loggedIn(strict.baseUrl, DEMO.lina.login, DEMO.lina.password);
	assert.equal((await search(lina, DEMO.org2.name, '陈')).status, 200, 'each member has their own budget');
});

test('request, accept from the notification: the contact (其他组织) and the external membership', async () => {
	const chenId = as.chen.me.user.id;
	const org2 = (await search(as.zhang, DEMO.org2.name, '陈')).json.org.id;
	const refusals = new Set();
	for (const [body, field] of [[{ orgId: as.zhang.me.org.id, userId: chenId }, 'orgId'],
		[{ orgId: org2, userId: as.zhang.me.user.id }, 'userId'], [{ orgId: org2, userId: as.lina.me.user.id }, 'userId'],
		[{ orgId: org2, userId: 987654 }, 'userId'], [{ orgId: org2 }, 'userId'], [{ userId: chenId }, 'orgId'],
		[{ orgId: org2, userId: '5' }, 'userId'], [{ orgId: org2, userId: chenId, note: 'x' }, 'note']]) {
		const r = await as.zhang.post(`${BASE}/org-requests`, body);
		assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
		assert.equal(r.json.error.field, field);
		if (field === 'userId' && Number.isInteger(body.userId)) refusals.add(r.text);
	}
	// Oneself, a member of another org and nobody: one answer (issue 14).
	assert.equal(refusals.size, 1, [...refusals].join('\n'));
	const made = await as.zhang.post(`${BASE}/org-requests`, { orgId: org2, userId: chenId });
	assert.equal(made.status, 201, made.text);
	assert.equal(made.json.status, 'pending');
	assert.equal(made.json.target.orgName, DEMO.org2.name);
	assert.equal(made.json.expiresAt - made.json.createdAt, 14 * 24 * 3600 * 1000);
	const twice = await as.zhang.post(`${BASE}/org-requests`, { orgId: org2, userId: chenId });
	assert.equal(twice.status, 409);
	assert.equal(twice.json.error.code, 'request_pending');
	assert.equal(twice.json.pendingId, made.json.id);
	// Only the person answers.
	assert.equal((await as.lina.post(`${BASE}/org-requests/${made.json.id}/accept`, {})).status, 404);
	assert.equal((await as.zhang.post(`${BASE}/org-requests/${made.json.id}/accept`, {})).status, 404);
	const incoming = await as.chen.get(`${BASE}/org-requests?box=incoming`);
	assert.equal(incoming.json.items[0].id, made.json.id);
	const notice = await noticeOf(as.chen, 'external_contacts.org_request', '张伟');
	assert.ok(notice, 'the person is notified');
	assert.equal(notice.title, '外部联系人申请');
	assert.deepEqual(notice.actions.map((a) => a.id), ['accept', 'decline']);
	const accepted = await as.chen.post(`/api/notifications/${notice.id}/actions/accept`, {});
	assert.equal(accepted.status, 200, accepted.text);
	const mine = await as.zhang.get(`${BASE}/org-requests?box=outgoing`);
	const settled = mine.json.items.find((r) => r.id === made.json.id);
	assert.equal(settled.status, 'accepted');
	const contact = await as.zhang.get(`${BASE}/contacts/${settled.contactId}`);
	assert.equal(contact.status, 200, contact.text);
	assert.equal(contact.json.source, 'other_org');
	assert.equal(contact.json.name, '陈杰');
	assert.equal(contact.json.company, DEMO.org2.name);
	assert.ok(await noticeOf(as.zhang, 'external_contacts.org_request_outcome', '陈杰'), 'the requester is told');
	// The person now has the requester's org, as an external user.
	const me = await as.chen.get('/api/me');
	const org1 = me.json.orgs.find((o) => o.name === DEMO.org1.name);
	assert.ok(org1, JSON.stringify(me.json.orgs));
	assert.equal(org1.kind, 'external');
	// A further request is refused: the person already is a contact.
	const again = await ask(as.lina, chenId, '陈杰');
	assert.equal(again.status, 409);
	assert.equal(again.json.error.code, 'already_contact');
	assert.equal(again.json.contactId, null, 'lina may not see zhangwei\'s contact');
	// The contact follows the person's own profile.
	const renamed = await as.chen.put('/api/me/profile', { displayName: '陈杰（远山）', title: '销售总监' });
	assert.equal(renamed.status, 200, renamed.text);
	const followed = await as.zhang.get(`${BASE}/contacts/${settled.contactId}`);
	assert.equal(followed.json.name, '陈杰（远山）');
	assert.equal(followed.json.title, '销售总监');
	assert.equal(followed.json.version, contact.json.version + 1);
	const history = await as.zhang.get(`${BASE}/contacts/${settled.contactId}/history`);
	assert.equal(history.json.items[0].action, 'contact.update');
	assert.equal(history.json.items[0].actor.id, chenId);
	assert.equal((await as.chen.put('/api/me/profile', { displayName: '陈杰', title: '' })).status, 200);
	// Deleting the contact ends the external membership.
	assert.equal((await as.zhang.del(`${BASE}/contacts/${settled.contactId}`)).status, 204);
	const after = await as.chen.get('/api/me');
	assert.equal(after.json.orgs.find((o) => o.name === DEMO.org1.name), undefined, JSON.stringify(after.json.orgs));
});

test('decline and cancel make no membership; a settled request answers 409', async () => {
	const target = as.decliner.me.user.id;
	const org2 = as.decliner.me.org.id;
	const first = await ask(as.lina, target, `拒绝者${suffix}`);
	assert.equal(first.status, 201, first.text);
	const declined = await as.decliner.post(`${BASE}/org-requests/${first.json.id}/decline`, {});
	assert.equal(declined.status, 200, declined.text);
	assert.equal(declined.json.status, 'declined');
	const late = await as.decliner.post(`${BASE}/org-requests/${first.json.id}/accept`, {});
	assert.equal(late.status, 409);
	assert.equal(late.json.error.code, 'request_settled');
	assert.equal(late.json.status, 'declined');
	const second = await ask(as.lina, target, `拒绝者${suffix}`);
	assert.equal(second.status, 201, 'a declined request may be asked again');
	assert.equal((await as.decliner.post(`${BASE}/org-requests/${second.json.id}/cancel`, {})).status, 404, 'only the requester cancels');
	const cancelled = await as.lina.post(`${BASE}/org-requests/${second.json.id}/cancel`, {});
	assert.equal(cancelled.status, 200, cancelled.text);
	assert.equal((await as.decliner.post(`${BASE}/org-requests/${second.json.id}/accept`, {})).json.status, 'cancelled');
	const me = await as.decliner.get('/api/me');
	assert.deepEqual(me.json.orgs.map((o) => o.kind), ['member']);
	const list = await as.lina.get(`${BASE}/org-requests?box=outgoing`);
	assert.deepEqual(list.json.items.slice(0, 2).map((r) => r.status), ['cancelled', 'declined']);
	for (const bad of ['?box=sideways', '?limit=0', '?limit=101', '?cursor=x']) {
		assert.equal((await as.lina.get(`${BASE}/org-requests${bad}`)).status, 400, bad);
	}
});

test('the incoming box names who asks and is open to the person as an external user; bad input is refused', async () => {
	const asked = await person(host, `inbox${suffix}`, `收件人${suffix}`);
	const made = await ask(as.zhang, asked.me.user.id, `收件人${suffix}`);
	assert.equal(made.status, 201, made.text);
	const box = await asked.get(`${BASE}/org-requests?box=incoming&limit=1`);
	assert.equal(box.status, 200, box.text);
	assert.equal(box.json.items.length, 1);
	const item = box.json.items[0];
	assert.equal(item.id, made.json.id);
	assert.deepEqual(item.requester, { userId: as.zhang.me.user.id, displayName: '张伟', orgId: as.zhang.me.org.id, orgName: DEMO.org1.name });
	assert.equal(item.status, 'pending');
	assert.equal(box.json.nextCursor, null);
	// The requester's own list does not carry it (it names the target instead).
	const outgoing = await as.zhang.get(`${BASE}/org-requests?box=outgoing&limit=1`);
	assert.equal(outgoing.json.items[0].requester, undefined);
	assert.equal((await asked.post(`${BASE}/org-requests/${made.json.id}/accept`, {})).status, 200);

	// In 星河科技 the person is an external user: the incoming box and the answers are theirs there too.
	const switched = await asked.post('/api/me/org', { orgId: as.zhang.me.org.id });
	assert.equal(switched.status, 200, switched.text);
	assert.equal((await asked.get('/api/me')).json.org.kind, 'external');
	const there = await asked.get(`${BASE}/org-requests?box=incoming`);
	assert.equal(there.status, 200, there.text);
	assert.equal(there.json.items[0].id, made.json.id);
	assert.equal(there.json.items[0].status, 'accepted');
	const again = await asked.post(`${BASE}/org-requests/${made.json.id}/decline`, {});
	assert.equal(again.status, 409, again.text);
	assert.equal(again.json.error.code, 'request_settled');
	assert.equal((await asked.post(`${BASE}/org-requests/987654321/accept`, {})).status, 404);
	// Their own requests, sending and cancelling stay with members.
	assert.equal((await asked.get(`${BASE}/org-requests?box=outgoing`)).status, 404);
	assert.equal((await asked.get(`${BASE}/org-requests`)).status, 404);
	assert.equal((await asked.post(`${BASE}/org-requests/${made.json.id}/cancel`, {})).status, 404);
	for (const [bad, field] of [['?box=sideways', 'box'], ['?box=incoming&limit=0', 'limit'], ['?box=incoming&limit=101', 'limit'],
		['?box=incoming&cursor=x', 'cursor'], ['?box=incoming&cursor=-1', 'cursor']]) {
		const r = await asked.get(`${BASE}/org-requests${bad}`);
		assert.equal(r.status, 400, `${bad}: ${r.text}`);
		assert.equal(r.json.error.field, field, bad);
	}
	assert.equal((await new Client(host.baseUrl).get(`${BASE}/org-requests?box=incoming`)).status, 401);
	assert.equal((await new Client(host.baseUrl).post(`${BASE}/org-requests/${made.json.id}/decline`, {})).status, 401);
});

test('an accept racing a cancel ends in one state, with the membership only when accepted', async () => {
	for (let round = 0; round < 6; round++) {
		const target = await person(host, `race${round}${suffix}`, `竞速${round}${suffix}`);
		const made = await ask(as.zhang, target.me.user.id, `竞速${round}${suffix}`);
		assert.equal(made.status, 201, made.text);
		const [accept, cancel] = await Promise.all([
			target.post(`${BASE}/org-requests/${made.json.id}/accept`, {}),
			as.zhang.post(`${BASE}/org-requests/${made.json.id}/cancel`, {}),
		]);
		assert.deepEqual([accept.status, cancel.status].sort(), [200, 409], `round ${round}: ${accept.text} ${cancel.text}`);
		const me = await target.get('/api/me');
		const external = me.json.orgs.some((o) => o.kind === 'external');
		assert.equal(external, accept.status === 200, `round ${round}`);
	}
});

test('the person leaving the org (an admin removes the external user) unlinks the contact; they may be asked again', async () => {
	const admin = await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password);
	const target = await person(host, `leave${suffix}`, `离开者${suffix}`);
	const made = await ask(as.zhang, target.me.user.id, `离开者${suffix}`);
	assert.equal(made.status, 201, made.text);
	const accepted = await target.post(`${BASE}/org-requests/${made.json.id}/accept`, {});
	assert.equal(accepted.status, 200, accepted.text);
	assert.ok((await target.get('/api/me')).json.orgs.some((o) => o.kind === 'external'));
	const removed = await admin.del(`/api/admin/members/${target.me.user.id}`);
	assert.equal(removed.status, 204, removed.text);
	assert.ok(!(await target.get('/api/me')).json.orgs.some((o) => o.kind === 'external'));
	// The contact stays with its history; the person is no longer linked to it.
	assert.equal((await as.zhang.get(`${BASE}/contacts/${accepted.json.contactId}`)).status, 200);
	const again = await ask(as.zhang, target.me.user.id, `离开者${suffix}`);
	assert.equal(again.status, 201, again.text);
});
