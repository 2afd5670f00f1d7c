// The R8 access matrix over HTTP: every plugin route × every kind of caller
// → the status the API promises, on the database EC_E2E_DB names.
//
// One contact (the fixture) is added by zhangwei (adder), shared with lina
// (shared-with) and listed under GROUP, whose maintainer is a member the CLI
// creates (groupMaintainer). The other callers: the admin, wangfang (holds
// external_contacts.maintain), a member with no relation to the contact
// (otherMember), an external user of the same org (external), chenjie of
// 远山贸易 (otherOrg) and a caller without a session (anonymous).
//
// The expected statuses are written out in MATRIX below, not derived from
// the policy. Besides the status every row checks:
// - 404: the same bytes as for an id that never existed and one that was
//   deleted (a hidden contact must not be told apart from a missing one);
// - writes: allowed ones take effect (and show in the history), denied ones
//   change nothing (re-read as the adder: contact, version, share list and
//   history as before); each write row works on a fresh contact;
// - lists: whether the fixture (or GROUP) is in the answer.
// The 解除绑定 row (DELETE /contacts/{id}/wechat) works on contacts a WeChat
// friend made by answering the adder's invitation (WeChat: the node fake), so
// that each has a binding to remove.
//
// 从其他组织添加 (the /directory/search and /org-requests rows) works on
// people of 远山贸易 the CLI creates, a fresh one per row; the person a
// request goes to is not one of the roles, so their own answer (accept,
// decline) is checked in a test of its own.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';
import { startWeChatFake } from '../lib/wechat-fake.mjs';
import { WECHAT_APP, wechatSettings, joinWithWeChat, answerWithWeChat } from '../lib/wechat-join.mjs';

const BASE = '/api/plugins/external-contacts';
const GROUP = '矩阵测试公司';
const SPARE_GROUP = '矩阵空组';
const MISSING_ID = 987654321;
const CLI_PASSWORD = 'Matrix-Pass-2026!';

const ROLES = ['admin', 'maintainHolder', 'groupMaintainer', 'adder', 'sharedWith', 'otherMember', 'external', 'otherOrg',
	'anonymous'];

// Expected status per route, in the order of ROLES.
/* eslint-disable no-multi-spaces */
const MATRIX = {
	//                                  admin maint  gm adder shared other  ext org2 anon
	'GET /contacts':                    [200, 200, 200, 200, 200, 200, 404, 200, 401],
	'GET /contacts?scope=all':          [200, 200, 200, 403, 403, 403, 404, 403, 401],
	'GET /groups':                      [200, 200, 200, 200, 200, 200, 404, 200, 401],
	'GET /groups?scope=all':            [200, 200, 200, 403, 403, 403, 404, 403, 401],
	'POST /contacts':                   [201, 201, 201, 201, 201, 201, 404, 201, 401],
	'GET /contacts/{id}':               [200, 200, 200, 200, 200, 404, 404, 404, 401],
	'PATCH /contacts/{id}':             [200, 200, 200, 200, 403, 404, 404, 404, 401],
	'DELETE /contacts/{id}':            [204, 204, 204, 204, 403, 404, 404, 404, 401],
	'DELETE /contacts/{id}/wechat':     [204, 204, 204, 204, 403, 404, 404, 404, 401],
	// A visitor's WeChat proposed for an existing contact (issue 14, finding 3):
	// those who may edit it decide; the rest do not learn of it (404).
	'GET /contacts/{id}/wechat/proposal': [200, 200, 200, 200, 404, 404, 404, 404, 401],
	'POST /wechat-proposals/{id}/confirm': [200, 200, 200, 200, 404, 404, 404, 404, 401],
	'POST /wechat-proposals/{id}/ignore': [200, 200, 200, 200, 404, 404, 404, 404, 401],
	'GET /contacts/{id}/permissions':   [200, 200, 200, 200, 200, 404, 404, 404, 401],
	'PUT /contacts/{id}/permissions':   [200, 200, 200, 200, 403, 404, 404, 404, 401],
	'GET /contacts/{id}/shares':        [200, 200, 200, 200, 200, 404, 404, 404, 401],
	'PUT /contacts/{id}/shares':        [200, 200, 200, 200, 403, 404, 404, 404, 401],
	'GET /contacts/{id}/history':       [200, 200, 200, 200, 403, 404, 404, 404, 401],
	'GET /admin/group-maintainers':     [200, 403, 403, 403, 403, 403, 404, 403, 401],
	'PUT /admin/group-maintainers':     [200, 403, 403, 403, 403, 403, 404, 403, 401],
	'GET /members':                     [200, 200, 200, 200, 200, 200, 404, 200, 401],
	'GET /contacts/{id}/account':       [200, 200, 200, 200, 403, 404, 404, 404, 401],
	'POST /contacts/{id}/applications': [201, 201, 201, 201, 403, 404, 404, 404, 401],
	'POST /applications/{id}/approve':  [200, 200, 200, 403, 403, 404, 404, 404, 401],
	// Invitation links belong to the member who made them (the adder here);
	// no one else, admins included, reaches them.
	'POST /invitations':                [201, 201, 201, 201, 201, 201, 404, 201, 401],
	'GET /invitations':                 [200, 200, 200, 200, 200, 200, 404, 200, 401],
	'POST /invitations/{id}/regenerate': [404, 404, 404, 201, 404, 404, 404, 404, 401],
	'DELETE /invitations/{id}':         [404, 404, 404, 200, 404, 404, 404, 404, 401],
	'GET /invitations/{id}/qr.png':     [404, 404, 404, 200, 404, 404, 404, 404, 401],
	'GET /invitations/{id}/qr.svg':     [404, 404, 404, 200, 404, 404, 404, 404, 401],
	// 从其他组织添加: members search another org and ask its people; chenjie
	// (otherOrg) is refused his own org. Only the person answers a request and
	// only its maker takes it back; everyone else gets a missing id's 404.
	'GET /directory/search':            [200, 200, 200, 200, 200, 200, 404, 400, 401],
	'POST /org-requests':               [201, 201, 201, 201, 201, 201, 404, 400, 401],
	'GET /org-requests':                [200, 200, 200, 200, 200, 200, 404, 200, 401],
	// The incoming box (外部联系人申请) is open to external users too: the person asked may be one.
	'GET /org-requests?box=incoming':   [200, 200, 200, 200, 200, 200, 200, 200, 401],
	'POST /org-requests/{id}/accept':   [404, 404, 404, 404, 404, 404, 404, 404, 401],
	'POST /org-requests/{id}/decline':  [404, 404, 404, 404, 404, 404, 404, 404, 401],
	'POST /org-requests/{id}/cancel':   [404, 404, 404, 200, 404, 404, 404, 404, 401],
};
/* eslint-enable no-multi-spaces */

