// http.trustedProxies over HTTP (issue 12): X-Forwarded-For / X-Forwarded-Proto
// are believed only from the listed senders. Two hosts: `trusting` lists
// 127.0.0.1 (where this test and the two-node proxy connect from), `plain`
// lists nobody. Checked on both: the login throttle per address, the client
// address in a contact's history, the Secure flag of the session cookie and
// the scheme of invitation links; and that a client cannot shift the blame
// by writing addresses of its own in front of what the proxy appended.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
const LIMITS = {
	'login.maxFailuresPerAddress': '3',
	'login.maxFailuresPerLogin': '1000',
	'login.failureWindowSeconds': '900',
};

let trusting; // believes 127.0.0.1
let plain;    // believes nobody
let strict;   // believes nobody; its 127.0.0.1 gets throttled

before(async () => {
	trusting = await startHost({ set: { ...LIMITS, 'http.trustedProxies': '127.0.0.1, ::1' } });
	plain = await startHost();
	strict = await startHost({ set: { ...LIMITS } });
});

after(async () => {
	await trusting?.stop();
	await plain?.stop();
	await strict?.stop();
});

let serial = 0;
function nobody() {
	serial += 1;
	return `nobody${serial}x${Date.now() % 100000}`;
}

/** A login attempt as the given headers; resolves to the HTTP status. */
async function attempt(host, login, password, headers = {}) {
	const c = new Client(host.baseUrl);
	const r = await c.request('POST', '/api/session', { login, password }, { headers });
	return r;
}

async function failThreeTimes(host, headers) {
	for (let i = 0; i < 3; i += 1) {
		const r = await attempt(host, nobody(), 'wrong-password-123', headers);
		assert.equal(r.status, 401, `failure ${i + 1} is an ordinary 401: ${r.text}`);
	}
}

test('from a trusted proxy, the login throttle counts the forwarded client, not the proxy', async () => {
	const blocked = { 'X-Forwarded-For': '203.0.113.10' };
	await failThreeTimes(trusting, blocked);
	const r = await attempt(trusting, DEMO.lina.login, DEMO.lina.password, blocked);
	assert.equal(r.status, 429, 'the fourth attempt from 203.0.113.10 is throttled');
	// Addresses the client wrote itself in front of the proxy's are not believed.
	const spoofed = await attempt(trusting, DEMO.lina.login, DEMO.lina.password,
		{ 'X-Forwarded-For': '198.51.100.99, 203.0.113.10' });
	assert.equal(spoofed.status, 429, 'prepending another address does not escape the limit');
	// Another client behind the same proxy, and the proxy itself, are not affected.
	const other = await attempt(trusting, DEMO.lina.login, DEMO.lina.password, { 'X-Forwarded-For': '203.0.113.11' });
	assert.equal(other.status, 200, other.text);
	const direct = await attempt(trusting, DEMO.lina.login, DEMO.lina.password);
	assert.equal(direct.status, 200, direct.text);
});

test('from an untrusted sender, X-Forwarded-For is ignored: every failure counts against the peer', async () => {
	await failThreeTimes(strict, { 'X-Forwarded-For': '203.0.113.20' });
	const r = await attempt(strict, DEMO.lina.login, DEMO.lina.password, { 'X-Forwarded-For': '203.0.113.21' });
	assert.equal(r.status, 429, 'a new forwarded address does not reset the count of 127.0.0.1');
	assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
});

async function historyAddress(host, headers) {
	const zhang = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const created = await zhang.post(`${BASE}/contacts`, { name: `代理测试${nobody()}` }, { headers });
	assert.equal(created.status, 201, created.text);
	const h = await zhang.get(`${BASE}/contacts/${created.json.id}/history`);
	assert.equal(h.status, 200, h.text);
	const entry = h.json.items.find((e) => e.action === 'contact.create');
	assert.ok(entry, 'the create is in the history');
	return entry.remoteAddr;
}

test('the history records the forwarded client only when the proxy is trusted', async () => {
	const headers = { 'X-Forwarded-For': '198.51.100.77' };
	assert.equal(await historyAddress(trusting, headers), '198.51.100.77');
	assert.equal(await historyAddress(plain, headers), '127.0.0.1');
});

function sessionCookie(r) {
	const lines = typeof r.headers.getSetCookie === 'function' ? r.headers.getSetCookie() : [];
	const line = lines.find((l) => l.startsWith('rh_session='));
	assert.ok(line, `a session cookie is set: ${JSON.stringify(lines)}`);
	return line;
}

test('the session cookie is Secure when a trusted proxy says https, and only then', async () => {
	const https = { 'X-Forwarded-Proto': 'https' };
	const viaTls = await attempt(trusting, DEMO.zhangwei.login, DEMO.zhangwei.password, https);
	assert.equal(viaTls.status, 200, viaTls.text);
	assert.match(sessionCookie(viaTls), /;\s*Secure/i);
	const viaHttp = await attempt(trusting, DEMO.zhangwei.login, DEMO.zhangwei.password, { 'X-Forwarded-Proto': 'http' });
	assert.doesNotMatch(sessionCookie(viaHttp), /;\s*Secure/i);
	const untrusted = await attempt(plain, DEMO.zhangwei.login, DEMO.zhangwei.password, https);
	assert.equal(untrusted.status, 200, untrusted.text);
	assert.doesNotMatch(sessionCookie(untrusted), /;\s*Secure/i, 'a client cannot claim https for itself');
});

async function invitationUrl(host, headers) {
	const zhang = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const r = await zhang.post(`${BASE}/invitations`, {}, { headers });
	assert.equal(r.status, 201, r.text);
	return r.json.url;
}

test('invitation links take the scheme a trusted proxy states; a client cannot choose it', async () => {
	const https = { 'X-Forwarded-Proto': 'https' };
	const site = new URL(trusting.baseUrl).host;
	assert.ok((await invitationUrl(trusting, https)).startsWith(`https://${site}/invite/`));
	assert.ok((await invitationUrl(trusting, {})).startsWith(`http://${site}/invite/`),
		'no X-Forwarded-Proto from the proxy: plain http');
	const plainSite = new URL(plain.baseUrl).host;
	assert.ok((await invitationUrl(plain, https)).startsWith(`http://${plainSite}/invite/`),
		'X-Forwarded-Proto from an untrusted sender is not passed to the plugin');
});

test('a malformed http.trustedProxies stops the host at start, naming the setting', async () => {
	await assert.rejects(startHost({ set: { 'http.trustedProxies': '10.0.0.0/33' }, nodes: 1 }), (error) => {
		assert.match(String(error.message), /exited/);
		assert.match(String(error.message), /http\.trustedProxies: bad prefix length: 10\.0\.0\.0\/33/);
		return true;
	});
});
