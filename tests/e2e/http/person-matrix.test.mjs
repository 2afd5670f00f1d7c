// Who a contact's person is, seen from the host (issue 13), against a real
// host: every kind of contact that has a login — an account opened in the
// org (pending, active, disabled) and a person added from another org — is
// walked through the actions that concern the person (permissions, apply,
// assign, disable, delete), logging in as the person where they have a
// password and checking what the host gives them: /api/me org.securityLevel,
// /api/menus (an item with a minimum level), /api/directory/members, their
// orgs and sessions. A plain contact is the control. Then a table walks
// every kind of contact (plain, pending / active / disabled account, linked
// from another org, joined by invitation through the landing page) through
// every action (edit, permissions, share, apply, assign, disable, delete,
// hand-over: the admin removes the adder with a successor) and checks the
// host side after each, as ContactPersonTest::testEveryKindThroughEveryAction
// does against a fake host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
const PASSWORD = 'Person-Matrix-2026!';
const suffix = randomBytes(3).toString('hex');
let host;
let as;
let org1;
let menu; // a main.nav item open to external users from level -5 up

before(async () => {
	host = await startHost({ set: { 'plugin.external-contacts.inviteSubmissionsPerAddressPer10Minutes': '1000',
		'plugin.external-contacts.orgSearchesPerMemberPer10Minutes': '1000', 'plugin.external-contacts.orgRequestsPerMemberPerHour': '1000' } });
	as = {
		admin: await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password),
		zhang: await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password),
		lina: await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password),
		wang: await loggedIn(host.baseUrl, DEMO.wangfang.login, DEMO.wangfang.password),
	};
	org1 = as.zhang.me.org.id;
	const menus = await as.admin.get('/api/admin/menus');
	assert.equal(menus.status, 200, menus.text);
	const item = menus.json.items[0];
	const set = await as.admin.put(`/api/admin/menus/${item.pluginId}/${item.id}`, { openToExternal: true, minSecurityLevel: -5 });
	assert.equal(set.status, 200, set.text);
	menu = item.id;
});

after(async () => {
	await host?.stop();
});

async function newContact(name, email, by = as.zhang) {
	const r = await by.post(`${BASE}/contacts`, { name, company: `人员矩阵${suffix}`, ...(email ? { email } : {}) });
	assert.equal(r.status, 201, r.text);
	return r.json.id;
}

async function setPermissions(id, securityLevel, visibleMembers = [as.zhang.me.user.id], by = as.zhang) {
	const current = await by.get(`${BASE}/contacts/${id}/permissions`);
	assert.equal(current.status, 200, current.text);
	const r = await by.put(`${BASE}/contacts/${id}/permissions`, { version: current.json.version, visibleMembers, securityLevel });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.securityLevel, securityLevel);
}

// 直接开通 by the admin: the account waits for activation.
async function assign(id) {
	const r = await as.admin.post(`${BASE}/contacts/${id}/account`, {});
	assert.equal(r.status, 201, r.text);
	return r.json.account.login;
}

async function activate(id, login, by = as.zhang) {
	const link = await by.post(`${BASE}/contacts/${id}/account/activation-link`, {});
	assert.equal(link.status, 200, link.text);
	const token = link.json.path.split('/').pop();
	assert.equal((await new Client(host.baseUrl).post('/api/activation', { token, password: PASSWORD })).status, 204);
	return loggedIn(host.baseUrl, login, PASSWORD);
}

// A member of 远山贸易 whom zhangwei adds through 从其他组织添加; they switch into 星河科技.
async function linkedPerson(tag, requester = as.zhang) {
	const login = `pm${tag}${suffix}`;
	const made = await host.cli(['user', 'create', `--login=${login}`, `--name=矩阵${tag}${suffix}`, `--org=${DEMO.org2.name}`,
		'--password-stdin'], { input: `${PASSWORD}\n` });
	assert.equal(made.code, 0, `user create: ${made.stdout}${made.stderr}`);
	const person = await loggedIn(host.baseUrl, login, PASSWORD);
	// As the dialog does it: the requester's search finds them, then the request (issue 14).
	const found = await requester.get(`${BASE}/directory/search?orgName=${encodeURIComponent(DEMO.org2.name)}&q=${encodeURIComponent(`矩阵${tag}${suffix}`)}`);
	assert.equal(found.status, 200, found.text);
	const request = await requester.post(`${BASE}/org-requests`, { orgId: person.me.org.id, userId: person.me.user.id });
	assert.equal(request.status, 201, request.text);
	const accepted = await person.post(`${BASE}/org-requests/${request.json.id}/accept`, {});
	assert.equal(accepted.status, 200, accepted.text);
	const switched = await person.post('/api/me/org', { orgId: org1 });
	assert.equal(switched.status, 200, switched.text);
	return { person, id: accepted.json.contactId, login };
}