// Who finds the fixture in each list when that list answers 200.
const FIXTURE_LISTED = {
	'GET /contacts': new Set(['adder', 'sharedWith']),
	'GET /contacts?scope=all': new Set(['admin', 'maintainHolder', 'groupMaintainer']),
	'GET /groups': new Set(['adder', 'sharedWith']),
	'GET /groups?scope=all': new Set(['admin', 'maintainHolder', 'groupMaintainer']),
};

let host;
let fake;       // WeChat (the node fake): the 解除绑定 row binds through an invitation
const as = {};  // role → Client (anonymous: a client without a session)
const ids = {}; // role → user id (not for anonymous)
let fixture;    // the contact as the adder created it, and shared
let fixtureBefore;
let deletedId;
let serial = 0;
let invitation; // { invitation, token, url } the adder made; the QR and list rows read it
let org2Id;     // 远山贸易, chenjie's org
let standing;   // a pending request of the adder to chenjie; the list rows read it

async function cliUser(login, name, extra = []) {
	const r = await host.cli(['user', 'create', `--login=${login}`, `--name=${name}`, `--org=${DEMO.org1.name}`, ...extra,
		'--password-stdin'], { input: `${CLI_PASSWORD}\n` });
	assert.equal(r.code, 0, `user create ${login}: ${r.stdout}${r.stderr}`);
}

/** A contact added by the adder, under GROUP, shared with the shared-with member. */
async function freshContact(label) {
	serial += 1;
	const created = await as.adder.post(`${BASE}/contacts`, { name: `矩阵${label}${serial}`, company: GROUP });
	assert.equal(created.status, 201, created.text);
	const shared = await as.adder.put(`${BASE}/contacts/${created.json.id}/shares`, { members: [ids.sharedWith] });
	assert.equal(shared.status, 200, shared.text);
	return created.json;
}

/** As freshContact, but made by a WeChat friend answering the adder's invitation: its WeChat is bound. */
async function freshBoundContact(label) {
	serial += 1;
	const contact = await joinWithWeChat(host.baseUrl, as.adder, fake, {
		name: `矩阵${label}${serial}`, mobile: `136${String(Date.now() % 100000).padStart(5, '0')}${String(serial).padStart(3, '0')}`.slice(0, 11),
		company: GROUP, nickname: `矩阵微信${serial}`,
	});
	const shared = await as.adder.put(`${BASE}/contacts/${contact.id}/shares`, { members: [ids.sharedWith] });
	assert.equal(shared.status, 200, shared.text);
	return contact;
}

/** Everything the adder can read about contact id. */
async function snapshot(id) {
	const contact = await as.adder.get(`${BASE}/contacts/${id}`);
	if (contact.status !== 200) return { status: contact.status, text: contact.text };
	const shares = await as.adder.get(`${BASE}/contacts/${id}/shares`);
	const permissions = await as.adder.get(`${BASE}/contacts/${id}/permissions`);
	const history = await as.adder.get(`${BASE}/contacts/${id}/history?limit=100`);
	assert.equal(history.status, 200, history.text);
	return {
		status: 200,
		contact: contact.json,
		shares: shares.json,
		permissions: permissions.json,
		history: history.json.items.map((e) => `${e.id} ${e.action}`),
	};
}

async function latestHistory(id) {
	const r = await as.adder.get(`${BASE}/contacts/${id}/history?limit=1`);
	assert.equal(r.status, 200, r.text);
	return r.json.items[0];
}

