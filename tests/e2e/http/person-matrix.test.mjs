// Who a contact's person is, seen from the host (issue 13), against a real
// host: every kind of contact that has a login — an account opened in the
// org (pending, active, disabled) and a person added from another org — is
// walked through the actions that concern the person (permissions, apply,
// assign, disable, delete), logging in as the person where they have a
// password and checking what the host gives them: /api/me org.securityLevel,
// /api/menus (an item with a minimum level), /api/directory/members, their
// orgs and sessions. A plain contact is the control. (Joined by invitation
// and hand-over are covered in tests/integration/plugin/ContactPersonTest.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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
	host = await startHost();
	as = {
		admin: await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password),
		zhang: await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password),
		lina: await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password),
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

async function newContact(name, email) {
	const r = await as.zhang.post(`${BASE}/contacts`, { name, company: `人员矩阵${suffix}`, ...(email ? { email } : {}) });
	assert.equal(r.status, 201, r.text);
	return r.json.id;
}

async function setPermissions(id, securityLevel, visibleMembers = [as.zhang.me.user.id]) {
	const current = await as.zhang.get(`${BASE}/contacts/${id}/permissions`);
	assert.equal(current.status, 200, current.text);
	const r = await as.zhang.put(`${BASE}/contacts/${id}/permissions`, { version: current.json.version, visibleMembers, securityLevel });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.securityLevel, securityLevel);
}

// 直接开通 by the admin: the account waits for activation.
async function assign(id) {
	const r = await as.admin.post(`${BASE}/contacts/${id}/account`, {});
	assert.equal(r.status, 201, r.text);
	return r.json.account.login;
}

async function activate(id, login) {
	const link = await as.zhang.post(`${BASE}/contacts/${id}/account/activation-link`, {});
	assert.equal(link.status, 200, link.text);
	const token = link.json.path.split('/').pop();
	assert.equal((await new Client(host.baseUrl).post('/api/activation', { token, password: PASSWORD })).status, 204);
	return loggedIn(host.baseUrl, login, PASSWORD);
}

// A member of 远山贸易 whom zhangwei adds through 从其他组织添加; they switch into 星河科技.
async function linkedPerson(tag) {
	const login = `pm${tag}${suffix}`;
	const made = await host.cli(['user', 'create', `--login=${login}`, `--name=矩阵${tag}${suffix}`, `--org=${DEMO.org2.name}`,
		'--password-stdin'], { input: `${PASSWORD}\n` });
	assert.equal(made.code, 0, `user create: ${made.stdout}${made.stderr}`);
	const person = await loggedIn(host.baseUrl, login, PASSWORD);
	const request = await as.zhang.post(`${BASE}/org-requests`, { orgId: person.me.org.id, userId: person.me.user.id });
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
