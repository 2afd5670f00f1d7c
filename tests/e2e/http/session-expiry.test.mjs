// Idle and absolute session timeouts, with a host configured for seconds.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const hosts = [];
after(async () => {
	for (const h of hosts) await h.stop();
});

test('an idle session expires', async () => {
	const host = await startHost({ set: { 'session.idleSeconds': '2', 'session.absoluteSeconds': '3600' } });
	hosts.push(host);
	const c = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
	assert.equal((await c.get('/api/me')).status, 200);
	// GET /api/session: the session check alone, with when the session ends.
	const check = await c.get('/api/session');
	assert.equal(check.status, 200, check.text);
	assert.equal(check.json.userId, c.me.user.id);
	assert.equal(check.json.orgId, c.me.org.id);
	assert.ok(check.json.idleExpiresAt > Date.now() && check.json.idleExpiresAt <= Date.now() + 2000, check.text);
	assert.ok(check.json.expiresAt > Date.now() + 3000 * 1000, check.text);
	const anonymous = await new Client(host.baseUrl).get('/api/session');
	assert.equal(anonymous.status, 401, 'no session: 401');
	assert.equal(anonymous.json.error.code, 'unauthenticated');
	await sleep(2500);
	const r = await c.get('/api/me');
	assert.equal(r.status, 401);
	assert.equal(r.json.error.code, 'unauthenticated');
	assert.equal((await c.get('/api/session')).status, 401, 'the check refuses the idle session too');
});

test('a busy session still ends at the absolute timeout', async () => {
	const host = await startHost({ set: { 'session.idleSeconds': '3600', 'session.absoluteSeconds': '3' } });
	hosts.push(host);
	const c = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
	for (let i = 0; i < 2; i++) {
		assert.equal((await c.get('/api/me')).status, 200);
		await sleep(1000);
	}
	await sleep(1500);
	assert.equal((await c.get('/api/me')).status, 401);
});
