// The reference host over HTTP, on the database EC_E2E_DB names: login,
// throttling, CSRF, session expiry, org switch, menus, back-office
// permission checks and notifications.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

let host;

before(async () => {
	host = await startHost({ set: { 'login.maxFailuresPerLogin': '3', 'login.failureWindowSeconds': '600' } });
});

after(async () => {
	await host?.stop();
});

test('login answers Me with a CSRF token and sets an HttpOnly SameSite cookie', async () => {
	const c = new Client(host.baseUrl);
	const r = await c.request('POST', '/api/session', { login: 'zhangwei', password: DEMO.zhangwei.password });
	assert.equal(r.status, 200);
	assert.equal(r.json.user.login, 'zhangwei');
	assert.equal(r.json.org.name, DEMO.org1.name);
	assert.equal(r.json.org.kind, 'member');
	assert.match(r.json.csrfToken, /^[0-9a-f]{64}$/);
	const cookie = r.headers.getSetCookie().find((line) => line.startsWith('rh_session='));
	assert.ok(cookie, 'session cookie set');
	assert.match(cookie, /HttpOnly/i);
	assert.match(cookie, /SameSite=Lax/i);
	const me = await c.get('/api/me');
	assert.equal(me.status, 200);
	assert.equal(me.json.user.displayName, '张伟');
});

test('a second login gets a new session id; the old one keeps working until logout', async () => {
	const a = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	const b = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	assert.notEqual(a.cookieHeader(), b.cookieHeader());
	assert.equal((await a.get('/api/me')).status, 200);
	assert.equal((await a.logout()).status, 204);
	assert.equal((await b.get('/api/me')).status, 200);
});

test('wrong password, unknown login and missing fields are refused without a session', async () => {
	const c = new Client(host.baseUrl);
	let r = await c.request('POST', '/api/session', { login: 'lina', password: 'not-her-password' });
	assert.equal(r.status, 401);
	assert.equal(r.json.error.code, 'invalid_credentials');
	r = await c.request('POST', '/api/session', { login: 'nobody-here', password: 'whatever-it-is' });
	assert.equal(r.status, 401);
	assert.equal(r.json.error.code, 'invalid_credentials', 'unknown logins look like wrong passwords');
	r = await c.request('POST', '/api/session', { login: 'lina' });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.field, 'password');
	r = await c.request('POST', '/api/session', '{"login":', { raw: true });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.code, 'invalid_json');
	r = await c.request('POST', '/api/session', 'login=lina', { raw: true, contentType: 'application/x-www-form-urlencoded' });
	assert.equal(r.status, 415);
	assert.equal((await c.get('/api/me')).status, 401);
});

test('login is throttled after repeated failures, even with the right password', async () => {
	const c = new Client(host.baseUrl);
	for (let i = 0; i < 3; i++) {
		const r = await c.request('POST', '/api/session', { login: 'chenjie', password: `wrong-${i}-password` });
		assert.equal(r.status, 401);
	}
	const r = await c.request('POST', '/api/session', { login: 'chenjie', password: DEMO.chenjie.password });
	assert.equal(r.status, 429);
	assert.equal(r.json.error.code, 'too_many_requests');
	const retry = Number(r.headers.get('retry-after'));
	assert.ok(retry > 0 && retry <= 601, `Retry-After ${retry}`);
	// Other logins are not affected.
	await loggedIn(host.baseUrl, 'wangfang', DEMO.wangfang.password);
});

test('unsafe methods without the CSRF token are refused and change nothing', async () => {
	const admin = await loggedIn(host.baseUrl, 'admin', DEMO.admin.password);
	const before = (await admin.get('/api/admin/org-settings')).json.defaultSecurityLevel;
	let r = await admin.put('/api/admin/org-settings', { defaultSecurityLevel: -7 }, { csrf: false });
	assert.equal(r.status, 403);
	assert.equal(r.json.error.code, 'csrf_failed');
	r = await admin.put('/api/admin/org-settings', { defaultSecurityLevel: -7 }, { csrf: 'f'.repeat(64) });
	assert.equal(r.status, 403);
	assert.equal((await admin.get('/api/admin/org-settings')).json.defaultSecurityLevel, before);
	r = await admin.del('/api/session', { csrf: false });
	assert.equal(r.status, 403);
	assert.equal((await admin.get('/api/me')).status, 200, 'logout without CSRF did not end the session');
});