const levelOf = async (client) => {
	const me = await client.get('/api/me');
	assert.equal(me.status, 200, me.text);
	assert.equal(me.json.org.id, org1);
	assert.equal(me.json.org.kind, 'external');
	return me.json.org.securityLevel;
};
const seesMenu = async (client) => (await client.get('/api/menus?location=main.nav')).json.items.some((i) => i.id === menu);
const directory = async (client) => (await client.get('/api/directory/members?limit=100')).json.items.map((m) => m.id).sort((a, b) => a - b);
const accountOf = async (id) => (await as.zhang.get(`${BASE}/contacts/${id}/account`)).json;

test('a new 安全级别 reaches every login: active, set while pending, set while disabled, a person of another org', async () => {
	// Active: the level follows each change, and with it the menu item (minimum -5).
	const active = await newContact(`已激活${suffix}`, `pm.active.${suffix}@example.com`);
	const activeUser = await activate(active, await assign(active));
	await setPermissions(active, -3);
	assert.equal(await levelOf(activeUser), -3);
	assert.equal(await seesMenu(activeUser), true);
	await setPermissions(active, -8);
	assert.equal(await levelOf(activeUser), -8);
	assert.equal(await seesMenu(activeUser), false);

	// Pending: the level set before activation is the one they log in with.
	const pending = await newContact(`待激活${suffix}`, `pm.pending.${suffix}@example.com`);
	const pendingLogin = await assign(pending);
	await setPermissions(pending, -7);
	const pendingUser = await activate(pending, pendingLogin);
	assert.equal(await levelOf(pendingUser), -7);

	// Disabled: changed while disabled, in force once enabled again.
	const disabled = await newContact(`已停用${suffix}`, `pm.disabled.${suffix}@example.com`);
	const disabledLogin = await assign(disabled);
	await activate(disabled, disabledLogin);
	assert.equal((await as.admin.post(`${BASE}/contacts/${disabled}/account/disable`, {})).status, 200);
	await setPermissions(disabled, -4);
	assert.equal((await as.admin.post(`${BASE}/contacts/${disabled}/account/enable`, {})).status, 200);
	const enabledUser = await loggedIn(host.baseUrl, disabledLogin, PASSWORD);
	assert.equal(await levelOf(enabledUser), -4);
	assert.equal(await seesMenu(enabledUser), true);

	// A person of another org: their external membership of 星河科技 follows the contact.
	const { person, id } = await linkedPerson('lvl');
	await setPermissions(id, -2);
	assert.equal(await levelOf(person), -2);
	assert.equal(await seesMenu(person), true);
	await setPermissions(id, -9);
	assert.equal(await levelOf(person), -9);
	assert.equal(await seesMenu(person), false);
});

test('a person of another org sees the contact\'s visible members in the org\'s directory', async () => {
	const { person, id } = await linkedPerson('dir');
	const zhang = as.zhang.me.user.id;
	const lina = as.lina.me.user.id;
	assert.deepEqual(await directory(person), [zhang]);
	await setPermissions(id, 0, [zhang, lina].sort((a, b) => a - b));
	assert.deepEqual(await directory(person), [zhang, lina].sort((a, b) => a - b));
	// In their own org they see their own org's members, unfiltered.
	assert.equal((await person.post('/api/me/org', { orgId: person.me.org.id })).status, 200);
	assert.ok((await directory(person)).length > 2);
});

test('no second login for a person of another org: apply and assign answer 409, the account view says why', async () => {
	const { id } = await linkedPerson('acct');
	const view = await accountOf(id);
	assert.equal(view.personHasAccount, true);
	assert.equal(view.mayApply, false);
	assert.equal(view.account, null);
	const applied = await as.zhang.post(`${BASE}/contacts/${id}/applications`, { remark: '' });
	assert.equal(applied.status, 409, applied.text);
	assert.equal(applied.json.error.code, 'person_has_account');
	const assigned = await as.admin.post(`${BASE}/contacts/${id}/account`, {});
	assert.equal(assigned.status, 409, assigned.text);
	assert.equal(assigned.json.error.code, 'person_has_account');
	const disabled = await as.admin.post(`${BASE}/contacts/${id}/account/disable`, {});
	assert.equal(disabled.status, 409, disabled.text);
	assert.equal(disabled.json.error.code, 'no_account');
	assert.equal((await accountOf(id)).account, null, 'nothing was made');
	// A plain contact: nothing in the way.
	const plain = await newContact(`普通${suffix}`);
	const plainView = await accountOf(plain);
	assert.equal(plainView.personHasAccount, false);
	assert.equal(plainView.mayApply, true);
});