async function listAll(client, path) {
	const items = [];
	let cursor = null;
	for (let page = 0; page < 50; page++) {
		const r = await client.get(`${path}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		if (r.status !== 200) return { response: r, items: null };
		items.push(...r.json.items);
		cursor = r.json.nextCursor;
		if (!cursor) return { response: r, items };
	}
	throw new Error(`${path}: paging did not end`);
}

function expected(route, role) {
	return MATRIX[route][ROLES.indexOf(role)];
}

// Every answer that is not 2xx must be the API's error shape.
function assertError(r, status) {
	assert.equal(r.status, status, r.text);
	assert.ok(r.json && r.json.error && typeof r.json.error.code === 'string', `error body: ${r.text}`);
	const code = { 400: 'validation_failed', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' }[status];
	assert.equal(r.json.error.code, code, r.text);
}

// A denied contact answer must not differ from the one for a contact that
// does not exist (never did, or was deleted).
async function assertLikeMissing(r, call, role) {
	for (const id of [MISSING_ID, deletedId]) {
		const missing = await call(as[role], id);
		assert.equal(missing.status, r.status, `id ${id}: ${missing.text}`);
		assert.equal(missing.text, r.text, `the answer for a hidden contact differs from the one for id ${id}`);
		assert.equal(missing.headers.get('content-type'), r.headers.get('content-type'));
	}
}

before(async () => {
	fake = await startWeChatFake(WECHAT_APP);
	// The adder searches and asks once per row: room beyond the per-member limits.
	host = await startHost({ set: { ...wechatSettings(fake), 'plugin.external-contacts.orgSearchesPerMemberPer10Minutes': '1000',
		'plugin.external-contacts.orgRequestsPerMemberPerHour': '1000' } });
	await cliUser('matrix.gm', '组维护者');
	await cliUser('matrix.other', '无关成员');
	await cliUser('matrix.guest', '外部访客', ['--external']);
	const logins = {
		admin: [DEMO.admin.login, DEMO.admin.password],
		maintainHolder: [DEMO.wangfang.login, DEMO.wangfang.password],
		groupMaintainer: ['matrix.gm', CLI_PASSWORD],
		adder: [DEMO.zhangwei.login, DEMO.zhangwei.password],
		sharedWith: [DEMO.lina.login, DEMO.lina.password],
		otherMember: ['matrix.other', CLI_PASSWORD],
		external: ['matrix.guest', CLI_PASSWORD],
		otherOrg: [DEMO.chenjie.login, DEMO.chenjie.password],
	};
	for (const [role, [login, password]] of Object.entries(logins)) {
		as[role] = await loggedIn(host.baseUrl, login, password);
		ids[role] = as[role].me.user.id;
	}
	as.anonymous = new Client(host.baseUrl);
	assert.equal(as.external.me.org.kind, 'external');
	assert.equal(as.external.me.org.name, DEMO.org1.name);
	assert.equal(as.otherOrg.me.org.name, DEMO.org2.name);
	assert.deepEqual(as.maintainHolder.me.permissions, ['external_contacts.maintain']);
	assert.equal(as.admin.me.org.isAdmin, true);

	const set = await as.admin.put(`${BASE}/admin/group-maintainers`, { group: GROUP, maintainers: [ids.groupMaintainer] });
	assert.equal(set.status, 200, set.text);

	fixture = await freshContact('基准');
	fixtureBefore = await snapshot(fixture.id);
	const gone = await as.adder.post(`${BASE}/contacts`, { name: '矩阵已删除', company: GROUP });
	assert.equal(gone.status, 201, gone.text);
	deletedId = gone.json.id;
	assert.equal((await as.adder.del(`${BASE}/contacts/${deletedId}`)).status, 204);
	invitation = await freshInvitation();
	org2Id = as.otherOrg.me.org.id;
	await searchOrg2(as.adder, '陈杰'); // a request asks whom the caller's search found (issue 14)
	const asked = await as.adder.post(`${BASE}/org-requests`, { orgId: org2Id, userId: ids.otherOrg });
	assert.equal(asked.status, 201, asked.text);
	standing = asked.json;
});

after(async () => {
	await host?.stop();
	await fake?.close();
});

// ---------------------------------------------------------------- lists

const LISTS = [
	['GET /contacts', `${BASE}/contacts?scope=mine`],
	['GET /contacts?scope=all', `${BASE}/contacts?scope=all`],
];

for (const [route, path] of LISTS) {
	describe(route, () => {
		for (const role of ROLES) {
			const status = expected(route, role);
			test(`${route} as ${role} → ${status}`, async () => {
				const { response, items } = await listAll(as[role], path);
				if (status !== 200) return assertError(response, status);
				assert.equal(response.status, 200, response.text);
				const listed = items.some((c) => c.id === fixture.id);
				assert.equal(listed, FIXTURE_LISTED[route].has(role), `the fixture ${listed ? 'is' : 'is not'} listed`);
				if (listed) {
					const entry = items.find((c) => c.id === fixture.id);
					assert.equal(entry.version, fixture.version);
					assert.equal(entry.addedBy.id, ids.adder);
				}
				if (role === 'groupMaintainer') {
					assert.ok(items.every((c) => c.company === GROUP), 'a group maintainer lists only their group');
				}
				if (role === 'otherOrg') {
					assert.ok(items.every((c) => c.addedBy.id === ids.otherOrg), 'nothing of the other org');
				}
			});
		}
	});
}

const GROUP_LISTS = [
	['GET /groups', `${BASE}/groups?scope=mine`],
	['GET /groups?scope=all', `${BASE}/groups?scope=all`],
];

for (const [route, path] of GROUP_LISTS) {
	describe(route, () => {
		for (const role of ROLES) {
			const status = expected(route, role);
			test(`${route} as ${role} → ${status}`, async () => {
				const r = await as[role].get(path);
				if (status !== 200) return assertError(r, status);
				assert.equal(r.status, 200, r.text);
				const names = r.json.items.map((g) => g.name);
				assert.equal(names.includes(GROUP), FIXTURE_LISTED[route].has(role), `groups: ${r.text}`);
				if (role === 'groupMaintainer' && route === 'GET /groups?scope=all') assert.deepEqual(names, [GROUP]);
			});
		}
	});
}

// The member picker's search: every member may look up the members of their
// own current org, and only those.
describe('GET /members', () => {
	const route = 'GET /members';
	for (const role of ROLES) {
		const status = expected(route, role);
		test(`${route} as ${role} → ${status}`, async () => {
			const r = await as[role].get(`${BASE}/members?q=matrix.`);
			if (status !== 200) return assertError(r, status);
			assert.equal(r.status, 200, r.text);
			const found = r.json.items.map((m) => m.id).sort((a, b) => a - b);
			// matrix.gm and matrix.other are members of 星河科技; matrix.guest is external and never found.
			const expectedIds = role === 'otherOrg' ? [] : [ids.groupMaintainer, ids.otherMember].sort((a, b) => a - b);
			assert.deepEqual(found, expectedIds, r.text);
		});
	}
});

describe('POST /contacts', () => {
	const route = 'POST /contacts';
	for (const role of ROLES) {
		const status = expected(route, role);
		test(`${route} as ${role} → ${status}`, async () => {
			serial += 1;
			const name = `矩阵新建${serial}`;
			// No company: the new contact must not join GROUP, which the list rows look at.
			const r = await as[role].post(`${BASE}/contacts`, { name });
			if (status === 201) {
				assert.equal(r.status, 201, r.text);
				assert.equal(r.json.name, name);
				assert.equal(r.json.addedBy.id, ids[role]);
				const got = await as[role].get(`${BASE}/contacts/${r.json.id}`);
				assert.equal(got.status, 200, got.text);
				return;
			}
			assertError(r, status);
			const all = await as.admin.get(`${BASE}/contacts?scope=all&q=${encodeURIComponent(name)}`);
			assert.equal(all.status, 200, all.text);
			assert.deepEqual(all.json.items, [], 'nothing was created');
		});
	}
});

// ---------------------------------------------------------------- one contact

// Read routes run on the fixture; check(r, role) looks at an allowed answer.
const READS = [
	{
		route: 'GET /contacts/{id}',
		call: (c, id) => c.get(`${BASE}/contacts/${id}`),
		check(r) {
			assert.equal(r.json.id, fixture.id);
			assert.equal(r.json.version, fixture.version);
			assert.equal(r.json.company, GROUP);
		},
	},
	{
		route: 'GET /contacts/{id}/permissions',
		call: (c, id) => c.get(`${BASE}/contacts/${id}/permissions`),
		check(r) {
			assert.equal(r.json.version, fixture.version);
			assert.deepEqual(r.json.visibleMembers.map((m) => m.id), [ids.adder]);
		},
	},
	{
		route: 'GET /contacts/{id}/shares',
		call: (c, id) => c.get(`${BASE}/contacts/${id}/shares`),
		check(r) {
			assert.deepEqual(r.json.members.map((m) => m.id), [ids.sharedWith]);
		},
	},
	{
		route: 'GET /contacts/{id}/history',
		call: (c, id) => c.get(`${BASE}/contacts/${id}/history`),
		check(r) {
			assert.deepEqual(r.json.items.map((e) => e.action), ['contact.shares', 'contact.create']);
		},
	},
	{
		route: 'GET /contacts/{id}/account',
		call: (c, id) => c.get(`${BASE}/contacts/${id}/account`),
		check(r) {
			assert.equal(r.json.account, null);
			assert.deepEqual(r.json.applications, []);
			assert.equal(r.json.mayApply, true);
		},
	},
];

for (const { route, call, check } of READS) {
	describe(route, () => {
		for (const role of ROLES) {
			const status = expected(route, role);
			test(`${route} as ${role} → ${status}`, async () => {
				const r = await call(as[role], fixture.id);
				if (status === 200) {
					assert.equal(r.status, 200, r.text);
					check(r, role);
					return;
				}
				assertError(r, status);
				if (status !== 403) await assertLikeMissing(r, call, role);
			});
		}
	});
}

// Write routes run on a fresh contact per row. call(client, id, contact)
// sends the change; allowed(r, role, contact) checks its effect.
const WRITES = [
	{
		route: 'PATCH /contacts/{id}',
		call: (c, id, contact) => c.patch(`${BASE}/contacts/${id}`, { version: contact?.version ?? 1, title: '矩阵职位' }),
		async allowed(r, role, contact) {
			assert.equal(r.json.title, '矩阵职位');
			assert.equal(r.json.version, contact.version + 1);
			const entry = await latestHistory(contact.id);
			assert.equal(entry.action, 'contact.update');
			assert.equal(entry.actor.id, ids[role]);
		},
	},
	{
		route: 'DELETE /contacts/{id}',
		call: (c, id) => c.del(`${BASE}/contacts/${id}`),
		async allowed(r, role, contact) {
			assert.equal(r.text, '');
			const gone = await as.adder.get(`${BASE}/contacts/${contact.id}`);
			const missing = await as.adder.get(`${BASE}/contacts/${MISSING_ID}`);
			assert.equal(gone.status, 404);
			assert.equal(gone.text, missing.text);
		},
	},
	{
		route: 'PUT /contacts/{id}/permissions',
		call: (c, id, contact) => c.put(`${BASE}/contacts/${id}/permissions`,
			{ version: contact?.version ?? 1, visibleMembers: [ids.adder, ids.sharedWith], securityLevel: -7 }),
		async allowed(r, role, contact) {
			assert.equal(r.json.version, contact.version + 1);
			assert.equal(r.json.securityLevel, -7);
			assert.deepEqual(r.json.visibleMembers.map((m) => m.id), [ids.adder, ids.sharedWith].sort((a, b) => a - b));
			const entry = await latestHistory(contact.id);
			assert.equal(entry.action, 'contact.permissions');
			assert.equal(entry.actor.id, ids[role]);
		},
	},
	{
		route: 'PUT /contacts/{id}/shares',
		// Taking the shared-with member off never widens who sees the contact.
		call: (c, id) => c.put(`${BASE}/contacts/${id}/shares`, { members: [] }),
		async allowed(r, role, contact) {
			assert.deepEqual(r.json.members, []);
			assert.equal((await as.sharedWith.get(`${BASE}/contacts/${contact.id}`)).status, 404, 'unshared');
			const entry = await latestHistory(contact.id);
			assert.equal(entry.action, 'contact.shares');
			assert.equal(entry.actor.id, ids[role]);
		},
	},
	{
		route: 'DELETE /contacts/{id}/wechat',
		fresh: freshBoundContact,
		call: (c, id) => c.del(`${BASE}/contacts/${id}/wechat`),
		async allowed(r, role, contact) {
			assert.equal(r.text, '');
			assert.equal((await as.adder.get(`${BASE}/contacts/${contact.id}`)).json.wechat, null);
			const entry = await latestHistory(contact.id);
			assert.equal(entry.action, 'wechat.unbind');
			assert.equal(entry.actor.id, ids[role]);
			assert.equal(entry.before.nickname, contact.wechat.nickname);
		},
	},
	{
		route: 'POST /contacts/{id}/applications',
		call: (c, id) => c.post(`${BASE}/contacts/${id}/applications`, { remark: '矩阵申请' }),
		async allowed(r, role, contact) {
			assert.equal(r.json.status, 'pending');
			assert.equal(r.json.applicant.id, ids[role]);
			const entry = await latestHistory(contact.id);
			assert.equal(entry.action, 'account.apply');
			assert.equal(entry.actor.id, ids[role]);
		},
	},
];

// A denied caller tries to widen the share list rather than empty it.
const DENIED_SHARES = (c, id) => c.put(`${BASE}/contacts/${id}/shares`, { members: [ids.sharedWith, ids.otherMember] });

for (const write of WRITES) {
	const { route, allowed } = write;
	describe(route, () => {
		for (const role of ROLES) {
			const status = expected(route, role);
			const call = status < 300 || route !== 'PUT /contacts/{id}/shares' ? write.call : DENIED_SHARES;
			test(`${route} as ${role} → ${status}`, async () => {
				const contact = await (write.fresh || freshContact)(route.split(' ')[0]);
				const beforeChange = await snapshot(contact.id);
				const r = await call(as[role], contact.id, contact);
				if (status < 300) {
					assert.equal(r.status, status, r.text);
					await allowed(r, role, contact);
					return;
				}
				assertError(r, status);
				if (status !== 403) await assertLikeMissing(r, (c, id) => call(c, id, contact), role);
				assert.deepEqual(await snapshot(contact.id), beforeChange, 'a denied write changed nothing');
			});
		}
	});
}

// ---------------------------------------------------------------- deciding an application

describe('POST /applications/{id}/approve', () => {
	const route = 'POST /applications/{id}/approve';
	for (const role of ROLES) {
		const status = expected(route, role);
		test(`${route} as ${role} → ${status}`, async () => {
			const contact = await freshContact('approve');
			const applied = await as.adder.post(`${BASE}/contacts/${contact.id}/applications`, {});
			assert.equal(applied.status, 201, applied.text);
			const r = await as[role].post(`${BASE}/applications/${applied.json.id}/approve`, {});
			const tab = await as.adder.get(`${BASE}/contacts/${contact.id}/account`);
			if (status === 200) {
				assert.equal(r.status, 200, r.text);
				assert.equal(r.json.application.status, 'approved');
				assert.equal(r.json.application.decidedBy.id, ids[role]);
				assert.equal(tab.json.account.status, 'pending');
				return;
			}
			assertError(r, status);
			if (status === 404) {
				const missing = await as[role].post(`${BASE}/applications/${MISSING_ID}/approve`, {});
				assert.equal(missing.status, 404);
				assert.equal(missing.text, r.text, 'a hidden application answers like a missing one');
			}
			assert.equal(tab.json.pendingApplication.id, applied.json.id, 'a denied decision changed nothing');
			assert.equal(tab.json.account, null);
		});
	}
});

// ---------------------------------------------------------------- a visitor's WeChat proposed (issue 14, finding 3)

/** A fresh bound contact of the adder and a visitor's WeChat proposed for it (its mobile) → { contact, proposal }. */
async function freshProposal(label) {
	const contact = await freshBoundContact(label);
	serial += 1;
	const answer = await answerWithWeChat(host.baseUrl, as.adder, fake, {
		name: `矩阵访客${serial}`, mobile: contact.mobile, nickname: `提议微信${serial}`, avatarUrl: '',
	});
	assert.equal(answer.status, 200, answer.html);
	const pending = await as.adder.get(`${BASE}/contacts/${contact.id}/wechat/proposal`);
	assert.equal(pending.status, 200, pending.text);
	assert.ok(pending.json.proposal, pending.text);
	return { contact, proposal: pending.json.proposal };
}

for (const [route, call, allowed] of [
	['GET /contacts/{id}/wechat/proposal', (c, made) => c.get(`${BASE}/contacts/${made.contact.id}/wechat/proposal`),
		(r, role, made) => assert.deepEqual(r.json.proposal, made.proposal)],
	['POST /wechat-proposals/{id}/confirm', (c, made) => c.post(`${BASE}/wechat-proposals/${made.proposal.id}/confirm`, {}),
		async (r, role, made) => {
			assert.equal(r.json.proposal.status, 'confirmed');
			assert.equal((await as.adder.get(`${BASE}/contacts/${made.contact.id}`)).json.wechat.nickname, made.proposal.nickname);
			const entry = await latestHistory(made.contact.id);
			assert.equal(entry.action, 'wechat.bind');
			assert.equal(entry.actor.id, ids[role]);
		}],
	['POST /wechat-proposals/{id}/ignore', (c, made) => c.post(`${BASE}/wechat-proposals/${made.proposal.id}/ignore`, {}),
		async (r, role, made) => {
			assert.equal(r.json.proposal.status, 'ignored');
			assert.deepEqual((await as.adder.get(`${BASE}/contacts/${made.contact.id}`)).json.wechat, made.contact.wechat);
			const entry = await latestHistory(made.contact.id);
			assert.equal(entry.action, 'wechat.bind_ignored');
			assert.equal(entry.actor.id, ids[role]);
		}],
]) {
	describe(route, () => {
		for (const role of ROLES) {
			const status = expected(route, role);
			test(`${route} as ${role} → ${status}`, async () => {
				const made = await freshProposal('提议');
				const r = await call(as[role], made);
				if (status === 200) {
					assert.equal(r.status, 200, r.text);
					await allowed(r, role, made);
					return;
				}
				assertError(r, status);
				if (status === 404) {
					const missing = await call(as[role], { contact: { id: MISSING_ID }, proposal: { id: MISSING_ID } });
					assert.equal(missing.text, r.text, 'a hidden proposal answers like a missing one');
				}
				const still = await as.adder.get(`${BASE}/contacts/${made.contact.id}/wechat/proposal`);
				assert.deepEqual(still.json.proposal, made.proposal, 'a denied decision changed nothing');
				assert.deepEqual((await as.adder.get(`${BASE}/contacts/${made.contact.id}`)).json.wechat, made.contact.wechat);
			});
		}
	});
}

// ---------------------------------------------------------------- group maintainers (admins only)

async function maintainerList() {
	const r = await as.admin.get(`${BASE}/admin/group-maintainers`);
	assert.equal(r.status, 200, r.text);
	return r.json;
}

describe('GET /admin/group-maintainers', () => {
	const route = 'GET /admin/group-maintainers';
	for (const role of ROLES) {
		const status = expected(route, role);
		test(`${route} as ${role} → ${status}`, async () => {
			const r = await as[role].get(`${BASE}/admin/group-maintainers`);
			if (status !== 200) return assertError(r, status);
			assert.equal(r.status, 200, r.text);
			assert.deepEqual(r.json.items, [{ group: GROUP, maintainers: [{ id: ids.groupMaintainer, displayName: '组维护者' }] }]);
		});
	}
});

describe('PUT /admin/group-maintainers', () => {
	const route = 'PUT /admin/group-maintainers';
	for (const role of ROLES) {
		const status = expected(route, role);
		test(`${route} as ${role} → ${status}`, async () => {
			const listed = await maintainerList();
			if (status === 200) {
				const body = { group: SPARE_GROUP, maintainers: [ids.otherMember] };
				const r = await as[role].put(`${BASE}/admin/group-maintainers`, body);
				assert.equal(r.status, 200, r.text);
				assert.deepEqual(r.json, { group: SPARE_GROUP, maintainers: [{ id: ids.otherMember, displayName: '无关成员' }] });
				assert.ok((await maintainerList()).items.some((e) => e.group === SPARE_GROUP));
				const undo = await as[role].put(`${BASE}/admin/group-maintainers`, { group: SPARE_GROUP, maintainers: [] });
				assert.equal(undo.status, 200, undo.text);
				assert.deepEqual(await maintainerList(), listed);
				return;
			}
			// A denied caller tries to make themselves the fixture group's only maintainer.
			const self = ids[role] ? [ids[role]] : [];
			const r = await as[role].put(`${BASE}/admin/group-maintainers`, { group: GROUP, maintainers: self });
			assertError(r, status);
			assert.deepEqual(await maintainerList(), listed, 'a denied change wrote nothing');
		});
	}
});

// ---------------------------------------------------------------- invitation links (the adder's own)

async function freshInvitation() {
	const r = await as.adder.post(`${BASE}/invitations`, { ttlHours: 24 });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function adderInvitation(id) {
	const r = await as.adder.get(`${BASE}/invitations?limit=100`);
	assert.equal(r.status, 200, r.text);
	return r.json.items.find((i) => i.id === id);
}

async function landingStatus(token) {
	return (await fetch(`${host.baseUrl}/invite/${token}`, { redirect: 'manual' })).status;
}

describe('POST /invitations', () => {
	const route = 'POST /invitations';
	for (const role of ROLES) {
		const status = expected(route, role);
		test(`${route} as ${role} → ${status}`, async () => {
			const r = await as[role].post(`${BASE}/invitations`, { ttlHours: 2 });
			if (status !== 201) return assertError(r, status);
			assert.equal(r.status, 201, r.text);
			assert.equal(r.json.invitation.state, 'active');
			assert.equal(await landingStatus(r.json.token), 200);
			const own = await as[role].get(`${BASE}/invitations?limit=100`);
			assert.ok(own.json.items.some((i) => i.id === r.json.invitation.id), 'in the maker\'s list');
			if (role !== 'adder') assert.equal(await adderInvitation(r.json.invitation.id), undefined, 'not in the adder\'s list');
		});
	}
});

describe('GET /invitations', () => {
	const route = 'GET /invitations';
	for (const role of ROLES) {
		const status = expected(route, role);
		test(`${route} as ${role} → ${status}`, async () => {
			const r = await as[role].get(`${BASE}/invitations?limit=100`);
			if (status !== 200) return assertError(r, status);
			assert.equal(r.status, 200, r.text);
			const listed = r.json.items.some((i) => i.id === invitation.invitation.id);
			assert.equal(listed, role === 'adder', `the adder's link ${listed ? 'is' : 'is not'} listed`);
			assert.ok(!r.text.includes(invitation.token), 'no token in a list');
		});
	}
});