test('org settings: admins only, range -999..0, field named on error', async () => {
	const admin = await loggedIn(host.baseUrl, 'admin', DEMO.admin.password);
	let r = await admin.put('/api/admin/org-settings', { defaultSecurityLevel: -12 });
	assert.equal(r.status, 200);
	assert.equal(r.json.defaultSecurityLevel, -12);
	for (const bad of [1, -1000, 'x', 1.5, true, false, null, '-5']) {
		r = await admin.put('/api/admin/org-settings', { defaultSecurityLevel: bad });
		assert.equal(r.status, 400, `value ${bad}`);
		assert.equal(r.json.error.field, 'defaultSecurityLevel');
	}
	r = await admin.put('/api/admin/org-settings', { defaultSecurityLevel: -1, colour: 'red' });
	assert.equal(r.status, 400);
	assert.equal(r.json.error.code, 'unknown_field');
	assert.equal((await admin.get('/api/admin/org-settings')).json.defaultSecurityLevel, -12);
	const member = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
	r = await member.put('/api/admin/org-settings', { defaultSecurityLevel: 0 });
	assert.equal(r.status, 403);
	assert.equal((await member.get('/api/admin/pages')).status, 403);
	assert.equal((await admin.get('/api/admin/org-settings')).json.defaultSecurityLevel, -12);
});

test('org switch only into own organizations', async () => {
	const c = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
	const r = await c.post('/api/me/org', { orgId: 2 });
	assert.equal(r.status, 404, 'zhangwei is not a member of org 2');
	assert.equal((await c.get('/api/me')).json.org.id, 1);
	const bad = await c.post('/api/me/org', { orgId: 'two' });
	assert.equal(bad.status, 400);
	assert.equal(bad.json.error.field, 'orgId');
});

test('menus come from the plugin, localized', async () => {
	const zh = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
	let r = await zh.get('/api/menus?location=main.nav');
	assert.equal(r.status, 200);
	const item = r.json.items.find((i) => i.id === 'external-contacts');
	assert.ok(item, 'the plugin registered its main.nav item');
	assert.equal(item.label, '外部互联');
	assert.equal(item.pluginId, 'external-contacts');
	r = await zh.get('/api/menus?location=main.nav', { lang: 'en' });
	assert.equal(r.json.items.find((i) => i.id === 'external-contacts').label, 'External contacts');
	r = await zh.get('/api/menus?location=contacts.new');
	assert.deepEqual(r.json.items.map((i) => i.id).sort(),
		['contacts.new.create', 'contacts.new.from-org', 'contacts.new.invite-wechat']);
	assert.equal((await zh.get('/api/menus')).status, 400);
	assert.equal((await new Client(host.baseUrl).get('/api/menus?location=main.nav')).status, 401);
});

test('notifications: empty list, unread count, unknown ids answer 404', async () => {
	const c = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	let r = await c.get('/api/notifications');
	assert.equal(r.status, 200);
	assert.deepEqual(r.json.items, []);
	assert.equal(r.json.nextCursor, null);
	r = await c.get('/api/notifications/unread-count');
	assert.equal(r.json.count, 0);
	assert.equal((await c.post('/api/notifications/999999/read')).status, 404);
	assert.equal((await c.post('/api/notifications/abc/read')).status, 404);
	assert.equal((await c.get('/api/notifications?limit=0')).status, 400);
	assert.equal((await c.get('/api/notifications?cursor=zz')).status, 400);
});

test('path tricks and unknown routes answer 4xx JSON, never files outside the web roots', async () => {
	const c = new Client(host.baseUrl);
	for (const p of ['/assets/../../etc/passwd', '/assets/%2e%2e/%2e%2e/etc/passwd', '/plugins/x/web/..%2f..%2fetc',
		'/api/nothing', '/assets/.hidden']) {
		const r = await c.get(p);
		assert.ok(r.status >= 400 && r.status < 500, `${p} → ${r.status}`);
		assert.ok(!r.text.includes('root:'), p);
	}
});

test('a refused request with an unread body does not break the next request on the connection', async () => {
	const c = await loggedIn(host.baseUrl, 'admin', DEMO.admin.password);
	for (let i = 0; i < 3; i++) {
		const r = await c.put('/api/admin/org-settings', { defaultSecurityLevel: -3 }, { csrf: false });
		assert.equal(r.status, 403);
		assert.equal((await c.get('/api/me')).status, 200);
	}
});

test('bodies over 1 MiB answer 413 and the server stays up', async () => {
	const c = new Client(host.baseUrl);
	for (const size of [1024 * 1024 + 10, 3 * 1024 * 1024]) {
		const big = JSON.stringify({ login: 'x'.repeat(size), password: 'y' });
		const r = await c.request('POST', '/api/session', big, { raw: true });
		assert.equal(r.status, 413, `${size} bytes`);
		assert.equal(r.json.error.code, 'payload_too_large');
		assert.equal((await c.get('/healthz')).status, 200);
	}
});