test('delete: an account opened here is disabled (its session ends); a person of another org leaves the org but keeps their login', async () => {
	const withAccount = await newContact(`删除账号${suffix}`, `pm.delete.${suffix}@example.com`);
	const login = await assign(withAccount);
	const user = await activate(withAccount, login);
	assert.equal((await as.zhang.del(`${BASE}/contacts/${withAccount}`)).status, 204);
	assert.equal((await user.get('/api/me')).status, 401);
	assert.equal((await new Client(host.baseUrl).request('POST', '/api/session', { login, password: PASSWORD })).status, 401);

	const linked = await linkedPerson('del');
	assert.equal((await as.zhang.del(`${BASE}/contacts/${linked.id}`)).status, 204);
	const again = await loggedIn(host.baseUrl, linked.login, PASSWORD);
	assert.ok(!again.me.orgs.some((o) => o.id === org1), JSON.stringify(again.me.orgs));
	assert.equal((await again.post('/api/me/org', { orgId: org1 })).status, 404);
});

// ---------------------------------------------------------------- every kind through every action

const KINDS = ['plain', 'pending account', 'active account', 'disabled account', 'linked from another org', 'joined by invitation'];
const ACTIONS = ['edit', 'permissions', 'share', 'apply', 'assign', 'disable', 'delete', 'hand-over'];
const ACCOUNT_KINDS = new Set(['pending account', 'active account', 'disabled account']);
const ascending = (ids) => [...ids].sort((a, b) => a - b);

// What each action answers, per kind: '' (done) or the error code.
function expected(kind, action) {
	if (action === 'apply' || action === 'assign') {
		if (kind === 'linked from another org') return 'person_has_account';
		return ACCOUNT_KINDS.has(kind) ? 'account_exists' : '';
	}
	if (action === 'disable') return ACCOUNT_KINDS.has(kind) ? '' : 'no_account';
	return '';
}

// A member of 星河科技 made for one cell: the adder whom hand-over removes.
async function newMember(tag) {
	const login = `pmm${tag}${suffix}`;
	const made = await host.cli(['user', 'create', `--login=${login}`, `--name=成员${tag}${suffix}`, `--org=${DEMO.org1.name}`,
		'--password-stdin'], { input: `${PASSWORD}\n` });
	assert.equal(made.code, 0, `user create: ${made.stdout}${made.stderr}`);
	return loggedIn(host.baseUrl, login, PASSWORD);
}

