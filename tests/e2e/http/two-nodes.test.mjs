// Two reference hosts on one MariaDB database (issue 7, EC_E2E_NODES=2): what
// one node does, the other sees. Sessions and CSRF tokens, notifications,
// invitation links (landing page, submission, use limit), rate limits (plugin
// and host) and the one-decision rule of account applications under a race of
// two approvers, one on each node. Requests go to a named node
// (host.nodes[0] = A, host.nodes[1] = B) unless a step says "through the
// proxy" (host.baseUrl, alternating). Skips unless EC_E2E_NODES=2 and
// EC_E2E_DB=mysql (ctest -R e2e_http_two_nodes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { startHost, e2eDb, e2eNodes, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
const SETTING = (key) => `plugin.external-contacts.${key}`;
const WINDOW_MS = 10 * 60 * 1000;
const RACE_ROUNDS = Number(process.env.EC_E2E_RACE_ROUNDS || 20);
const PASSWORD = 'Two-Nodes-Pass-2026!';

const enabled = e2eNodes() === 2 && e2eDb() === 'mysql';
const skip = enabled ? false : 'two-node checks run only with EC_E2E_NODES=2 and EC_E2E_DB=mysql (ctest -R e2e_http_two_nodes)';
if (skip) console.log(`# two-nodes.test.mjs skipped: ${skip}`);

let host;
let A;
let B;
const suffix = randomBytes(3).toString('hex');
let serial = 0;
const unique = (prefix) => `${prefix}${suffix}${++serial}`;

before(async () => {
	if (skip) return;
	host = await startHost({
		set: {
			// Fixed 10-minute windows: start the plugin clock one minute into a
			// window, so no window boundary resets a counter during the run.
			'clock.offsetMs': String(WINDOW_MS - (Date.now() % WINDOW_MS) + 60000),
			[SETTING('inviteLinksPerMemberPer10Minutes')]: '4',
			[SETTING('inviteSubmissionsPerAddressPer10Minutes')]: '1000',
			[SETTING('orgSearchesPerMemberPer10Minutes')]: '3',
			'login.maxFailuresPerLogin': '3',
			'login.failureWindowSeconds': '600',
		},
	});
	assert.equal(host.nodes.length, 2, 'two nodes');
	[A, B] = host.nodes.map((node) => node.baseUrl);
});

after(async () => {
	await host?.stop();
});

/** The same session (cookie and CSRF token) on another node. */
function on(client, baseUrl) {
	const other = new Client(baseUrl, { lang: client.lang });
	other.cookies = client.cookies; // shared: a cookie set by either node reaches both
	other.csrfToken = client.csrfToken;
	other.me = client.me;
	return other;
}

async function noticeOf(client, type, contains) {
	const r = await client.get('/api/notifications?limit=50');
	assert.equal(r.status, 200, r.text);
	return r.json.items.find((n) => n.type === type && n.body.includes(contains));
}

async function newContact(client, name, extra = {}) {
	const r = await client.post(`${BASE}/contacts`, { name, company: `两节点公司${suffix}`, ...extra });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function visit(baseUrl, pathname, { method = 'GET', body, headers = {} } = {}) {
	const response = await fetch(baseUrl + pathname, { method, headers, body, redirect: 'manual' });
	return { status: response.status, headers: response.headers, text: await response.text() };
}

/** POST the landing form as the page's own form does (Origin of the address used, urlencoded). */
function submit(baseUrl, token, fields) {
	return visit(baseUrl, `/invite/${token}`, {
		method: 'POST',
		body: new URLSearchParams(fields).toString(),
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: baseUrl },
	});
}

function mobile(i) {
	return `136${String(Date.now() % 10000).padStart(4, '0')}${String(i).padStart(4, '0')}`.slice(0, 11);
}

// ---------------------------------------------------------------- start-up

test('the proxy alternates per request and passes status, headers and Set-Cookie through', { skip }, async () => {
	const before = [...host.proxy.served];
	for (let i = 0; i < 4; i++) assert.equal((await fetch(`${host.baseUrl}/healthz`)).status, 200);
	assert.deepEqual(host.proxy.served.map((n, i) => n - before[i]), [2, 2], 'two requests per node');
	const client = new Client(host.baseUrl);
	const me = await client.login(DEMO.lina.login, DEMO.lina.password);
	assert.ok(client.cookies.get('rh_session'), 'the session cookie came through');
	assert.equal((await client.get('/api/me')).json.user.id, me.user.id, 'the next request (other node) knows the session');
	const missing = await client.get(`${BASE}/contacts/999999999`);
	assert.equal(missing.status, 404);
	assert.match(missing.headers.get('content-type') || '', /json/);
});