// Each row works on a fresh link of the adder; a denied call must answer
// like a missing id and leave the link active.
const INVITATION_WRITES = [
	{
		route: 'POST /invitations/{id}/regenerate',
		call: (c, id) => c.post(`${BASE}/invitations/${id}/regenerate`, {}),
		async allowed(r, made) {
			assert.equal(r.json.revoked.id, made.invitation.id);
			assert.equal(r.json.invitation.state, 'active');
			assert.equal(await landingStatus(made.token), 410);
			assert.equal(await landingStatus(r.json.token), 200);
		},
	},
	{
		route: 'DELETE /invitations/{id}',
		call: (c, id) => c.del(`${BASE}/invitations/${id}`),
		async allowed(r, made) {
			assert.equal(r.json.invitation.id, made.invitation.id);
			assert.equal(r.json.invitation.state, 'revoked');
			assert.equal(await landingStatus(made.token), 410);
		},
	},
];

for (const { route, call, allowed } of INVITATION_WRITES) {
	describe(route, () => {
		for (const role of ROLES) {
			const status = expected(route, role);
			test(`${route} as ${role} → ${status}`, async () => {
				const made = await freshInvitation();
				const r = await call(as[role], made.invitation.id);
				if (status < 300) {
					assert.equal(r.status, status, r.text);
					await allowed(r, made);
					return;
				}
				assertError(r, status);
				if (status === 404) {
					const missing = await call(as[role], MISSING_ID);
					assert.equal(missing.status, 404);
					assert.equal(missing.text, r.text, 'another member\'s link answers like a missing one');
				}
				assert.equal((await adderInvitation(made.invitation.id)).state, 'active', 'a denied call changed nothing');
				assert.equal(await landingStatus(made.token), 200);
			});
		}
	});
}

