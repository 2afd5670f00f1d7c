// The demo contacts of `make run` (plugin setting demoContacts, on top of the
// host's --seed-demo): about sixty external contacts of 星河科技 over eight
// companies and 未分组, shared and with varied permissions, accounts in every
// state, an application log, invitations, 从其他组织添加 requests, group
// maintainers and the demo external login. Seeded once: a restart (and, with
// EC_E2E_NODES=2, two nodes starting together on one database) makes nothing
// twice; a database whose demo org already has contacts, or without the demo
// org, gets nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
const DEMO_CONTACTS = { 'plugin.external-contacts.demoContacts': 'true' };
const EXTERNAL = { login: 'emily.chen', password: 'Demo-External-2026!' };
const TOTAL = 60;
let host;
let as;

async function logIn() {
	as = {
		admin: await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password),
		zhang: await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password),
		lina: await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password),
		wang: await loggedIn(host.baseUrl, DEMO.wangfang.login, DEMO.wangfang.password),
		chen: await loggedIn(host.baseUrl, DEMO.chenjie.login, DEMO.chenjie.password),
	};
}

before(async () => {
	// Two nodes (EC_E2E_NODES=2) start at the same moment: the seed's lock is what keeps it single.
	host = await startHost({ set: DEMO_CONTACTS, together: true });
	await logIn();
});

after(async () => {
	await host?.stop();
});