test('two nodes started at the same time on an empty database: one migrates and seeds, the other waits', { skip }, async () => {
	const sqlDir = (component) => readdirSync(path.join(process.env.EC_SOURCE_DIR, 'sql', component, 'mysql')).filter((f) => /^[0-9]{3,}_.*\.sql$/.test(f)).length;
	for (let round = 0; round < 3; round++) {
		const pair = await startHost({ together: true });
		try {
			const counts = Object.fromEntries(await pair.sql('SELECT component, COUNT(*) FROM schema_migrations GROUP BY component'));
			assert.deepEqual(counts, { host: String(sqlDir('host')), 'external-contacts': String(sqlDir('external-contacts')) });
			const [[orgs]] = await pair.sql(`SELECT COUNT(*) FROM orgs WHERE name IN ('${DEMO.org1.name}', '${DEMO.org2.name}')`);
			assert.equal(orgs, '2', 'the demo orgs once');
			const [[users]] = await pair.sql('SELECT COUNT(*) FROM users');
			assert.equal(users, '5', 'the demo logins once');
			for (const node of pair.nodes) {
				const client = await loggedIn(node.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
				assert.equal((await client.get(`${BASE}/contacts`)).status, 200, node.label);
			}
		} finally {
			await pair.stop();
		}
	}
});

// ---------------------------------------------------------------- sessions and CSRF

test('log in on A, use the session and its CSRF token on B; logging out on B ends it on A', { skip }, async () => {
	const onA = await loggedIn(A, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const onB = on(onA, B);
	const me = await onB.get('/api/me');
	assert.equal(me.status, 200, me.text);
	assert.equal(me.json.user.id, onA.me.user.id);
	assert.equal(me.json.csrfToken ?? onA.csrfToken, onA.csrfToken, 'one CSRF token for the session');

	// Unsafe requests on B: refused without the token or with a wrong one, accepted with A's.
	const name = unique('跨节点');
	assert.equal((await onB.post(`${BASE}/contacts`, { name }, { csrf: false })).status, 403);
	assert.equal((await onB.post(`${BASE}/contacts`, { name }, { csrf: 'f'.repeat(64) })).status, 403);
	const made = await onB.post(`${BASE}/contacts`, { name });
	assert.equal(made.status, 201, made.text);
	const seen = await onA.get(`${BASE}/contacts/${made.json.id}`);
	assert.equal(seen.status, 200, 'A reads what B wrote');
	assert.equal(seen.json.name, name);

	// Switching the org on B changes the session on A too (user with one org: refused the same on both).
	assert.equal((await onB.post('/api/me/org', { orgId: 999999 })).status, 404);

	// The session check alone (GET /api/session) on both nodes: nothing of it is cached per node.
	const checkA = await onA.get('/api/session');
	assert.equal(checkA.status, 200, checkA.text);
	assert.equal(checkA.json.userId, onA.me.user.id);
	assert.equal((await onB.get('/api/session')).status, 200);

	const cookie = onA.cookieHeader();
	const out = await onB.logout();
	assert.equal(out.status, 204, out.text);
	const after = await new Client(A).request('GET', '/api/me', undefined, { headers: { Cookie: cookie } });
	assert.equal(after.status, 401, 'the session is gone on A as well');
	const checkAfter = await new Client(A).request('GET', '/api/session', undefined, { headers: { Cookie: cookie } });
	assert.equal(checkAfter.status, 401, 'and its check refused on A at once');
});

test('login throttling counts failures on both nodes (3 per login: A, B, A → 429 on B, also for the right password)', { skip }, async () => {
	const login = `tn${suffix}`;
	const r = await host.nodes[0].cli(['user', 'create', `--login=${login}`, `--name=节点${suffix}`, `--org=${DEMO.org1.name}`, '--password-stdin'],
		{ input: `${PASSWORD}\n` });
	assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
	for (const node of [A, B, A]) {
		const failed = await new Client(node).post('/api/session', { login, password: 'Wrong-Password-2026!' });
		assert.equal(failed.status, 401, failed.text);
	}
	const limited = await new Client(B).post('/api/session', { login, password: PASSWORD });
	assert.equal(limited.status, 429, limited.text);
	assert.ok(Number(limited.headers.get('retry-after')) >= 1, 'Retry-After');
	assert.equal((await new Client(A).post('/api/session', { login, password: PASSWORD })).status, 429, 'and on A');
});

test('a verification code asked for on A: wrong tries counted on both nodes, confirmed on B, the address seen on A', { skip }, async () => {
	const linaA = await loggedIn(A, DEMO.lina.login, DEMO.lina.password);
	const linaB = on(linaA, B);
	const email = `lina.${suffix}@example.com`;
	const sent = await linaA.post('/api/me/contact-bindings', { channel: 'email', value: email });
	assert.equal(sent.status, 202, sent.text);
	const rows = await host.sql(`SELECT params_json FROM outbox WHERE recipient = '${email}' ORDER BY id DESC LIMIT 1`);
	const { code } = JSON.parse(rows[0][0]);
	const wrong = code === '000000' ? '000001' : '000000';
	const first = await linaB.post('/api/me/contact-bindings/confirm', { channel: 'email', code: wrong });
	assert.equal(first.status, 400, first.text);
	const second = await linaA.post('/api/me/contact-bindings/confirm', { channel: 'email', code: wrong });
	assert.equal(second.status, 400, second.text);
	assert.equal(second.json.error.attemptsLeft, first.json.error.attemptsLeft - 1, 'A counts the try made on B');
	const bound = await linaB.post('/api/me/contact-bindings/confirm', { channel: 'email', code });
	assert.equal(bound.status, 200, bound.text);
	assert.equal((await linaA.get('/api/me')).json.user.email, email);
	const again = await linaA.post('/api/me/contact-bindings/confirm', { channel: 'email', code });
	assert.equal(again.status, 410, 'the code is used up on A too');
});

// ---------------------------------------------------------------- notifications

test('a notification made by an action on A is listed, read and acted on from B; the other approver sees it handled on A', { skip }, async () => {
	const zhangA = await loggedIn(A, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const wangB = await loggedIn(B, DEMO.wangfang.login, DEMO.wangfang.password);
	const adminA = await loggedIn(A, DEMO.admin.login, DEMO.admin.password);
	const name = unique('通知');
	const contact = await newContact(zhangA, name, { email: `tn.${suffix}.${serial}@example.com` });
	const applied = await zhangA.post(`${BASE}/contacts/${contact.id}/applications`, { remark: '两节点' });
	assert.equal(applied.status, 201, applied.text);

	const unread = await wangB.get('/api/notifications/unread-count');
	assert.equal(unread.status, 200);
	assert.ok(unread.json.count >= 1, 'B counts the new notice');
	const notice = await noticeOf(wangB, 'external-contacts.application', name);
	assert.ok(notice, 'listed on B');
	assert.equal(notice.state, 'unread');
	assert.equal((await wangB.post(`/api/notifications/${notice.id}/read`, {})).status, 204);
	assert.equal((await noticeOf(on(wangB, A), 'external-contacts.application', name)).state, 'read', 'read on A too');

	const approved = await wangB.post(`/api/notifications/${notice.id}/actions/approve`, {});
	assert.equal(approved.status, 200, approved.text);
	assert.equal(approved.json.application.status, 'approved');
	const adminNotice = await noticeOf(adminA, 'external-contacts.application', name);
	assert.equal(adminNotice.state, 'handled', 'the admin\'s notice on A is handled');
	const late = await adminA.post(`/api/notifications/${adminNotice.id}/actions/reject`, {});
	assert.equal(late.status, 409, late.text);
	// The applicant hears of the decision on either node.
	const told = (await zhangA.get('/api/notifications?limit=50')).json.items.filter((n) => n.body.includes(name));
	assert.ok(told.length >= 1, 'the applicant is told');
	assert.deepEqual((await on(zhangA, B).get('/api/notifications?limit=50')).json.items.filter((n) => n.body.includes(name)).map((n) => n.id),
		told.map((n) => n.id), 'the same notices on B');
});

// ---------------------------------------------------------------- invitations

test('an invitation made on A: landing page and submission on B, use limit counted across nodes', { skip }, async () => {
	const zhangA = await loggedIn(A, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const made = await zhangA.post(`${BASE}/invitations`, { maxUses: 2 });
	assert.equal(made.status, 201, made.text);
	const { token } = made.json;
	assert.equal(made.json.url, `${A}/invite/${token}`, 'the link names the address the creator used');

	const page = await visit(B, `/invite/${token}`);
	assert.equal(page.status, 200, page.text.slice(0, 300));
	assert.match(page.text, /<form/);
	const names = [unique('邀请B'), unique('邀请A'), unique('邀请B')];
	assert.equal((await submit(B, token, { name: names[0], mobile: mobile(1) })).status, 200, 'first use on B');
	assert.equal((await submit(A, token, { name: names[1], mobile: mobile(2) })).status, 200, 'second use on A');
	const third = await submit(B, token, { name: names[2], mobile: mobile(3) });
	assert.equal(third.status, 410, 'the limit of 2 holds across nodes');
	assert.equal((await visit(A, `/invite/${token}`)).status, 410, 'A shows the link used up');

	const onB = on(zhangA, B);
	const listed = (await onB.get(`${BASE}/invitations?limit=100`)).json.items.find((i) => i.id === made.json.invitation.id);
	assert.equal(listed.uses, 2);
	assert.equal(listed.state, 'used_up');
	for (const name of names.slice(0, 2)) {
		const found = await onB.get(`${BASE}/contacts?scope=mine&source=wechat_invite&q=${encodeURIComponent(name)}`);
		assert.equal(found.json.items.length, 1, `${name} joined`);
	}
	assert.equal((await onB.get(`${BASE}/contacts?scope=mine&q=${encodeURIComponent(names[2])}`)).json.items.length, 0);
});

test('use limit under concurrency through the proxy: 24 submissions alternating between nodes on a link of 3 → 3 × 200', { skip }, async () => {
	const zhang = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const made = await zhang.post(`${BASE}/invitations`, { maxUses: 3 });
	assert.equal(made.status, 201, made.text);
	const prefix = unique('并发');
	const answers = await Promise.all(Array.from({ length: 24 }, (_, i) =>
		submit(i % 2 ? B : A, made.json.token, { name: `${prefix}-${i}`, mobile: mobile(100 + i) })));
	const tally = answers.reduce((m, a) => ({ ...m, [a.status]: (m[a.status] || 0) + 1 }), {});
	assert.deepEqual(tally, { 200: 3, 410: 21 }, JSON.stringify(tally));
	const contacts = await zhang.get(`${BASE}/contacts?scope=mine&source=wechat_invite&limit=100&q=${encodeURIComponent(prefix)}`);
	assert.equal(contacts.json.items.length, 3, 'one contact per counted use');
});

// ---------------------------------------------------------------- rate limits

test('the invitation rate limit (4 per member per 10 minutes) counts links made on both nodes', { skip }, async () => {
	const linaA = await loggedIn(A, DEMO.lina.login, DEMO.lina.password);
	const linaB = on(linaA, B);
	for (const client of [linaA, linaB, linaA, linaB]) {
		const r = await client.post(`${BASE}/invitations`, { ttlHours: 1 });
		assert.equal(r.status, 201, r.text);
	}
	for (const client of [linaA, linaB]) {
		const r = await client.post(`${BASE}/invitations`, { ttlHours: 1 });
		assert.equal(r.status, 429, r.text);
		assert.equal(r.json.error.code, 'rate_limited');
	}
	assert.equal((await linaB.get(`${BASE}/invitations?limit=100`)).json.items.length, 4);
});

test('the org search rate limit (3 per member per 10 minutes) counts searches on both nodes', { skip }, async () => {
	const chenA = await loggedIn(A, DEMO.chenjie.login, DEMO.chenjie.password);
	const chenB = on(chenA, B);
	const search = (client) => client.get(`${BASE}/directory/search?orgName=${encodeURIComponent(DEMO.org1.name)}&q=${encodeURIComponent('张')}`);
	for (const client of [chenA, chenB, chenA]) assert.equal((await search(client)).status, 200);
	const limited = await search(chenB);
	assert.equal(limited.status, 429, limited.text);
	assert.equal(limited.json.error.code, 'rate_limited');
	assert.equal((await search(chenA)).status, 429, 'and on A');
});

// ---------------------------------------------------------------- the approval race

test(`approval race across nodes: ${RACE_ROUNDS} rounds of two approvers deciding at once, one per node → exactly one decision`, { skip }, async (t) => {
	const applicant = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const admin = { A: await loggedIn(A, DEMO.admin.login, DEMO.admin.password) };
	admin.B = on(admin.A, B);
	const wang = { B: await loggedIn(B, DEMO.wangfang.login, DEMO.wangfang.password) };
	wang.A = on(wang.B, A);
	const ids = { admin: admin.A.me.user.id, wang: wang.B.me.user.id };
	// Who decides how, where, and through which route, by round.
	const plans = [
		{ admin: ['A', 'approve'], wang: ['B', 'reject'] },
		{ admin: ['B', 'reject'], wang: ['A', 'approve'] },
		{ admin: ['A', 'approve'], wang: ['B', 'approve'] },
		{ admin: ['B', 'approve'], wang: ['A', 'approve'], viaNotice: true },
		{ admin: ['A', 'reject'], wang: ['B', 'approve'], viaNotice: true },
	];
	const outcomes = {};
	for (let round = 0; round < RACE_ROUNDS; round++) {
		const plan = plans[round % plans.length];
		const name = unique('竞态');
		const email = `race.${suffix}.${round}@example.com`;
		const contact = await newContact(applicant, name, { email });
		const applied = await applicant.post(`${BASE}/contacts/${contact.id}/applications`, { remark: `第${round}轮` });
		assert.equal(applied.status, 201, applied.text);
		const appId = applied.json.id;
		const calls = {};
		for (const who of ['admin', 'wang']) {
			const [node, decision] = plan[who];
			const client = (who === 'admin' ? admin : wang)[node];
			const body = decision === 'approve' ? {} : { reason: `第${round}轮驳回` };
			if (plan.viaNotice) {
				const notice = await noticeOf(client, 'external-contacts.application', name);
				assert.ok(notice, `${who} is notified`);
				calls[who] = () => client.post(`/api/notifications/${notice.id}/actions/${decision}`, body);
			} else {
				calls[who] = () => client.post(`${BASE}/applications/${appId}/${decision}`, body);
			}
		}
		// Who is sent first changes every pass through the plans.
		const wangFirst = Math.floor(round / plans.length) % 2 === 1;
		const [a, w] = wangFirst
			? await Promise.all([calls.wang(), calls.admin()]).then(([x, y]) => [y, x])
			: await Promise.all([calls.admin(), calls.wang()]);
		const answers = { admin: a, wang: w };
		const winners = Object.keys(answers).filter((who) => answers[who].status === 200);
		const detail = `round ${round} ${JSON.stringify(plan)}: admin ${a.status} ${a.text.slice(0, 200)} | wang ${w.status} ${w.text.slice(0, 200)}`;
		assert.equal(winners.length, 1, `exactly one decision wins: ${detail}`);
		const winner = winners[0];
		const loser = winner === 'admin' ? 'wang' : 'admin';
		assert.equal(answers[loser].status, 409, detail);
		if (!plan.viaNotice) {
			assert.equal(answers[loser].json.error.code, 'already_decided', detail);
			assert.equal(answers[loser].json.decidedBy.id, ids[winner], detail);
		}
		const decision = plan[winner][1];
		const status = decision === 'approve' ? 'approved' : 'rejected';
		assert.equal(answers[winner].json.application.status, status, detail);

		// What is stored: one decided application by the winner, an account only when approved.
		const tab = await applicant.get(`${BASE}/contacts/${contact.id}/account`);
		assert.equal(tab.status, 200, tab.text);
		assert.equal(tab.json.pendingApplication, null, detail);
		assert.equal(tab.json.applications.length, 1, detail);
		assert.equal(tab.json.applications[0].status, status, detail);
		assert.equal(tab.json.applications[0].decidedBy.id, ids[winner], detail);
		assert.equal(tab.json.account === null, status === 'rejected', detail);
		if (tab.json.account) assert.equal(tab.json.account.login, `race.${suffix}.${round}`, detail);
		const [[decided, deciders]] = await host.sql(
			`SELECT COUNT(*), COUNT(DISTINCT decided_by) FROM ec_account_applications WHERE contact_id = ${Number(contact.id)} AND status <> 'pending'`);
		assert.deepEqual([decided, deciders], ['1', '1'], detail);
		const [[accounts]] = await host.sql(`SELECT COUNT(*) FROM ec_contact_accounts WHERE contact_id = ${Number(contact.id)}`);
		const [[users]] = await host.sql(`SELECT COUNT(*) FROM users WHERE login = 'race.${suffix}.${round}'`);
		const expected = status === 'approved' ? '1' : '0';
		assert.deepEqual([accounts, users], [expected, expected], `at most one account: ${detail}`);
		const key = `${winner}@${plan[winner][0]} ${status}${plan.viaNotice ? ' (notice)' : ''}`;
		outcomes[key] = (outcomes[key] || 0) + 1;
	}
	t.diagnostic(`race outcomes over ${RACE_ROUNDS} rounds: ${JSON.stringify(outcomes)}`);
	console.log(`# approval race across nodes, ${RACE_ROUNDS} rounds: ${JSON.stringify(outcomes)}`);
});