// The QR rows send the right token: only the maker gets the image.
for (const kind of ['png', 'svg']) {
	const route = `GET /invitations/{id}/qr.${kind}`;
	describe(route, () => {
		const call = (c, id) => c.get(`${BASE}/invitations/${id}/qr.${kind}`, { headers: { 'X-Invite-Token': invitation.token } });
		for (const role of ROLES) {
			const status = expected(route, role);
			test(`${route} as ${role} → ${status}`, async () => {
				const r = await call(as[role], invitation.invitation.id);
				if (status === 200) {
					assert.equal(r.status, 200, r.text);
					assert.match(r.headers.get('content-type'), kind === 'png' ? /^image\/png/ : /^image\/svg\+xml/);
					return;
				}
				assertError(r, status);
				if (status === 404) {
					const missing = await call(as[role], MISSING_ID);
					assert.equal(missing.text, r.text, 'another member\'s link answers like a missing one');
				}
			});
		}
	});
}

// ---------------------------------------------------------------- 从其他组织添加 (people of 远山贸易)

/** A new member of 远山贸易: { id, login, name }. */
async function org2Person(label) {
	serial += 1;
	const login = `yuanshan.${label}${serial}`;
	const name = `远山${label}${serial}`;
	const r = await host.cli(['user', 'create', `--login=${login}`, `--name=${name}`, `--org=${DEMO.org2.name}`,
		'--password-stdin'], { input: `${CLI_PASSWORD}\n` });
	assert.equal(r.code, 0, `user create ${login}: ${r.stdout}${r.stderr}`);
	const id = Number(/^user (\d+) created/m.exec(r.stdout)?.[1]);
	assert.ok(id > 0, r.stdout);
	return { id, login, name };
}

