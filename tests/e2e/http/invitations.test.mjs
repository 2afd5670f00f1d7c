// Invitation links (R4) over HTTP against real hosts, on the database
// EC_E2E_DB names: the member routes (create / list / regenerate / revoke /
// QR images decoded with zbarimg), the public landing page GET|POST
// /invite/{token} (headers, form validation, the contact and notice it
// makes), the use limit under 50 concurrent submissions, the rate limits
// (a second host with low settings) and WeChat web authorization plus the
// JS-SDK share card against the node fake of WeChat (a third host).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';
import { startWeChatFake } from '../lib/wechat-fake.mjs';

const BASE = '/api/plugins/external-contacts';
const SETTING = (key) => `plugin.external-contacts.${key}`;
const MISSING_ID = 987654321;
const CLI_PASSWORD = 'Invite-Pass-2026!';
const HOUR_MS = 3600 * 1000;
const WINDOW_MS = 10 * 60 * 1000;
const WX = { appId: 'wx5f1c2e0a9b3d4e71', appSecret: 'e2e-wechat-secret-7f3a' };

let host;   // the main host: generous rate limits, no WeChat
let strict; // low rate limits
let wxHost; // WeChat configured against the fake
let fake;
let api;    // a recording pass-through in front of the fake's API: the ticket it hands out
let tmp;
const as = {};
let serial = 0;

function unique(prefix) {
	serial += 1;
	return `${prefix}${serial}${randomBytes(2).toString('hex')}`;
}

/** A mainland mobile number nobody else in this file uses. */
function mobile() {
	serial += 1;
	return `139${String(Date.now() % 100000).padStart(5, '0')}${String(serial).padStart(3, '0')}`.slice(0, 11);
}

before(async () => {
	tmp = await mkdtemp(path.join(os.tmpdir(), 'ec-e2e-invite-'));
	fake = await startWeChatFake({ ...WX, ticketExpiresIn: 1 });
	api = await recordTickets(fake.baseUrl);
	[host, strict, wxHost] = await Promise.all([
		startHost({
			set: {
				[SETTING('inviteLinksPerMemberPer10Minutes')]: '1000',
				[SETTING('inviteSubmissionsPerAddressPer10Minutes')]: '1000',
			},
		}),
		startHost({
			set: {
				// The plugin's counters use fixed 10-minute windows: start this
				// host's plugin clock one minute into a window, so the limits
				// below are not reset by a window boundary during the run.
				'clock.offsetMs': String(WINDOW_MS - (Date.now() % WINDOW_MS) + 60000),
				[SETTING('inviteLinksPerMemberPer10Minutes')]: '4',
				[SETTING('inviteActiveLinksPerMember')]: '2',
				[SETTING('inviteSubmissionsPerAddressPer10Minutes')]: '2',
			},
		}),
		startHost({
			set: {
				[SETTING('wechatAppId')]: WX.appId,
				[SETTING('wechatAppSecret')]: WX.appSecret,
				[SETTING('wechatOpenBaseUrl')]: fake.baseUrl,
				[SETTING('wechatApiBaseUrl')]: api.baseUrl,
			},
		}),
	]);
	const r = await host.cli(['user', 'create', '--login=invite.guest', '--name=邀请访客', `--org=${DEMO.org1.name}`, '--external',
		'--password-stdin'], { input: `${CLI_PASSWORD}\n` });
	assert.equal(r.code, 0, `user create: ${r.stdout}${r.stderr}`);
	[as.zhang, as.lina, as.chen, as.admin, as.guest] = await Promise.all([
		loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password),
		loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password),
		loggedIn(host.baseUrl, DEMO.chenjie.login, DEMO.chenjie.password),
		loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password),
		loggedIn(host.baseUrl, 'invite.guest', CLI_PASSWORD),
	]);
	assert.equal(as.guest.me.org.kind, 'external');
});

