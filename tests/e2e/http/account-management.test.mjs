// Direct account management (R6.4) over HTTP: admins and maintain-holders
// assign an account (settling a pending application), disable it (sessions
// end at once), enable it, and reset it (new activation link, old password
// gone); nobody else may; bad states are named.
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
	};
});

after(async () => {
	await host?.stop();
});

async function newContact(suffix) {
	const r = await as.zhang.post(`${BASE}/contacts`, { name: `直开${suffix}`, email: `direct.${suffix}@example.com` });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function activate(path, password) {
	const token = path.split('/').pop();
	const r = await new Client(host.baseUrl).post('/api/activation', { token, password });
	assert.equal(r.status, 204, r.text);
}

test('assign, activate, disable (session ends), enable, reset (old password gone)', async () => {
	const suffix = randomBytes(3).toString('hex');
	const contact = await newContact(suffix);
	const url = `${BASE}/contacts/${contact.id}/account`;
	assert.equal((await as.zhang.get(url)).json.mayManage, false);
	assert.equal((await as.wang.get(url)).json.mayManage, true);

	const assigned = await as.wang.post(url, {});
	assert.equal(assigned.status, 201, assigned.text);
	assert.deepEqual(assigned.json, { account: { status: 'pending', login: `direct.${suffix}` } });
	const twice = await as.admin.post(url, {});
	assert.equal(twice.status, 409);
	assert.equal(twice.json.error.code, 'account_exists');

	const link = await as.zhang.post(`${url}/activation-link`, {});
	await activate(link.json.path, 'Tq8#vLm2!pZr');
	const user = await loggedIn(host.baseUrl, `direct.${suffix}`, 'Tq8#vLm2!pZr');

	const disabled = await as.admin.post(`${url}/disable`, {});
	assert.equal(disabled.status, 200, disabled.text);
	assert.deepEqual(disabled.json, { status: 'disabled' });
	assert.equal((await user.get('/api/me')).status, 401, 'sessions end at once');
	assert.equal((await new Client(host.baseUrl).request('POST', '/api/session', { login: `direct.${suffix}`, password: 'Tq8#vLm2!pZr' })).status, 401);
	const resetDisabled = await as.admin.post(`${url}/reset`, {});
	assert.equal(resetDisabled.status, 409, resetDisabled.text);

	const enabled = await as.wang.post(`${url}/enable`, {});
	assert.deepEqual(enabled.json, { status: 'active' });
	const again = await loggedIn(host.baseUrl, `direct.${suffix}`, 'Tq8#vLm2!pZr');

	const reset = await as.admin.post(`${url}/reset`, {});
	assert.equal(reset.status, 200, reset.text);
	assert.match(reset.json.path, /^\/#\/activate\/[0-9a-f]{64}$/);
	assert.equal((await again.get('/api/me')).status, 401, 'reset ends the sessions');
	assert.equal((await new Client(host.baseUrl).request('POST', '/api/session', { login: `direct.${suffix}`, password: 'Tq8#vLm2!pZr' })).status, 401, 'the old password is gone');
	assert.equal((await as.zhang.get(url)).json.account.status, 'pending');
	await activate(reset.json.path, 'Second#Good#Pass9');
	await loggedIn(host.baseUrl, `direct.${suffix}`, 'Second#Good#Pass9');

	const history = (await as.zhang.get(`${BASE}/contacts/${contact.id}/history`)).json.items.map((e) => e.action);
	assert.deepEqual(history.slice(0, 5), ['account.reset', 'account.enable', 'account.disable', 'account.link', 'account.assign']);
});

test('assigning settles a pending application; a never-activated account enabled again waits for activation', async () => {
	const suffix = randomBytes(3).toString('hex');
	const contact = await newContact(suffix);
	const url = `${BASE}/contacts/${contact.id}/account`;
	const applied = await as.zhang.post(`${BASE}/contacts/${contact.id}/applications`, {});
	const assigned = await as.admin.post(url, {});
	assert.equal(assigned.status, 201, assigned.text);
	const tab = await as.zhang.get(url);
	assert.equal(tab.json.applications[0].id, applied.json.id);
	assert.equal(tab.json.applications[0].status, 'approved');
	assert.equal(tab.json.applications[0].decidedBy.id, as.admin.me.user.id);
	assert.equal((await as.admin.post(`${url}/disable`, {})).json.status, 'disabled');
	assert.equal((await as.admin.post(`${url}/enable`, {})).json.status, 'pending');
	assert.equal((await as.zhang.post(`${url}/activation-link`, {})).status, 200);
});

test('only admins and maintain-holders manage accounts; bad requests are named', async () => {
	const suffix = randomBytes(3).toString('hex');
	const contact = await newContact(suffix);
	const url = `${BASE}/contacts/${contact.id}/account`;
	assert.equal((await as.zhang.put(`${BASE}/contacts/${contact.id}/shares`, { members: [as.lina.me.user.id] })).status, 200);
	for (const path of ['', '/disable', '/enable', '/reset']) {
		assert.equal((await as.zhang.post(`${url}${path}`, {})).status, 403, `adder ${path}`);
		assert.equal((await as.lina.post(`${url}${path}`, {})).status, 403, `shared-with ${path}`);
		assert.equal((await new Client(host.baseUrl).post(`${url}${path}`, {})).status, 401);
	}
	for (const path of ['/disable', '/enable', '/reset']) {
		const r = await as.admin.post(`${url}${path}`, {});
		assert.equal(r.status, 409, `${path}: ${r.text}`);
		assert.equal(r.json.error.code, 'no_account');
	}
	const extra = await as.admin.post(url, { login: 'chosen' });
	assert.equal(extra.status, 400);
	assert.equal(extra.json.error.code, 'unknown_field');
	assert.equal(extra.json.error.field, 'login');
	assert.equal((await as.zhang.get(url)).json.account, null, 'nothing was made');
	assert.equal((await as.admin.post(`${BASE}/contacts/99999999/account`, {})).status, 404);
});