/** The caller's search of 远山贸易 for q (a request asks only whom it found). */
async function searchOrg2(client, q) {
	return client.get(`${BASE}/directory/search?orgName=${encodeURIComponent(DEMO.org2.name)}&q=${encodeURIComponent(q)}`);
}

/** A pending request of the adder to a new person of 远山贸易. */
async function freshOrgRequest(label) {
	const person = await org2Person(label);
	await searchOrg2(as.adder, person.name);
	const r = await as.adder.post(`${BASE}/org-requests`, { orgId: org2Id, userId: person.id });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.status, 'pending');
	return { person, request: r.json };
}

async function orgRequests(client, box) {
	const r = await client.get(`${BASE}/org-requests?box=${box}&limit=100`);
	assert.equal(r.status, 200, r.text);
	return r.json.items;
}

/** The adder's request id as the adder reads it now. */
async function adderOrgRequest(id) {
	return (await orgRequests(as.adder, 'outgoing')).find((r) => r.id === id);
}

describe('GET /directory/search', () => {
	const route = 'GET /directory/search';
	// One search per role: far below the per-member limit (20 per 10 minutes).
	const path = `${BASE}/directory/search?orgName=${encodeURIComponent(DEMO.org2.name)}&q=${encodeURIComponent('陈')}`;
	for (const role of ROLES) {
		const status = expected(route, role);
		test(`${route} as ${role} → ${status}`, async () => {
			const r = await as[role].get(path);
			if (status !== 200) {
				assertError(r, status);
				if (status === 400) assert.equal(r.json.error.field, 'orgName', 'one\'s own org is refused');
				return;
			}
			assert.equal(r.status, 200, r.text);
			assert.deepEqual(r.json.org, { id: org2Id, name: DEMO.org2.name });
			assert.ok(r.json.items.some((m) => m.userId === ids.otherOrg), `chenjie is found: ${r.text}`);
			assert.ok(r.json.items.every((m) => !('mobile' in m) && !('email' in m)), 'masked only');
		});
	}
});