// Someone answers adder's invitation link on the landing page (no WeChat): the contact it makes.
async function joinByInvitation(adder, name) {
	const made = await adder.post(`${BASE}/invitations`, {});
	assert.equal(made.status, 201, made.text);
	const done = await fetch(`${host.baseUrl}/invite/${made.json.token}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: host.baseUrl },
		body: new URLSearchParams({ name, mobile: `136${String(randomInt(0, 1e8)).padStart(8, '0')}`, company: `人员矩阵${suffix}`, title: '' }).toString(),
		redirect: 'manual',
	});
	assert.equal(done.status, 200, await done.text());
	const list = await adder.get(`${BASE}/contacts?scope=mine&source=wechat_invite&limit=100&q=${encodeURIComponent(name)}`);
	assert.equal(list.status, 200, list.text);
	const item = list.json.items.find((c) => c.name === name);
	assert.ok(item, `the joined contact ${name}: ${list.text}`);
	return item.id;
}

// A contact of adder of the kind → { id, login?, session? (the person logged in, where they have a password) }.
async function make(kind, adder, tag) {
	const name = `矩阵${tag}${suffix}`;
	if (kind === 'linked from another org') {
		const linked = await linkedPerson(tag, adder);
		return { id: linked.id, login: linked.login, session: linked.person };
	}
	if (kind === 'joined by invitation') return { id: await joinByInvitation(adder, name) };
	const id = await newContact(name, kind === 'plain' ? undefined : `pm.${tag}.${suffix}@example.com`, adder);
	if (kind === 'plain') return { id };
	const login = await assign(id);
	if (kind === 'pending account') return { id, login };
	const session = await activate(id, login, adder);
	if (kind === 'disabled account') {
		const disabled = await as.admin.post(`${BASE}/contacts/${id}/account/disable`, {});
		assert.equal(disabled.status, 200, disabled.text);
	}
	return { id, login, session };
}

async function act(action, id, adder, ids) {
	const path = `${BASE}/contacts/${id}`;
	switch (action) {
	case 'edit': {
		const current = await adder.get(path);
		return adder.patch(path, { version: current.json.version, title: '采购总监' });
	}
	case 'permissions': {
		const current = await adder.get(`${path}/permissions`);
		return adder.put(`${path}/permissions`, { version: current.json.version, visibleMembers: ascending([ids.adder, ids.lina, ids.wang]), securityLevel: -8 });
	}
	case 'share':
		return adder.put(`${path}/shares`, { members: [ids.wang] });
	case 'apply':
		return adder.post(`${path}/applications`, { remark: '' });
	case 'assign':
		return as.admin.post(`${path}/account`, {});
	case 'disable':
		return as.admin.post(`${path}/account/disable`, {});
	case 'delete':
		return adder.del(path);
	case 'hand-over':
		return as.admin.request('DELETE', `/api/admin/members/${ids.adder}`, { successorId: ids.zhang });
	default:
		throw new Error(action);
	}
}

test('every kind of contact through every action: level, membership, account state, sessions and directory after each', async () => {
	let serial = 0;
	for (const kind of KINDS) {
		for (const action of ACTIONS) {
			const cell = `${kind} / ${action}`;
			serial += 1;
			const tag = `x${serial}`;
			const adder = action === 'hand-over' ? await newMember(tag) : as.zhang;
			const ids = { adder: adder.me.user.id, zhang: as.zhang.me.user.id, lina: as.lina.me.user.id, wang: as.wang.me.user.id };
			const person = await make(kind, adder, tag);
			// Every contact starts visible to its adder and lina, at level -3 (the menu needs -5).
			await setPermissions(person.id, -3, ascending([ids.adder, ids.lina]), adder);

			const answer = await act(action, person.id, adder, ids);
			const code = answer.status < 300 ? '' : answer.json?.error?.code;
			assert.equal(code, expected(kind, action), `${cell}: ${answer.status} ${answer.text}`);

			// zhangwei holds every contact afterwards: as its adder, or as the successor.
			const contact = await as.zhang.get(`${BASE}/contacts/${person.id}`);
			const disabled = kind === 'disabled account' || (ACCOUNT_KINDS.has(kind) && action === 'disable');
			if (action === 'delete') {
				assert.equal(contact.status, 404, `${cell}: ${contact.text}`);
				if (kind === 'linked from another org') {
					// Their own login stays; the external membership of 星河科技 is gone.
					const again = await loggedIn(host.baseUrl, person.login, PASSWORD);
					assert.ok(!again.me.orgs.some((o) => o.id === org1), `${cell}: ${JSON.stringify(again.me.orgs)}`);
				} else if (person.session) {
					assert.equal((await person.session.get('/api/me')).status, 401, `${cell}: the account's sessions end`);
					const refused = await new Client(host.baseUrl).request('POST', '/api/session', { login: person.login, password: PASSWORD });
					assert.equal(refused.status, 401, cell);
				}
				continue;
			}
			assert.equal(contact.status, 200, `${cell}: ${contact.text}`);
			const level = action === 'permissions' ? -8 : -3;
			assert.equal(contact.json.securityLevel, level, cell);
			if (action === 'hand-over') assert.equal(contact.json.addedBy.id, ids.zhang, cell);
			let visible = ascending([ids.adder, ids.lina]);
			if (action === 'permissions') visible = ascending([ids.adder, ids.lina, ids.wang]);
			if (action === 'hand-over') visible = ascending([ids.lina, ids.zhang]); // the successor takes the leaver's place

			// The account as the host has it.
			const view = await accountOf(person.id);
			assert.equal(view.personHasAccount, kind === 'linked from another org', cell);
			let status = null;
			if (kind === 'pending account') status = 'pending';
			if (kind === 'active account') status = 'active';
			if (disabled) status = 'disabled';
			if (!ACCOUNT_KINDS.has(kind) && kind !== 'linked from another org' && action === 'assign') status = 'pending';
			assert.equal(view.account?.status ?? null, status, `${cell}: ${JSON.stringify(view.account)}`);

			// The person at the host: what they log in with, the level, the menu, the directory.
			let session = person.session;
			if (disabled) {
				if (session) assert.equal((await session.get('/api/me')).status, 401, `${cell}: sessions end`);
				if (person.login && kind !== 'pending account') {
					const refused = await new Client(host.baseUrl).request('POST', '/api/session', { login: person.login, password: PASSWORD });
					assert.equal(refused.status, 401, cell);
				}
				continue;
			}
			if (status === 'pending') session = await activate(person.id, view.account.login); // made at the contact's level
			if (!session) continue; // no login: nothing at the host
			assert.equal(await levelOf(session), level, cell);
			assert.equal(await seesMenu(session), level >= -5, cell);
			assert.deepEqual(await directory(session), visible, cell);
		}
	}
});