after(async () => {
	await Promise.all([host?.stop(), strict?.stop(), wxHost?.stop()]);
	await api?.close();
	await fake?.close();
	if (tmp) await rm(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers

/**
 * Forwards every request to target as is and keeps the last JS-SDK ticket
 * target answered (the fake does not tell its tickets otherwise).
 */
async function recordTickets(target) {
	const seen = { ticket: null, tickets: 0 };
	const server = http.createServer(async (req, res) => {
		try {
			const answer = await fetch(target + req.url, { redirect: 'manual' });
			const body = await answer.text();
			if (req.url.startsWith('/cgi-bin/ticket/getticket')) {
				const parsed = JSON.parse(body);
				if (parsed.ticket) {
					seen.ticket = parsed.ticket;
					seen.tickets += 1;
				}
			}
			res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') || 'text/plain' });
			res.end(body);
		} catch (error) {
			res.writeHead(502);
			res.end(String(error));
		}
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${server.address().port}`,
		seen,
		close: () => new Promise((resolve) => {
			server.closeAllConnections?.();
			server.close(() => resolve());
		}),
	};
}

async function create(client, body = {}) {
	const r = await client.post(`${BASE}/invitations`, body);
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function listOf(client, query = '') {
	const r = await client.get(`${BASE}/invitations${query}`);
	assert.equal(r.status, 200, r.text);
	return r.json;
}

async function find(client, id) {
	for (let cursor = null, page = 0; page < 100; page++) {
		const r = await listOf(client, `?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
		const hit = r.items.find((i) => i.id === id);
		if (hit) return hit;
		cursor = r.nextCursor;
		if (!cursor) return undefined;
	}
	throw new Error('paging did not end');
}

/** A request without a session (the visitor of the landing page). */
async function visit(baseUrl, pathname, { method = 'GET', body, headers = {}, cookie } = {}) {
	const h = { ...headers };
	if (cookie) h.Cookie = cookie;
	const response = await fetch(baseUrl + pathname, { method, headers: h, body, redirect: 'manual' });
	return { status: response.status, headers: response.headers, text: await response.text() };
}

/** POST the landing form the way the page's own form does (same Origin, urlencoded). */
function submit(baseUrl, token, fields, { origin = baseUrl, contentType = 'application/x-www-form-urlencoded', raw, headers: more = {} } = {}) {
	const headers = { 'Content-Type': contentType, ...more };
	if (origin) headers.Origin = origin;
	return visit(baseUrl, `/invite/${token}`, { method: 'POST', body: raw ?? new URLSearchParams(fields).toString(), headers });
}

function run(command, args) {
	return new Promise((resolve, reject) => {
		execFile(command, args, { timeout: 20000 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`));
			else resolve(stdout);
		});
	});
}

/** The text of the QR code in image bytes (PNG, or SVG rendered to PNG first). */
async function decodeQr(bytes, kind) {
	const name = path.join(tmp, `qr-${++serial}`);
	await writeFile(`${name}.${kind}`, bytes);
	if (kind === 'svg') await run('rsvg-convert', ['-o', `${name}.png`, `${name}.svg`]);
	return (await run('zbarimg', ['--raw', '-q', `${name}.png`])).replace(/\n$/, '');
}

async function qr(client, id, kind, { token, size } = {}) {
	const headers = token === undefined ? {} : { 'X-Invite-Token': token };
	const query = size === undefined ? '' : `?size=${encodeURIComponent(size)}`;
	const response = await fetch(`${client.baseUrl}${BASE}/invitations/${id}/qr.${kind}${query}`, {
		headers: { ...headers, Cookie: client.cookieHeader() },
	});
	const bytes = Buffer.from(await response.arrayBuffer());
	let json = null;
	if ((response.headers.get('content-type') || '').includes('json')) json = JSON.parse(bytes.toString('utf8'));
	return { status: response.status, headers: response.headers, bytes, json };
}

function pngWidth(bytes) {
	assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
	return bytes.readUInt32BE(16);
}

function assertField(r, field, code = 'validation_failed') {
	assert.equal(r.status, 400, r.text);
	assert.equal(r.json.error.code, code, r.text);
	assert.equal(r.json.error.field, field, r.text);
}

function assertRetryAfter(r, max) {
	const header = r.headers.get('retry-after');
	assert.match(header ?? '', /^[0-9]+$/, `Retry-After: ${header}`);
	const seconds = Number(header);
	assert.ok(seconds >= 1 && seconds <= max, `Retry-After ${seconds} not in 1..${max}`);
	return seconds;
}

/** Polls fn until it returns a truthy value (a state, not a time, ends the wait). */
async function waitFor(fn, what, timeoutMs = 10000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await fn();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

function element(html, id) {
	const match = html.match(new RegExp(`<[a-z0-9]+[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</`));
	return match ? match[1] : null;
}

function inputOf(html, name) {
	const match = html.match(new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`));
	return match ? match[0] : null;
}

function valueOf(html, name) {
	const input = inputOf(html, name);
	const match = input && input.match(/\bvalue="([^"]*)"/);
	return match ? match[1] : null;
}

function cspDirective(r, name) {
	const csp = r.headers.get('content-security-policy') || '';
	const found = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `));
	return found ? found.slice(name.length + 1).split(/\s+/) : null;
}

function assertLandingHeaders(r) {
	assert.equal(r.headers.get('referrer-policy'), 'strict-origin');
	assert.equal(r.headers.get('cache-control'), 'no-store');
	assert.match(r.headers.get('content-type'), /^text\/html/);
	assert.deepEqual(cspDirective(r, 'frame-ancestors'), ["'none'"]);
	assert.deepEqual(cspDirective(r, 'default-src'), ["'none'"]);
	const scripts = cspDirective(r, 'script-src');
	assert.ok(scripts && scripts.includes("'self'"), r.headers.get('content-security-policy'));
	assert.ok(!scripts.includes("'unsafe-inline'") && !scripts.includes("'unsafe-eval'"), 'no inline script allowed');
	assert.match(r.text, /<html lang="zh-CN">/);
	assert.match(r.text, /<meta name="viewport"/);
}

// ---------------------------------------------------------------- 1. member routes

test('create: 201 with the link, its token and the invitation; defaults 168 h and no use limit', async () => {
	const before = Date.now();
	const made = await create(as.zhang, {});
	assert.match(made.token, /^[A-Za-z0-9_-]{43}$/, 'a 256-bit token in base64url');
	assert.equal(made.url, `${host.baseUrl}/invite/${made.token}`);
	const inv = made.invitation;
	assert.deepEqual(Object.keys(inv).sort(), ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'maxUses', 'revokedAt', 'state',
		'ttlHours', 'uses'].sort());
	assert.equal(inv.state, 'active');
	assert.equal(inv.ttlHours, 168);
	assert.equal(inv.expiresAt - inv.createdAt, 7 * 24 * HOUR_MS);
	assert.ok(inv.createdAt >= before - 5000 && inv.createdAt <= Date.now() + 5000, 'createdAt is now');
	assert.equal(inv.maxUses, null);
	assert.equal(inv.uses, 0);
	assert.equal(inv.revokedAt, null);
	assert.equal(inv.lastUsedAt, null);
	assert.ok(!JSON.stringify(await listOf(as.zhang)).includes(made.token), 'the list never shows a token');

	const chosen = await create(as.zhang, { ttlHours: 720, maxUses: 1000 });
	assert.equal(chosen.invitation.ttlHours, 720);
	assert.equal(chosen.invitation.expiresAt - chosen.invitation.createdAt, 720 * HOUR_MS);
	assert.equal(chosen.invitation.maxUses, 1000);
	const smallest = await create(as.zhang, { ttlHours: 1, maxUses: null });
	assert.equal(smallest.invitation.expiresAt - smallest.invitation.createdAt, HOUR_MS);
	assert.equal(smallest.invitation.maxUses, null);
	assert.notEqual(smallest.token, chosen.token);
	// Another org's member invites into their own org.
	const other = await create(as.chen, { maxUses: 1 });
	const page = await visit(host.baseUrl, `/invite/${other.token}`);
	assert.equal(page.status, 200);
	assert.ok(page.text.includes(DEMO.org2.name), 'the landing page names 远山贸易');
});

test('create: bad bodies answer 400 naming the field and make no link', async () => {
	const count = async () => {
		let n = 0;
		for (let cursor = null; ;) {
			const r = await listOf(as.zhang, `?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
			n += r.items.length;
			cursor = r.nextCursor;
			if (!cursor) return n;
		}
	};
	const before = await count();
	for (const ttlHours of [0, 721, '24', true, null, 1.5, -1]) {
		assertField(await as.zhang.post(`${BASE}/invitations`, { ttlHours }), 'ttlHours');
	}
	for (const maxUses of [0, 1001, 1.5, '5', false, -3]) {
		assertField(await as.zhang.post(`${BASE}/invitations`, { maxUses }), 'maxUses');
	}
	assertField(await as.zhang.post(`${BASE}/invitations`, { ttlHours: 24, note: 'x' }), 'note', 'unknown_field');
	const notObject = await as.zhang.post(`${BASE}/invitations`, [1, 2]);
	assert.equal(notObject.status, 400, notObject.text);
	const broken = await as.zhang.post(`${BASE}/invitations`, '{"ttlHours":', { raw: true });
	assert.equal(broken.status, 400, broken.text);
	assert.equal(await count(), before, 'no link was made');
	// The good neighbours of the bad values.
	assert.equal((await create(as.zhang, { ttlHours: 720, maxUses: 1 })).invitation.maxUses, 1);
});

test('create: CSRF, session and member checks', async () => {
	const noCsrf = await as.zhang.post(`${BASE}/invitations`, {}, { csrf: false });
	assert.equal(noCsrf.status, 403, noCsrf.text);
	assert.equal(noCsrf.json.error.code, 'csrf_failed');
	const wrongCsrf = await as.zhang.post(`${BASE}/invitations`, {}, { csrf: 'f'.repeat(64) });
	assert.equal(wrongCsrf.status, 403, wrongCsrf.text);
	const anonymous = new Client(host.baseUrl);
	for (const r of [await anonymous.post(`${BASE}/invitations`, {}), await anonymous.get(`${BASE}/invitations`)]) {
		assert.equal(r.status, 401, r.text);
		assert.equal(r.json.error.code, 'unauthenticated');
	}
	// An external user of the same org: the plugin's routes do not exist for them.
	const own = await create(as.zhang, {});
	for (const r of [
		await as.guest.post(`${BASE}/invitations`, {}),
		await as.guest.get(`${BASE}/invitations`),
		await as.guest.del(`${BASE}/invitations/${own.invitation.id}`),
		await as.guest.post(`${BASE}/invitations/${own.invitation.id}/regenerate`, {}),
	]) {
		assert.equal(r.status, 404, r.text);
	}
	assert.equal((await find(as.zhang, own.invitation.id)).state, 'active', 'nothing happened to the link');
});

test('list: newest first, limit / cursor paging, settings; bad limit and cursor', async () => {
	const ids = [];
	for (let i = 0; i < 5; i++) ids.push((await create(as.lina, { ttlHours: 10 + i })).invitation.id);
	const first = await listOf(as.lina, '?limit=2');
	assert.deepEqual(first.settings, { ttlHoursMin: 1, ttlHoursMax: 720, ttlHoursDefault: 168, maxUsesMax: 1000 });
	assert.deepEqual(first.items.map((i) => i.id), [ids[4], ids[3]]);
	assert.equal(typeof first.nextCursor, 'string');
	const second = await listOf(as.lina, `?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`);
	assert.deepEqual(second.items.map((i) => i.id), [ids[2], ids[1]]);
	const seen = [...first.items, ...second.items].map((i) => i.id);
	let cursor = second.nextCursor;
	while (cursor) {
		const page = await listOf(as.lina, `?limit=2&cursor=${encodeURIComponent(cursor)}`);
		seen.push(...page.items.map((i) => i.id));
		cursor = page.nextCursor;
	}
	assert.ok(seen.includes(ids[0]), 'paging reaches the oldest');
	assert.deepEqual(seen, [...seen].sort((a, b) => b - a), 'newest first, no page overlaps the next');
	assert.equal(new Set(seen).size, seen.length);
	const all = await listOf(as.lina, '?limit=100');
	assert.equal(all.nextCursor, null);
	assert.equal(all.items.length, seen.length);
	assert.equal(all.items.find((i) => i.id === ids[2]).ttlHours, 12);
	// Only my links: zhangwei's are not in lina's list.
	const zhangs = await listOf(as.zhang, '?limit=100');
	assert.ok(!zhangs.items.some((i) => ids.includes(i.id)));

	for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?limit=']) assertField(await as.lina.get(`${BASE}/invitations${query}`), 'limit');
	for (const query of ['?cursor=abc', '?cursor=-1', '?cursor=']) assertField(await as.lina.get(`${BASE}/invitations${query}`), 'cursor');
});

test('another member\'s link: DELETE, regenerate and QR answer 404 like a missing one and change nothing', async () => {
	const linas = await create(as.lina, {});
	const id = linas.invitation.id;
	const calls = [
		(c, x) => c.del(`${BASE}/invitations/${x}`),
		(c, x) => c.post(`${BASE}/invitations/${x}/regenerate`, {}),
	];
	for (const call of calls) {
		for (const who of [as.zhang, as.admin, as.chen]) {
			const r = await call(who, id);
			assert.equal(r.status, 404, r.text);
			assert.equal(r.json.error.code, 'not_found');
			const missing = await call(who, MISSING_ID);
			assert.equal(missing.status, 404);
			assert.equal(missing.text, r.text, 'a foreign link answers like a missing one');
		}
	}
	for (const kind of ['png', 'svg']) {
		const r = await qr(as.zhang, id, kind, { token: linas.token });
		assert.equal(r.status, 404, `qr.${kind} with the right token, wrong member`);
		const missing = await qr(as.zhang, MISSING_ID, kind, { token: linas.token });
		assert.equal(missing.bytes.toString(), r.bytes.toString());
	}
	const still = await find(as.lina, id);
	assert.equal(still.state, 'active');
	assert.equal((await visit(host.baseUrl, `/invite/${linas.token}`)).status, 200, 'the link still works');
	// The owner may.
	assert.equal((await as.lina.del(`${BASE}/invitations/${id}`)).status, 200);
});

test('regenerate: a new link with the same settings; the old one answers 410, the new one 200', async () => {
	const old = await create(as.zhang, { ttlHours: 48, maxUses: 3 });
	assert.equal((await visit(host.baseUrl, `/invite/${old.token}`)).status, 200);
	const r = await as.zhang.post(`${BASE}/invitations/${old.invitation.id}/regenerate`, {});
	assert.equal(r.status, 201, r.text);
	assert.match(r.json.token, /^[A-Za-z0-9_-]{43}$/);
	assert.notEqual(r.json.token, old.token);
	assert.equal(r.json.url, `${host.baseUrl}/invite/${r.json.token}`);
	assert.ok(r.json.invitation.id > old.invitation.id);
	assert.equal(r.json.invitation.ttlHours, 48);
	assert.equal(r.json.invitation.maxUses, 3);
	assert.equal(r.json.invitation.state, 'active');
	assert.equal(r.json.revoked.id, old.invitation.id);
	assert.equal(r.json.revoked.state, 'revoked');
	assert.equal(typeof r.json.revoked.revokedAt, 'number');

	const gone = await visit(host.baseUrl, `/invite/${old.token}`);
	assert.equal(gone.status, 410);
	assertLandingHeaders(gone);
	assert.equal(element(gone.text, 'invite-gone'), '邀请链接已失效');
	assert.match(element(gone.text, 'invite-gone-reason'), /^链接已被撤销/);
	const fresh = await visit(host.baseUrl, `/invite/${r.json.token}`);
	assert.equal(fresh.status, 200);
	assert.equal((await find(as.zhang, old.invitation.id)).state, 'revoked');
	const list = await listOf(as.zhang, '?limit=2');
	assert.equal(list.items[0].id, r.json.invitation.id, 'the new link is the newest');
	// Regenerating the new link in turn retires it as well.
	const again = await as.zhang.post(`${BASE}/invitations/${r.json.invitation.id}/regenerate`, {});
	assert.equal(again.status, 201, again.text);
	assert.equal((await visit(host.baseUrl, `/invite/${r.json.token}`)).status, 410);
});

test('revoke: 200 with the revoked invitation, the landing page answers 410; revoking twice is 200 too', async () => {
	const made = await create(as.zhang, {});
	const r = await as.zhang.del(`${BASE}/invitations/${made.invitation.id}`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.invitation.id, made.invitation.id);
	assert.equal(r.json.invitation.state, 'revoked');
	assert.equal(typeof r.json.invitation.revokedAt, 'number');
	const gone = await visit(host.baseUrl, `/invite/${made.token}`);
	assert.equal(gone.status, 410);
	assert.match(element(gone.text, 'invite-gone-reason'), /^链接已被撤销/);
	const posted = await submit(host.baseUrl, made.token, { name: '迟到者', mobile: mobile() });
	assert.equal(posted.status, 410, 'a revoked link takes no submission');
	const twice = await as.zhang.del(`${BASE}/invitations/${made.invitation.id}`);
	assert.equal(twice.status, 200, twice.text);
	assert.equal(twice.json.invitation.state, 'revoked');
	assert.equal(twice.json.invitation.revokedAt, r.json.invitation.revokedAt, 'the first revocation stands');
	const noCsrf = await as.zhang.del(`${BASE}/invitations/${(await create(as.zhang, {})).invitation.id}`, { csrf: false });
	assert.equal(noCsrf.status, 403);
	assert.equal((await as.zhang.del(`${BASE}/invitations/abc`)).status, 404);
});

// ---------------------------------------------------------------- 2. QR images

test('QR PNG and SVG hold exactly the link; headers; size', async () => {
	const made = await create(as.zhang, {});
	const png = await qr(as.zhang, made.invitation.id, 'png', { token: made.token });
	assert.equal(png.status, 200);
	assert.equal(png.headers.get('content-type'), 'image/png');
	assert.match(png.headers.get('cache-control'), /\bprivate\b/);
	assert.match(png.headers.get('vary'), /X-Invite-Token/i);
	assert.equal(await decodeQr(png.bytes, 'png'), made.url);

	const svg = await qr(as.zhang, made.invitation.id, 'svg', { token: made.token, size: 4 });
	assert.equal(svg.status, 200);
	assert.match(svg.headers.get('content-type'), /^image\/svg\+xml/);
	assert.match(svg.headers.get('cache-control'), /\bprivate\b/);
	assert.match(svg.headers.get('vary'), /X-Invite-Token/i);
	assert.match(svg.bytes.toString('utf8'), /<svg[\s>]/);
	assert.equal(await decodeQr(svg.bytes, 'svg'), made.url);

	// size = pixels per module: 4 is half of 8, bounds 2 and 32 answer.
	const small = await qr(as.zhang, made.invitation.id, 'png', { token: made.token, size: 4 });
	const large = await qr(as.zhang, made.invitation.id, 'png', { token: made.token, size: 8 });
	assert.equal(pngWidth(large.bytes), pngWidth(png.bytes), 'default size is 8');
	assert.equal(pngWidth(large.bytes), 2 * pngWidth(small.bytes));
	for (const size of [2, 32]) {
		const r = await qr(as.zhang, made.invitation.id, 'png', { token: made.token, size });
		assert.equal(r.status, 200, `size ${size}`);
	}
	assert.equal(await decodeQr((await qr(as.zhang, made.invitation.id, 'png', { token: made.token, size: 2 })).bytes, 'png'), made.url);
	for (const size of [1, 33, 'abc', '', '-4', '8.5']) {
		for (const kind of ['png', 'svg']) {
			const r = await qr(as.zhang, made.invitation.id, kind, { token: made.token, size });
			assert.equal(r.status, 400, `qr.${kind}?size=${size}`);
			assert.equal(r.json.error.field, 'size');
		}
	}
});

test('QR: missing or wrong token → 404; a link no longer active → 410 invitation_gone', async () => {
	const made = await create(as.zhang, {});
	const other = await create(as.zhang, {});
	for (const kind of ['png', 'svg']) {
		for (const token of [undefined, '', 'x'.repeat(43), other.token, made.token.slice(1)]) {
			const r = await qr(as.zhang, made.invitation.id, kind, { token });
			assert.equal(r.status, 404, `qr.${kind} with token ${token}`);
			assert.equal(r.json.error.code, 'not_found');
		}
		const anonymous = await qr(new Client(host.baseUrl), made.invitation.id, kind, { token: made.token });
		assert.equal(anonymous.status, 401);
	}
	assert.equal((await as.zhang.del(`${BASE}/invitations/${made.invitation.id}`)).status, 200);
	for (const kind of ['png', 'svg']) {
		const r = await qr(as.zhang, made.invitation.id, kind, { token: made.token });
		assert.equal(r.status, 410, `qr.${kind} of a revoked link`);
		assert.equal(r.json.error.code, 'invitation_gone');
		assert.ok(r.json.reason, JSON.stringify(r.json));
		// The wrong token on a revoked link is still 404, not 410: nothing is told about it.
		assert.equal((await qr(as.zhang, made.invitation.id, kind, { token: other.token })).status, 404);
	}
});

// ---------------------------------------------------------------- 3. landing page

test('landing page: headers, zh-CN, names the inviter and the org; no WeChat when it is not configured', async () => {
	const made = await create(as.zhang, {});
	const r = await visit(host.baseUrl, `/invite/${made.token}`);
	assert.equal(r.status, 200);
	assertLandingHeaders(r);
	assert.deepEqual(cspDirective(r, 'script-src'), ["'self'"], 'no JS-SDK origin without WeChat');
	assert.equal(element(r.text, 'invite-title'), `张伟 邀请你成为「${DEMO.org1.name}」的外部联系人`);
	assert.match(r.text, /<form id="invite-form" method="post"[^>]* novalidate/);
	for (const [name, label] of [['name', '姓名'], ['mobile', '手机'], ['company', '公司'], ['title', '职务']]) {
		assert.ok(inputOf(r.text, name), `input ${name}`);
		assert.match(r.text, new RegExp(`<label for="f-${name}">${label}`));
	}
	assert.match(r.text, /<button type="submit"[^>]*>提交<\/button>/);
	assert.ok(!r.text.includes('wechat-auth') && !r.text.includes('wx-config'), 'no WeChat parts');
	assert.equal((await visit(host.baseUrl, `/invite/${made.token}/wechat`)).status, 404, 'no WeChat route');
});

test('landing page: unknown and malformed tokens answer the 404 page', async () => {
	for (const token of [randomBytes(32).toString('base64url'), 'abc', 'x'.repeat(44), '%3Cscript%3E']) {
		const r = await visit(host.baseUrl, `/invite/${token}`);
		assert.equal(r.status, 404, token);
		assert.equal(element(r.text, 'invite-gone'), '邀请链接不存在');
		assert.equal(r.headers.get('cache-control'), 'no-store');
		assert.equal(r.headers.get('referrer-policy'), 'strict-origin');
		const posted = await submit(host.baseUrl, token, { name: '某人', mobile: mobile() });
		assert.equal(posted.status, 404, `POST ${token}`);
	}
});

test('landing POST: validation keeps the values (escaped) and names the fields; nothing is made', async () => {
	const made = await create(as.zhang, {});
	const nasty = '<script>alert(1)</script>"\'&';
	const r = await submit(host.baseUrl, made.token, { name: '', mobile: 'abc', company: nasty, title: '经理' });
	assert.equal(r.status, 400);
	assertLandingHeaders(r);
	assert.equal(element(r.text, 'err-name'), '请填写姓名');
	assert.match(element(r.text, 'err-mobile'), /^手机号码格式不正确/);
	assert.equal(element(r.text, 'err-company'), null);
	assert.match(inputOf(r.text, 'name'), /aria-invalid="true" aria-describedby="err-name"/);
	assert.match(inputOf(r.text, 'mobile'), /aria-invalid="true" aria-describedby="err-mobile"/);
	assert.doesNotMatch(inputOf(r.text, 'company'), /aria-invalid/);
	assert.equal(valueOf(r.text, 'mobile'), 'abc');
	assert.equal(valueOf(r.text, 'title'), '经理');
	assert.equal(valueOf(r.text, 'company'), '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
	assert.ok(!r.text.includes('<script>alert(1)'), 'the submitted script is not in the page');

	const named = await submit(host.baseUrl, made.token, { name: nasty, mobile: '' });
	assert.equal(named.status, 400);
	assert.equal(element(named.text, 'err-mobile'), '请填写手机号码');
	assert.equal(valueOf(named.text, 'name'), '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
	assert.ok(!named.text.includes('<script>alert(1)'));
	const long = await submit(host.baseUrl, made.token, { name: '长'.repeat(101), mobile: mobile() });
	assert.equal(long.status, 400);
	assert.ok(element(long.text, 'err-name'), 'a name over 100 characters');
	assert.equal((await find(as.zhang, made.invitation.id)).uses, 0, 'no use was counted');
});

test('landing POST: foreign Origin 403, other content types 415, a body over 16 KiB 413; none counts a use', async () => {
	const made = await create(as.zhang, { maxUses: 1 });
	const fields = { name: '跨站', mobile: mobile() };
	const foreign = await submit(host.baseUrl, made.token, fields, { origin: 'https://evil.example' });
	assert.equal(foreign.status, 403);
	assert.equal(foreign.headers.get('cache-control'), 'no-store');
	const port = await submit(host.baseUrl, made.token, fields, { origin: host.baseUrl.replace(/:(\d+)$/, (m, p) => `:${Number(p) + 1}`) });
	assert.equal(port.status, 403, 'another port is another origin');
	for (const contentType of ['application/json', 'text/plain', 'multipart/form-data; boundary=x']) {
		const r = await submit(host.baseUrl, made.token, fields, { contentType, raw: JSON.stringify(fields) });
		assert.equal(r.status, 415, contentType);
	}
	const big = await submit(host.baseUrl, made.token, null, { raw: `${new URLSearchParams(fields)}&pad=${'x'.repeat(17 * 1024)}` });
	assert.equal(big.status, 413);
	assert.equal((await find(as.zhang, made.invitation.id)).uses, 0);
	// The same form from the page's own origin, and without an Origin header (older browsers), goes through.
	const good = await submit(host.baseUrl, made.token, fields, { contentType: 'application/x-www-form-urlencoded; charset=UTF-8' });
	assert.equal(good.status, 200, good.text);
	const second = await create(as.zhang, {});
	assert.equal((await submit(host.baseUrl, second.token, { name: '无来源', mobile: mobile() }, { origin: null })).status, 200);
});

test('landing POST from another site (issue 14): Origin null, a foreign Origin or Referer, Sec-Fetch-Site cross-site answer the 403 page and store nothing; same-origin and none go through', async () => {
	const made = await create(as.zhang, { maxUses: 1 });
	const name = unique('跨站来源');
	const fields = { name, mobile: mobile() };
	const refused = [
		['Origin: null', { origin: 'null' }],
		['a foreign Origin', { origin: 'https://evil.example' }],
		['Sec-Fetch-Site: cross-site', { origin: null, headers: { 'Sec-Fetch-Site': 'cross-site' } }],
		['Sec-Fetch-Site: cross-site with our Origin', { headers: { 'Sec-Fetch-Site': 'cross-site' } }],
		['Sec-Fetch-Site: same-site', { origin: null, headers: { 'Sec-Fetch-Site': 'same-site' } }],
		['a foreign Referer without Origin', { origin: null, headers: { Referer: 'https://evil.example/x' } }],
	];
	for (const [label, options] of refused) {
		const r = await submit(host.baseUrl, made.token, fields, options);
		assert.equal(r.status, 403, `${label}: ${r.text}`);
		assertLandingHeaders(r);
		assert.equal(element(r.text, 'invite-error'), '无法提交', label);
		assert.ok(r.text.includes('邀请链接'), `${label}: the page says what to do`);
	}
	assert.equal((await find(as.zhang, made.invitation.id)).uses, 0, 'no use was counted');
	const none = await as.zhang.get(`${BASE}/contacts?scope=mine&limit=100&q=${encodeURIComponent(name)}`);
	assert.equal(none.status, 200, none.text);
	assert.deepEqual(none.json.items, [], 'no contact was made');

	// What a browser sends for the page's own form: our Origin and same-origin (or none: typed in), our Referer.
	const good = await submit(host.baseUrl, made.token, fields, {
		headers: { 'Sec-Fetch-Site': 'same-origin', Referer: `${host.baseUrl}/invite/${made.token}` },
	});
	assert.equal(good.status, 200, good.text);
	assert.equal(element(good.text, 'invite-done'), '提交成功');
	const second = await create(as.zhang, {});
	const typed = await submit(host.baseUrl, second.token, { name: unique('直接打开'), mobile: mobile() }, { origin: null, headers: { 'Sec-Fetch-Site': 'none' } });
	assert.equal(typed.status, 200, typed.text);
	const mine = await as.zhang.get(`${BASE}/contacts?scope=mine&limit=100&q=${encodeURIComponent(name)}`);
	assert.equal(mine.json.items.length, 1, mine.text);
});

test('landing POST (issue 14, finding 8 follow-up): publicBaseUrl as an administrator writes it (upper case, default port, trailing slash, IPv6) is the origin browsers send; other origins still 403; one warning per reason, no token', async () => {
	// The host is reached at 127.0.0.1; publicBaseUrl names the address browsers
	// use (a proxy in front): the form's Origin is compared with it, not with Host.
	const spellings = [
		['HTTP://[::1]:8443/', 'http://[::1]:8443'],
		['https://Invite.EXAMPLE:443/', 'https://invite.example'],
	];
	for (const [publicBaseUrl, origin] of spellings) {
		// One node: the warning is logged once per reason per process, so two
		// nodes taking turns would each log it once.
		const site = await startHost({ nodes: 1, set: { [SETTING('publicBaseUrl')]: publicBaseUrl, [SETTING('inviteSubmissionsPerAddressPer10Minutes')]: '1000' } });
		try {
			const zhang = await loggedIn(site.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
			const made = await create(zhang, {});
			assert.ok(made.url.endsWith(`/invite/${made.token}`), made.url);
			const foreign = await submit(site.baseUrl, made.token, { name: unique('别处'), mobile: mobile() }, { origin: site.baseUrl });
			assert.equal(foreign.status, 403, `${publicBaseUrl}: the host's own address is not the site's origin: ${foreign.text}`);
			const evil = await submit(site.baseUrl, made.token, { name: unique('别处'), mobile: mobile() }, { origin: 'https://evil.example' });
			assert.equal(evil.status, 403, `${publicBaseUrl}: ${evil.text}`);
			const good = await submit(site.baseUrl, made.token, { name: unique('同源'), mobile: mobile() }, {
				origin,
				headers: { 'Sec-Fetch-Site': 'same-origin', Referer: `${origin}/invite/${made.token}` },
			});
			assert.equal(good.status, 200, `${publicBaseUrl} with Origin ${origin}: ${good.text}`);
			assert.equal(element(good.text, 'invite-done'), '提交成功');
			// A browser that sends only the Referer (no Origin) is compared the same way.
			const second = await create(zhang, {});
			const byReferer = await submit(site.baseUrl, second.token, { name: unique('同源'), mobile: mobile() }, {
				origin: null,
				headers: { Referer: `${origin.toUpperCase()}/invite/${second.token}` },
			});
			assert.equal(byReferer.status, 200, `${publicBaseUrl} with Referer: ${byReferer.text}`);

			await new Promise((resolve) => setTimeout(resolve, 300));
			const log = site.output();
			const warnings = log.split('\n').filter((line) => line.includes('POST /invite/{token} refused'));
			assert.equal(warnings.length, 1, `one warning for the reason "Origin of another site":\n${warnings.join('\n')}`);
			assert.match(warnings[0], /publicBaseUrl/);
			assert.ok(!log.includes(made.token) && !log.includes(second.token), 'the token is not logged');
		} finally {
			await site.stop();
		}
	}
});

test('a WeChat URL over plain http to another host stops the plugin (issue 14); the host log names the setting, not the secret', async () => {
	const bad = await startHost({
		set: {
			[SETTING('wechatAppId')]: WX.appId,
			[SETTING('wechatAppSecret')]: WX.appSecret,
			[SETTING('wechatApiBaseUrl')]: 'http://api.weixin.qq.com',
		},
	});
	try {
		const page = await visit(bad.baseUrl, `/invite/${randomBytes(32).toString('base64url')}`);
		assert.equal(page.status, 404);
		assert.equal(element(page.text, 'invite-gone'), null, 'no landing page: the plugin did not start');
		const log = bad.output();
		assert.match(log, /external-contacts[^\n]*failed to start[^\n]*wechatApiBaseUrl must be an https:\/\/ URL/, log);
		assert.ok(!log.includes(WX.appSecret), 'the secret is not logged');
	} finally {
		await bad.stop();
	}
});

test('landing POST: the done page; the inviter sees the contact (微信邀请) and is notified; a second answer with the same mobile makes no second contact', async () => {
	const made = await create(as.zhang, {});
	const name = unique('邀请加入');
	const phone = mobile();
	const r = await submit(host.baseUrl, made.token, { name, mobile: phone, company: '受邀公司', title: '采购' });
	assert.equal(r.status, 200, r.text);
	assertLandingHeaders(r);
	assert.equal(element(r.text, 'invite-done'), '提交成功');
	assert.ok(r.text.includes('张伟'), 'the done page names the inviter');

	const mine = await as.zhang.get(`${BASE}/contacts?scope=mine&source=wechat_invite&limit=100&q=${encodeURIComponent(name)}`);
	assert.equal(mine.status, 200, mine.text);
	assert.equal(mine.json.items.length, 1, mine.text);
	const contact = mine.json.items[0];
	assert.equal(contact.name, name);
	assert.equal(contact.source, 'wechat_invite');
	assert.equal(contact.addedBy.id, as.zhang.me.user.id);
	const detail = await as.zhang.get(`${BASE}/contacts/${contact.id}`);
	assert.equal(detail.status, 200, detail.text);
	assert.equal(detail.json.mobile, phone);
	assert.equal(detail.json.company, '受邀公司');
	assert.equal(detail.json.title, '采购');
	assert.equal(detail.json.wechat, null, 'no WeChat identity without authorization');
	const created = await as.zhang.get(`${BASE}/contacts?scope=mine&source=created&limit=100&q=${encodeURIComponent(name)}`);
	assert.deepEqual(created.json.items, [], 'not listed as created by hand');
	assert.equal((await as.lina.get(`${BASE}/contacts/${contact.id}`)).status, 404, 'the contact is the inviter\'s');

	const notice = await waitFor(async () => {
		const n = await as.zhang.get('/api/notifications?limit=50');
		assert.equal(n.status, 200, n.text);
		return n.json.items.find((i) => i.type === 'external_contacts.invitation_joined' && i.body.includes(name));
	}, 'the invitation_joined notice');
	assert.ok(notice.title.includes(name), JSON.stringify(notice));
	const linaNotes = await as.lina.get('/api/notifications?limit=50');
	assert.ok(!linaNotes.json.items.some((i) => i.body.includes(name)), 'only the inviter is told');

	const used = await find(as.zhang, made.invitation.id);
	assert.equal(used.uses, 1);
	assert.equal(typeof used.lastUsedAt, 'number');
	assert.equal(used.state, 'active');

	const again = await submit(host.baseUrl, made.token, { name: `${name}又`, mobile: phone });
	assert.equal(again.status, 200, again.text);
	assert.equal(element(again.text, 'invite-done'), '提交成功', 'the visitor cannot tell');
	const after = await as.zhang.get(`${BASE}/contacts?scope=mine&source=wechat_invite&limit=100&q=${encodeURIComponent(name)}`);
	assert.deepEqual(after.json.items.map((c) => c.id), [contact.id], 'no second contact with that mobile');
	assert.equal((await find(as.zhang, made.invitation.id)).uses, 2, 'the use still counts');
	await waitFor(async () => (await as.zhang.get('/api/notifications?limit=50')).json.items
		.find((i) => i.type === 'external_contacts.invitation_joined' && i.body.includes(`${name}又`) && i.body.includes('未重复添加')), 'the duplicate notice');
});

// ---------------------------------------------------------------- 4. use limit under concurrency

test('use limit: 50 concurrent submissions on a link of 5 uses → exactly 5 × 200 and 45 × 410; used_up', async () => {
	const made = await create(as.zhang, { maxUses: 5 });
	const prefix = unique('并发');
	const answers = await Promise.all(Array.from({ length: 50 }, (_, i) =>
		submit(host.baseUrl, made.token, { name: `${prefix}-${i}`, mobile: `137${String(10000000 + serial * 50 + i).slice(-8)}` })));
	const statuses = answers.map((a) => a.status);
	const tally = statuses.reduce((m, s) => ({ ...m, [s]: (m[s] || 0) + 1 }), {});
	assert.deepEqual(tally, { 200: 5, 410: 45 }, JSON.stringify(tally));
	for (const gone of answers.filter((a) => a.status === 410)) {
		assert.match(element(gone.text, 'invite-gone-reason'), /^链接的使用次数已满/);
	}
	const listed = await find(as.zhang, made.invitation.id);
	assert.equal(listed.uses, 5);
	assert.equal(listed.state, 'used_up');
	const contacts = await as.zhang.get(`${BASE}/contacts?scope=mine&source=wechat_invite&limit=100&q=${encodeURIComponent(prefix)}`);
	assert.equal(contacts.json.items.length, 5, 'one contact per counted use');
	const page = await visit(host.baseUrl, `/invite/${made.token}`);
	assert.equal(page.status, 410);
	const qrGone = await qr(as.zhang, made.invitation.id, 'png', { token: made.token });
	assert.equal(qrGone.status, 410);
});

// ---------------------------------------------------------------- 5. rate limits

test('rate limits (low settings): the 5th link in 10 minutes → 429 rate_limited + Retry-After', async () => {
	const zhang = await loggedIn(strict.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	// 4 links per member per 10 minutes, 2 active at most: revoke on the way to stay under the cap.
	const a = await create(zhang, {});
	const b = await create(zhang, {});
	assert.equal((await zhang.del(`${BASE}/invitations/${a.invitation.id}`)).status, 200);
	const c = await create(zhang, {});
	assert.equal((await zhang.del(`${BASE}/invitations/${b.invitation.id}`)).status, 200);
	await create(zhang, {});
	// Below the active cap again, so the refusal below is the rate's.
	assert.equal((await zhang.del(`${BASE}/invitations/${c.invitation.id}`)).status, 200);
	const before = (await listOf(zhang, '?limit=100')).items.length;
	const r = await zhang.post(`${BASE}/invitations`, {});
	assert.equal(r.status, 429, r.text);
	assert.equal(r.json.error.code, 'rate_limited');
	const seconds = assertRetryAfter(r, 600);
	assert.equal(r.json.retryAfterSeconds, seconds);
	const regen = await zhang.post(`${BASE}/invitations/${a.invitation.id}/regenerate`, {});
	assert.equal(regen.status, 429, 'regenerating makes a link too');
	assert.equal((await listOf(zhang, '?limit=100')).items.length, before, 'no link was made');
	// Another member has their own allowance.
	const wang = await loggedIn(strict.baseUrl, DEMO.wangfang.login, DEMO.wangfang.password);
	await create(wang, {});
});

test('rate limits (low settings): a 3rd active link → 429 too_many_active; revoking one makes room', async () => {
	const lina = await loggedIn(strict.baseUrl, DEMO.lina.login, DEMO.lina.password);
	const first = await create(lina, { ttlHours: 1 });
	await create(lina, { ttlHours: 2 });
	const r = await lina.post(`${BASE}/invitations`, { ttlHours: 1 });
	assert.equal(r.status, 429, r.text);
	assert.equal(r.json.error.code, 'too_many_active');
	// Retry-After: until the earliest active link expires (within the hour).
	const seconds = assertRetryAfter(r, 3600);
	assert.equal(r.json.retryAfterSeconds, seconds);
	assert.equal((await listOf(lina, '?limit=100')).items.length, 2, 'no link was made');
	// Refusals at the cap do not use up the rate (4 per 10 minutes): two more.
	const again = await lina.post(`${BASE}/invitations`, { ttlHours: 1 });
	assert.equal(again.json.error.code, 'too_many_active');
	assert.equal((await lina.del(`${BASE}/invitations/${first.invitation.id}`)).status, 200);
	const third = await create(lina, { ttlHours: 1 });
	assert.equal((await lina.del(`${BASE}/invitations/${third.invitation.id}`)).status, 200);
	await create(lina, { ttlHours: 1 });
});

test('rate limits (low settings): the 3rd submission from one address → 429 page + Retry-After', async () => {
	const chen = await loggedIn(strict.baseUrl, DEMO.chenjie.login, DEMO.chenjie.password);
	const made = await create(chen, {});
	// Form errors do not count.
	assert.equal((await submit(strict.baseUrl, made.token, { name: '', mobile: '' })).status, 400);
	for (let i = 0; i < 2; i++) {
		const ok = await submit(strict.baseUrl, made.token, { name: unique('限流'), mobile: mobile() });
		assert.equal(ok.status, 200, ok.text);
	}
	const r = await submit(strict.baseUrl, made.token, { name: unique('限流'), mobile: mobile() });
	assert.equal(r.status, 429);
	assert.equal(element(r.text, 'invite-error'), '提交太频繁');
	assertRetryAfter(r, 600);
	assert.equal(r.headers.get('cache-control'), 'no-store');
	assert.equal((await find(chen, made.invitation.id)).uses, 2, 'the refused one counted no use');
});

// ---------------------------------------------------------------- 6. WeChat

/** The wx-config JSON of a landing page. */
function wxConfig(html) {
	const match = html.match(/<script type="application\/json" id="wx-config">([\s\S]*?)<\/script>/);
	assert.ok(match, 'the page carries wx-config');
	return JSON.parse(match[1]);
}

function assertSigned(html, pageUrl) {
	const config = wxConfig(html);
	assert.equal(config.appId, WX.appId);
	for (const key of ['timestamp', 'nonceStr', 'signature', 'title', 'desc', 'imgUrl', 'link']) {
		assert.ok(config[key] !== undefined && config[key] !== '', `wx-config.${key}`);
	}
	assert.ok(Math.abs(config.timestamp - Date.now() / 1000) < 120, 'timestamp in seconds, now');
	const expected = createHash('sha1')
		.update(`jsapi_ticket=${api.seen.ticket}&noncestr=${config.nonceStr}&timestamp=${config.timestamp}&url=${pageUrl}`)
		.digest('hex');
	assert.equal(config.signature, expected, 'SHA-1 of jsapi_ticket=..&noncestr=..&timestamp=..&url=<page url>');
	return config;
}

/** GET /invite/{token}/wechat → the plugin's cookie and the fake's redirect back (code + state). */
async function startAuthorization(token) {
	const r = await visit(wxHost.baseUrl, `/invite/${token}/wechat`);
	assert.equal(r.status, 302, r.text);
	const location = new URL(r.headers.get('location'));
	const cookieLine = r.headers.getSetCookie().find((line) => line.startsWith('ec_invite_wx='));
	assert.ok(cookieLine, 'the state is bound to the browser by a cookie');
	const back = await fetch(r.headers.get('location'), { redirect: 'manual' });
	assert.equal(back.status, 302, 'the fake consents');
	return {
		location,
		raw: r.headers.get('location'),
		cookieLine,
		cookie: cookieLine.split(';')[0],
		callback: new URL(back.headers.get('location')),
	};
}

test('WeChat: the page offers authorization and a signed share card; the CSP allows the JS-SDK origin', async () => {
	const zhang = await loggedIn(wxHost.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const made = await create(zhang, {});
	const r = await visit(wxHost.baseUrl, `/invite/${made.token}`);
	assert.equal(r.status, 200);
	assertLandingHeaders(r);
	assert.deepEqual(cspDirective(r, 'script-src'), ["'self'", 'https://res.wx.qq.com']);
	assert.match(r.text, new RegExp(`<a id="wechat-auth"[^>]*href="/invite/${made.token}/wechat"`));
	assert.match(r.text, /<script src="https:\/\/res\.wx\.qq\.com\/open\/js\/jweixin-1\.6\.0\.js"/);
	const config = assertSigned(r.text, made.url);
	assert.equal(config.link, made.url);
	assert.ok(config.title.includes('张伟'));

	// The ticket expires at once (ticketExpiresIn 1) and the fake now refuses every token it gave:
	// the cache fetches a new token and ticket, and the page is still signed, with the new ticket.
	const tokensBefore = fake.calls.token;
	const ticketBefore = api.seen.ticket;
	fake.setTokenExpired();
	const later = await visit(wxHost.baseUrl, `/invite/${made.token}?from=timeline`);
	assert.equal(later.status, 200);
	assertSigned(later.text, `${made.url}?from=timeline`);
	assert.ok(fake.calls.token > tokensBefore, 'a new client token was fetched');
	assert.notEqual(api.seen.ticket, ticketBefore, 'signed with the new ticket');
});

test('WeChat: authorize → callback with the cookie fills the form; reused state and a missing cookie are refused politely', async () => {
	const zhang = await loggedIn(wxHost.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const made = await create(zhang, {});
	const started = await startAuthorization(made.token);
	const { location, cookieLine } = started;
	assert.equal(`${location.origin}${location.pathname}`, `${fake.baseUrl}/connect/oauth2/authorize`);
	assert.equal(location.searchParams.get('appid'), WX.appId);
	assert.equal(location.searchParams.get('redirect_uri'), `${wxHost.baseUrl}/invite/${made.token}/wechat/callback`);
	assert.equal(location.searchParams.get('response_type'), 'code');
	assert.equal(location.searchParams.get('scope'), 'snsapi_userinfo');
	assert.ok(location.searchParams.get('state'), 'a state');
	assert.ok(started.raw.endsWith('#wechat_redirect'), started.raw);
	assert.match(cookieLine, /;\s*HttpOnly/i);
	assert.match(cookieLine, /;\s*SameSite=Lax/i);
	assert.match(cookieLine, /;\s*Path=\/invite\//);
	const { callback } = started;
	assert.equal(callback.searchParams.get('state'), location.searchParams.get('state'));
	const callbackPath = callback.pathname + callback.search;

	// Without the cookie: another browser brought the state.
	const foreign = await visit(wxHost.baseUrl, callbackPath);
	assert.equal(foreign.status, 200);
	assert.ok(element(foreign.text, 'wechat-error'), 'polite error');
	assert.equal(inputOf(foreign.text, 'wx'), null);
	assert.ok(foreign.text.includes('id="invite-form"'), 'the form is still usable');
	const wrongCookie = await visit(wxHost.baseUrl, callbackPath, { cookie: `ec_invite_wx=${randomBytes(32).toString('base64url')}` });
	assert.ok(element(wrongCookie.text, 'wechat-error'));

	// With the cookie: the profile fills the form.
	const bound = await visit(wxHost.baseUrl, callbackPath, { cookie: started.cookie });
	assert.equal(bound.status, 200);
	assertLandingHeaders(bound);
	assert.equal(element(bound.text, 'wechat-error'), null, bound.text);
	assert.equal(element(bound.text, 'wechat-bound'), '已通过微信授权：微信用户小王');
	assert.match(bound.text, /<img id="wechat-avatar" src="https:\/\/thirdwx\.qlogo\.cn\//);
	assert.equal(valueOf(bound.text, 'name'), '微信用户小王');
	const wx = valueOf(bound.text, 'wx');
	assert.match(inputOf(bound.text, 'wx'), /type="hidden"/);
	assert.ok(wx && wx.length >= 32, 'a reference to the kept profile');
	assert.ok(!bound.text.includes('oLVPpjqs9BhvzwPj5A'), 'the openid stays on the server');

	// The same callback again (state used).
	const reused = await visit(wxHost.baseUrl, callbackPath, { cookie: started.cookie });
	assert.equal(reused.status, 200);
	assert.ok(element(reused.text, 'wechat-error'), 'a reused state is refused politely');
	assert.equal(inputOf(reused.text, 'wx'), null);
	// Declined in WeChat (no code).
	const declined = await visit(wxHost.baseUrl, `/invite/${made.token}/wechat/callback?state=${callback.searchParams.get('state')}`, { cookie: started.cookie });
	assert.ok(element(declined.text, 'wechat-error'));

	// Submitting with wx binds the identity to the contact.
	const phone = mobile();
	const done = await submit(wxHost.baseUrl, made.token, { name: '王微信', mobile: phone, wx });
	assert.equal(done.status, 200, done.text);
	assert.equal(element(done.text, 'invite-done'), '提交成功');
	const list = await zhang.get(`${BASE}/contacts?scope=mine&source=wechat_invite&limit=100&q=${encodeURIComponent('王微信')}`);
	assert.equal(list.json.items.length, 1, list.text);
	const detail = await zhang.get(`${BASE}/contacts/${list.json.items[0].id}`);
	assert.equal(detail.status, 200);
	assert.equal(detail.json.wechat.bound, true);
	assert.equal(detail.json.wechat.nickname, '微信用户小王');
	assert.equal(detail.json.wechat.avatarUrl, 'https://thirdwx.qlogo.cn/mmopen/vi_32/wang/132');
	assert.equal(typeof detail.json.wechat.boundAt, 'number');
	assert.ok(!detail.text.includes('oLVPpjqs9BhvzwPj5A') && !detail.text.includes('oTpR9xAIiebFOc6p04'), 'openid / unionid not shown');
	// The profile binds once.
	const twice = await submit(wxHost.baseUrl, made.token, { name: '王微信二', mobile: mobile(), wx });
	assert.equal(twice.status, 400);
	assert.ok(element(twice.text, 'wechat-error'));
	assert.equal(valueOf(twice.text, 'name'), '王微信二', 'the values are kept');
});

test('WeChat: a started authorization is not consumed by a callback without the cookie', async () => {
	const zhang = await loggedIn(wxHost.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const made = await create(zhang, {});
	fake.setUser({ nickname: '微信用户小李', headimgurl: 'https://thirdwx.qlogo.cn/mmopen/vi_32/li/132', openid: 'o-li-e2e', unionid: 'u-li-e2e' });
	const started = await startAuthorization(made.token);
	const path = started.callback.pathname + started.callback.search;
	assert.ok(element((await visit(wxHost.baseUrl, path)).text, 'wechat-error'));
	const bound = await visit(wxHost.baseUrl, path, { cookie: started.cookie });
	assert.equal(element(bound.text, 'wechat-bound'), '已通过微信授权：微信用户小李');
	// The state of another link's authorization does not fit this one.
	const other = await create(zhang, {});
	const second = await startAuthorization(other.token);
	const crossed = await visit(wxHost.baseUrl, `/invite/${made.token}/wechat/callback${second.callback.search}`, { cookie: second.cookie });
	assert.ok(element(crossed.text, 'wechat-error'), 'a state of another link is refused');
});