describe('POST /org-requests', () => {
	const route = 'POST /org-requests';
	for (const role of ROLES) {
		const status = expected(route, role);
		test(`${route} as ${role} → ${status}`, async () => {
			const person = await org2Person('ask');
			await searchOrg2(as[role], person.name); // whatever it answers the role: the route decides below
			const r = await as[role].post(`${BASE}/org-requests`, { orgId: org2Id, userId: person.id });
			const personal = await loggedIn(host.baseUrl, person.login, CLI_PASSWORD);
			const incoming = await orgRequests(personal, 'incoming');
			if (status === 201) {
				assert.equal(r.status, 201, r.text);
				assert.equal(r.json.status, 'pending');
				assert.equal(r.json.requesterId, ids[role]);
				assert.deepEqual(r.json.target, { userId: person.id, displayName: person.name, orgId: org2Id, orgName: DEMO.org2.name });
				assert.deepEqual(incoming.map((i) => i.id), [r.json.id], 'the person has it');
				assert.ok((await orgRequests(as[role], 'outgoing')).some((i) => i.id === r.json.id), 'in the maker\'s list');
				return;
			}
			assertError(r, status);
			if (status === 400) assert.equal(r.json.error.field, 'orgId', 'one\'s own org is refused');
			assert.deepEqual(incoming, [], 'a denied request made nothing');
		});
	}
});