/** Every contact of `scope` for `who`, page by page. */
async function allContacts(who, scope = 'all') {
	const items = [];
	let cursor = '';
	for (;;) {
		const page = await who.get(`${BASE}/contacts?scope=${scope}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		assert.equal(page.status, 200, page.text);
		items.push(...page.json.items);
		if (!page.json.nextCursor) return items;
		cursor = page.json.nextCursor;
	}
}

const byName = (items, name) => {
	const found = items.find((c) => c.name === name);
	assert.ok(found, `${name} is listed`);
	return found;
};

/** What a restart must not change. */
async function snapshot() {
	const contacts = await allContacts(as.wang);
	const groups = await as.wang.get(`${BASE}/groups?scope=all`);
	const log = await as.admin.get(`${BASE}/admin/applications?limit=100`);
	const invZhang = await as.zhang.get(`${BASE}/invitations`);
	const invLina = await as.lina.get(`${BASE}/invitations`);
	const incoming = await as.zhang.get(`${BASE}/org-requests?box=incoming`);
	const maintainers = await as.admin.get(`${BASE}/admin/group-maintainers`);
	return {
		contacts: contacts.map((c) => c.id).sort((a, b) => a - b),
		groups: groups.json.items,
		applications: log.json.items.map((a) => `${a.id}:${a.status}`),
		invitations: [...invZhang.json.items, ...invLina.json.items].map((i) => `${i.id}:${i.uses}`),
		incoming: incoming.json.items.map((r) => `${r.id}:${r.status}`),
		maintainers: maintainers.json.items,
	};
}

test('the whole-org view: about sixty contacts over eight companies and 未分组, Chinese and Latin names', async () => {
	const contacts = await allContacts(as.wang);
	assert.equal(contacts.length, TOTAL, 'seeded exactly once');
	const groups = await as.wang.get(`${BASE}/groups?scope=all`);
	assert.equal(groups.status, 200, groups.text);
	assert.equal(groups.json.total, TOTAL);
	const named = groups.json.items.filter((g) => g.name !== null);
	assert.ok(named.length >= 8, `${named.length} companies`);
	const ungrouped = groups.json.items.at(-1);
	assert.equal(ungrouped.name, null, '未分组 is there, last');
	assert.ok(ungrouped.count >= 5);
	for (const name of ['李静', '周杰', '林嘉怡', 'Hans Müller', 'Emily Chen', 'Jürgen Weber', '吴晓峰', '陈杰']) byName(contacts, name);
	const li = byName(contacts, '李静');
	assert.match(li.mobile, /^13800138\d{3}$/);
	assert.match(li.email, /@example\.cn$/);
	assert.equal(li.company, '北京云杉信息技术有限公司');
	assert.equal(li.title, '产品总监');
	assert.equal(li.department, '产品部');
	const adders = new Set(contacts.map((c) => c.addedBy.displayName));
	for (const name of ['管理员', '张伟', '李娜', '王芳']) assert.ok(adders.has(name), `${name} added some`);
	// The admin's whole-org view is the same.
	assert.equal((await allContacts(as.admin)).length, TOTAL);
	// Search finds them like any contact (tokens written by the service).
	const search = await as.wang.get(`${BASE}/contacts?scope=all&q=${encodeURIComponent('müller')}`);
	assert.deepEqual(search.json.items.map((c) => c.name), ['Hans Müller']);
	const company = await as.wang.get(`${BASE}/groups?scope=all&q=${encodeURIComponent('蓝鲸')}`);
	assert.deepEqual(company.json.items, [{ name: '上海蓝鲸物流有限公司', count: 7 }]);
});

test('shared contacts are in their colleagues\' lists; permission settings vary', async () => {
	const zhangMine = await allContacts(as.zhang, 'mine');
	const linaMine = await allContacts(as.lina, 'mine');
	byName(zhangMine, '周杰'); // lina's, shared with zhangwei
	const li = byName(linaMine, '李静'); // zhangwei's, shared with lina
	assert.equal(li.addedBy.displayName, '张伟');
	const shares = await as.lina.get(`${BASE}/contacts/${li.id}/shares`);
	assert.deepEqual(shares.json.members.map((m) => m.displayName), ['李娜']);
	assert.ok(!zhangMine.some((c) => c.name === '刘畅'), 'wangfang\'s unshared contact is not zhangwei\'s');

	const all = await allContacts(as.admin);
	const levels = new Set();
	let widened = 0;
	for (const c of all) {
		const full = await as.admin.get(`${BASE}/contacts/${c.id}`);
		assert.equal(full.status, 200, full.text);
		levels.add(full.json.securityLevel);
		if (full.json.visibleMembers.length > 1) widened += 1;
	}
	assert.ok(levels.size >= 3, `security levels ${[...levels]}`);
	assert.ok(widened >= 4, `${widened} contacts with more than one visible member`);
	const ceo = await as.admin.get(`${BASE}/contacts/${byName(all, '郑国强').id}/permissions`);
	assert.equal(ceo.json.securityLevel, -10);
	assert.deepEqual(ceo.json.visibleMembers.map((m) => m.displayName), ['管理员', '王芳']);
});

test('accounts: pending application, rejected, waiting for activation, active, disabled; the back-office log', async () => {
	const all = await allContacts(as.wang);
	const account = async (name) => {
		const r = await as.wang.get(`${BASE}/contacts/${byName(all, name).id}/account`);
		assert.equal(r.status, 200, r.text);
		return r.json;
	};
	const emily = await account('Emily Chen');
	assert.deepEqual(emily.account, { status: 'active', login: EXTERNAL.login });
	const hans = await account('Hans Müller');
	assert.equal(hans.account.status, 'pending');
	const liu = await account('刘洋');
	assert.equal(liu.account.status, 'disabled');
	const zhao = await account('赵敏');
	assert.equal(zhao.account, null);
	assert.equal(zhao.pendingApplication.status, 'pending');
	assert.equal(zhao.mayDecide, true);
	const zhou = await account('周婷');
	assert.equal(zhou.account, null);
	assert.equal(zhou.applications[0].status, 'rejected');

	const pending = await as.admin.get(`${BASE}/admin/applications?status=pending`);
	assert.equal(pending.status, 200, pending.text);
	assert.deepEqual(pending.json.items.map((a) => a.contactName).sort(), ['孙磊', '赵敏'].sort());
	const log = await as.admin.get(`${BASE}/admin/applications?limit=100`);
	const statuses = log.json.items.map((a) => a.status).sort();
	assert.deepEqual(statuses, ['approved', 'approved', 'pending', 'pending', 'rejected']);
});

test('invitations of zhangwei (one used) and lina; the joined friend is zhangwei\'s contact', async () => {
	const zhang = await as.zhang.get(`${BASE}/invitations`);
	assert.equal(zhang.status, 200, zhang.text);
	assert.equal(zhang.json.items.length, 1);
	assert.equal(zhang.json.items[0].state, 'active');
	assert.equal(zhang.json.items[0].uses, 1);
	const lina = await as.lina.get(`${BASE}/invitations`);
	assert.equal(lina.json.items.length, 1);
	assert.equal(lina.json.items[0].uses, 0);
	const joined = byName(await allContacts(as.zhang, 'mine'), '吴晓峰');
	assert.equal(joined.source, 'wechat_invite');
});

test('从其他组织添加: a pending request of chenjie to zhangwei; wangfang\'s accepted one', async () => {
	const incoming = await as.zhang.get(`${BASE}/org-requests?box=incoming`);
	assert.equal(incoming.status, 200, incoming.text);
	assert.equal(incoming.json.items.length, 1);
	assert.equal(incoming.json.items[0].status, 'pending');
	assert.equal(incoming.json.items[0].requesterId, as.chen.me.user.id);
	const chen = byName(await allContacts(as.wang, 'mine'), '陈杰');
	assert.equal(chen.source, 'other_org');
	assert.equal(chen.company, DEMO.org2.name);
});

test('group maintainers on two company groups; a maintainer\'s whole-org view is their groups', async () => {
	const list = await as.admin.get(`${BASE}/admin/group-maintainers`);
	assert.equal(list.status, 200, list.text);
	const shown = list.json.items.map((e) => [e.group, e.maintainers.map((m) => m.displayName)]);
	assert.deepEqual(shown, [['Nordlicht Maschinenbau GmbH', ['张伟', '李娜']], ['上海蓝鲸物流有限公司', ['李娜']]]);
	const zhangAll = await allContacts(as.zhang, 'all');
	assert.deepEqual([...new Set(zhangAll.map((c) => c.company))], ['Nordlicht Maschinenbau GmbH']);
	assert.equal(zhangAll.length, 6);
});

test('the demo external login sees only the members its contact lets it see, and no contacts', async () => {
	const emily = new Client(host.baseUrl);
	const me = await emily.login(EXTERNAL.login, EXTERNAL.password);
	assert.equal(me.user.login, EXTERNAL.login);
	const members = await emily.get('/api/directory/members');
	assert.equal(members.status, 200, members.text);
	assert.deepEqual(members.json.items.map((m) => m.login).sort(), ['lina', 'wangfang', 'zhangwei']);
	assert.equal((await emily.get(`${BASE}/contacts?scope=mine`)).status, 404);
	// The disabled and the not yet activated accounts cannot log in.
	const refused = new Client(host.baseUrl);
	await assert.rejects(refused.login('hans.mueller', EXTERNAL.password), /401/);
	await assert.rejects(refused.login('liu.yang', EXTERNAL.password), /401/);
});

test('seeded once: one node says so, a restart makes nothing twice', async (t) => {
	const made = host.nodes.map((node) => node.output().match(/demo contacts: (\d+) made in (\d+) ms/)).filter(Boolean);
	assert.equal(made.length, 1, host.output());
	// The other node waited for the seed and found it done; it did not race it (and fail on a duplicate).
	assert.doesNotMatch(host.output(), /demo contacts: seeding failed/);
	const found = host.nodes.filter((node) => /demo contacts: none made \(the demo organization already has contacts\)/.test(node.output()));
	assert.equal(found.length, host.nodes.length - 1, host.output());
	assert.equal(Number(made[0][1]), TOTAL);
	t.diagnostic(`seed took ${made[0][2]} ms on ${host.db} (${host.nodes.length} node(s))`);
	const before = await snapshot();
	await host.restart();
	await logIn();
	assert.match(host.output(), /demo contacts: none made \(the demo organization already has contacts\)/);
	assert.deepEqual(await snapshot(), before);
	const emily = new Client(host.baseUrl);
	await emily.login(EXTERNAL.login, EXTERNAL.password); // still the same password
});

test('bad case: the demo org already has contacts → nothing is seeded', async () => {
	const other = await startHost({ nodes: 1 });
	try {
		const zhang = await loggedIn(other.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
		assert.equal((await zhang.post(`${BASE}/contacts`, { name: '已有的联系人' })).status, 201);
		await other.restart({ set: DEMO_CONTACTS });
		assert.match(other.output(), /demo contacts: none made \(the demo organization already has contacts\)/);
		const wang = await loggedIn(other.baseUrl, DEMO.wangfang.login, DEMO.wangfang.password);
		const all = await allContacts(wang);
		assert.deepEqual(all.map((c) => c.name), ['已有的联系人']);
		const emily = new Client(other.baseUrl);
		await assert.rejects(emily.login(EXTERNAL.login, EXTERNAL.password), /401/);
	} finally {
		await other.stop();
	}
});

test('bad case: without the demo org (no --seed-demo) → nothing is seeded', async () => {
	const other = await startHost({ nodes: 1, seedDemo: false, set: DEMO_CONTACTS });
	try {
		assert.match(other.output(), /demo contacts: none made \(the demo organizations do not exist\)/);
		// An org of that name made by an operator later is not the demo either.
		const org = await other.cli(['org', 'create', `--name=${DEMO.org1.name}`]);
		assert.equal(org.code, 0, org.stderr);
		const user = await other.cli(['user', 'create', '--login=boss', '--name=老板', `--org=${DEMO.org1.name}`,
			'--admin', '--password-stdin'], { input: 'Boss-Password-2026!\n' });
		assert.equal(user.code, 0, user.stderr);
		await other.restart();
		assert.match(other.output(), /demo contacts: none made/);
		const boss = await loggedIn(other.baseUrl, 'boss', 'Boss-Password-2026!');
		assert.deepEqual(await allContacts(boss), []);
	} finally {
		await other.stop();
	}
});