describe('GET /org-requests', () => {
	const route = 'GET /org-requests';
	for (const role of ROLES) {
		const status = expected(route, role);
		test(`${route} as ${role} → ${status}`, async () => {
			const r = await as[role].get(`${BASE}/org-requests?limit=100`);
			const incomingStatus = expected('GET /org-requests?box=incoming', role);
			if (incomingStatus !== 200) assertError(await as[role].get(`${BASE}/org-requests?box=incoming`), incomingStatus);
			if (status !== 200) {
				assertError(r, status);
				if (incomingStatus === 200) {
					// Nobody asked the external user: an empty incoming box of their own.
					assert.deepEqual((await orgRequests(as[role], 'incoming')).map((i) => i.id), []);
				}
				return;
			}
			assert.equal(r.status, 200, r.text);
			const outgoing = r.json.items.some((i) => i.id === standing.id);
			assert.equal(outgoing, role === 'adder', `the adder's request ${outgoing ? 'is' : 'is not'} listed`);
			const incoming = (await orgRequests(as[role], 'incoming')).some((i) => i.id === standing.id);
			assert.equal(incoming, role === 'otherOrg', `the request to chenjie ${incoming ? 'is' : 'is not'} incoming`);
		});
	}
});

// Each row works on a fresh request of the adder to a fresh person; a denied
// call must answer like a missing id and leave the request pending.
const ORG_REQUEST_WRITES = [
	{ route: 'POST /org-requests/{id}/accept', action: 'accept' },
	{ route: 'POST /org-requests/{id}/decline', action: 'decline' },
	{ route: 'POST /org-requests/{id}/cancel', action: 'cancel' },
];

for (const { route, action } of ORG_REQUEST_WRITES) {
	describe(route, () => {
		const call = (c, id) => c.post(`${BASE}/org-requests/${id}/${action}`, {});
		for (const role of ROLES) {
			const status = expected(route, role);
			test(`${route} as ${role} → ${status}`, async () => {
				const { request } = await freshOrgRequest(action);
				const r = await call(as[role], request.id);
				if (status < 300) {
					assert.equal(r.status, status, r.text);
					assert.equal(r.json.id, request.id);
					assert.equal(r.json.status, 'cancelled');
					assert.equal((await adderOrgRequest(request.id)).status, 'cancelled');
					return;
				}
				assertError(r, status);
				if (status === 404) {
					const missing = await call(as[role], MISSING_ID);
					assert.equal(missing.status, 404);
					assert.equal(missing.text, r.text, 'another\'s request answers like a missing one');
					assert.equal(missing.headers.get('content-type'), r.headers.get('content-type'));
				}
				assert.equal((await adderOrgRequest(request.id)).status, 'pending', 'a denied call changed nothing');
			});
		}
	});
}

// Only the person a request goes to answers it; they are none of the roles.
describe('the person answers', () => {
	test('POST /org-requests/{id}/accept as the person → 200', async () => {
		const { person, request } = await freshOrgRequest('accept');
		const personal = await loggedIn(host.baseUrl, person.login, CLI_PASSWORD);
		const r = await personal.post(`${BASE}/org-requests/${request.id}/accept`, {});
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.status, 'accepted');
		assert.ok(r.json.contactId > 0, r.text);
		const settled = await adderOrgRequest(request.id);
		assert.equal(settled.status, 'accepted');
		const contact = await as.adder.get(`${BASE}/contacts/${settled.contactId}`);
		assert.equal(contact.status, 200, contact.text);
		assert.equal(contact.json.name, person.name);
		assert.equal(contact.json.company, DEMO.org2.name);
	});

	test('POST /org-requests/{id}/decline as the person → 200', async () => {
		const { person, request } = await freshOrgRequest('decline');
		const personal = await loggedIn(host.baseUrl, person.login, CLI_PASSWORD);
		const r = await personal.post(`${BASE}/org-requests/${request.id}/decline`, {});
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.status, 'declined');
		assert.equal(r.json.contactId, null);
		assert.equal((await adderOrgRequest(request.id)).status, 'declined');
	});

	test('the person may not cancel (404 as a missing id)', async () => {
		const { person, request } = await freshOrgRequest('cancel');
		const personal = await loggedIn(host.baseUrl, person.login, CLI_PASSWORD);
		const r = await personal.post(`${BASE}/org-requests/${request.id}/cancel`, {});
		assertError(r, 404);
		const missing = await personal.post(`${BASE}/org-requests/${MISSING_ID}/cancel`, {});
		assert.equal(missing.text, r.text);
		assert.equal((await adderOrgRequest(request.id)).status, 'pending');
	});
});

// ---------------------------------------------------------------- afterwards

test('no row changed the fixture', async () => {
	assert.deepEqual(await snapshot(fixture.id), fixtureBefore);
	assert.equal((await adderInvitation(invitation.invitation.id)).state, 'active');
	assert.equal((await adderOrgRequest(standing.id)).status, 'pending');
});
