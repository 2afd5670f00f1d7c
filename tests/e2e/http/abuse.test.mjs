// HTTP abuse: a bounded loop of malformed requests against the host's own
// routes and the External Contacts plugin's (contacts, invitations,
// org-requests, the public landing page /invite/{token}). Every request goes
// through a raw socket (node:net), so nothing is normalised or refused on the
// way: bad JSON, JSON nested 10,000 deep, huge bodies and lying
// Content-Lengths, invalid UTF-8 in JSON strings and query strings, wrong and
// missing content types, header floods, path tricks against the static file
// roots, odd methods and duplicate query parameters.
//
// Expected: only 4xx answers (or a closed connection for what is not HTTP),
// never a 5xx, never a hang, never a file from outside the web roots; the
// host answers GET /healthz 200 after every class; and nothing was written
// (contact count, the contact attacked by PATCH, the invitation list and
// both org-request boxes are the same before and after).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
const ANSWER_TIMEOUT_MS = 8000;

let host;
let member;
let admin; // counts all contacts of the org
let token; // a live invitation token (made before the first snapshot)
let contactId; // a contact the member may edit
let baseline;
const seen = new Map(); // class → Map(status → count)
let requestCount = 0;
const slow = []; // answers that took over a second (the lying Content-Lengths wait for the receive timeout)

before(async () => {
	// A short receive timeout keeps the lying Content-Length cases bounded.
	host = await startHost({ set: { 'http.receiveTimeoutSeconds': '2' } });
	member = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	admin = await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password);
	const made = await member.post(`${BASE}/invitations`, { ttlHours: 24 });
	assert.equal(made.status, 201, made.text);
	token = made.json.token ?? new URL(made.json.url).pathname.split('/').pop();
	assert.ok(token, made.text);
	const contact = await member.post(`${BASE}/contacts`, { name: '滥用测试' });
	assert.equal(contact.status, 201, contact.text);
	contactId = contact.json.id;
	baseline = await snapshot();
});

after(async () => {
	if (host) await host.stop();
	const lines = [...seen].map(([name, statuses]) => `${name}: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`);
	console.log(`abuse: ${requestCount} requests\n  ${lines.join('\n  ')}\n  slow: ${slow.length}\n    ${slow.join('\n    ')}`);
});

async function countContacts(client, scope) {
	let count = 0;
	let cursor = null;
	for (let page = 0; page < 1000; page++) {
		const r = await client.get(`${BASE}/contacts?scope=${scope}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		assert.equal(r.status, 200, r.text);
		count += r.json.items.length;
		cursor = r.json.nextCursor;
		if (!cursor) return count;
	}
	throw new Error('paging did not end');
}

async function snapshot() {
	const read = async (path) => {
		const r = await member.get(path);
		assert.equal(r.status, 200, `${path}: ${r.text}`);
		return r.text;
	};
	return {
		allContacts: await countContacts(admin, 'all'),
		myContacts: await countContacts(member, 'mine'),
		contact: await read(`${BASE}/contacts/${contactId}`),
		invitations: await read(`${BASE}/invitations?limit=100`),
		outgoing: await read(`${BASE}/org-requests?box=outgoing`),
		incoming: await read(`${BASE}/org-requests?box=incoming`),
	};
}

/**
 * Writes `data` (Buffer/string, or an array of them written in turn) to a new
 * connection and reads the answer: { status, head, body, closed, ms }.
 * status is null when the connection closed without an HTTP answer. Rejects
 * when nothing happens within ANSWER_TIMEOUT_MS (a hang).
 */
function raw(data, { halfClose = false } = {}) {
	requestCount++;
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const socket = net.connect(host.port, '127.0.0.1');
		let buffer = Buffer.alloc(0);
		let done = false;
		const finish = (closed) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			socket.destroy();
			const text = buffer.toString('latin1');
			const end = text.indexOf('\r\n\r\n');
			const head = end >= 0 ? text.slice(0, end) : text;
			const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
			resolve({
				status: match ? Number(match[1]) : null,
				head,
				body: end >= 0 ? buffer.subarray(end + 4) : Buffer.alloc(0),
				closed,
				ms: Date.now() - started,
			});
		};
		const timer = setTimeout(() => {
			if (done) return;
			done = true;
			socket.destroy();
			reject(new Error(`no answer and no close within ${ANSWER_TIMEOUT_MS} ms`));
		}, ANSWER_TIMEOUT_MS);
		socket.on('data', (chunk) => {
			buffer = Buffer.concat([buffer, chunk]);
			const text = buffer.toString('latin1');
			const end = text.indexOf('\r\n\r\n');
			if (end < 0) return;
			const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end + 2));
			if (length && buffer.length >= end + 4 + Number(length[1])) finish(false);
		});
		// A reset after the answer arrived is fine (the host stops reading a body it refused).
		socket.on('error', () => finish(true));
		socket.on('close', () => finish(true));
		socket.on('connect', () => {
			const parts = Array.isArray(data) ? data : [data];
			for (const part of parts) if (!socket.destroyed) socket.write(part, () => {});
			if (halfClose && !socket.destroyed) socket.end();
		});
	});
}

/** An HTTP/1.1 request as bytes; the member's cookie and CSRF token unless anonymous. */
function build(method, path, { body, contentType = 'application/json', headers = [], contentLength, anonymous = false } = {}) {
	const lines = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${host.port}`, 'Connection: close', 'Accept: application/json'];
	if (!anonymous) {
		lines.push(`Cookie: ${member.cookieHeader()}`);
		if (member.csrfToken) lines.push(`X-CSRF-Token: ${member.csrfToken}`);
	}
	const payload = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
	if (payload && contentType) lines.push(`Content-Type: ${contentType}`);
	if (contentLength !== undefined) {
		if (contentLength !== null) lines.push(`Content-Length: ${contentLength}`);
	} else if (payload) lines.push(`Content-Length: ${payload.length}`);
	lines.push(...headers);
	const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
	return payload ? Buffer.concat([head, payload]) : head;
}

function tally(name, status) {
	if (!seen.has(name)) seen.set(name, new Map());
	const key = status === null ? 'closed' : String(status);
	seen.get(name).set(key, (seen.get(name).get(key) || 0) + 1);
}

const FORBIDDEN_CONTENT = [/root:[^:\n]*:0:0:/, /cmake_minimum_required/i, /#include\s*[<"]/, /\[mysqld\]|db\.connection|http\.port\s*=/];

/**
 * Sends one request and checks the answer.
 *   allow     extra statuses accepted besides 4xx (e.g. [200] for a harmless read)
 *   closedOk  a close without an answer is accepted (what is not HTTP)
 */
async function expectRefused(name, label, data, { allow = [], closedOk = false, halfClose = false } = {}) {
	let r;
	try {
		r = await raw(data, { halfClose });
	} catch (error) {
		assert.fail(`${name} / ${label}: ${error.message}`);
	}
	tally(name, r.status);
	if (r.ms > 1000) slow.push(`${name} / ${label.slice(0, 100)}: ${r.ms} ms (${r.status ?? 'closed'})`);
	const where = `${name} / ${label}: ${r.head.split('\r\n')[0] || '(nothing)'} ${r.body.toString('utf8').slice(0, 200)}`;
	if (r.status === null) {
		assert.ok(closedOk, `${where}: connection closed without an answer`);
	} else {
		assert.ok(r.status < 500, `${where}: server error`);
		assert.ok((r.status >= 400 && r.status < 500) || allow.includes(r.status), `${where}: expected 4xx`);
	}
	const text = r.body.toString('latin1');
	for (const pattern of FORBIDDEN_CONTENT) assert.doesNotMatch(text, pattern, `${where}: served a file from outside the web roots`);
	assert.doesNotMatch(text, /Exception|\.cpp\b|stack trace/i, `${where}: internals leaked`);
	return r;
}

async function healthy(after) {
	const r = await raw(build('GET', '/healthz', { anonymous: true }));
	assert.equal(r.status, 200, `after ${after}: /healthz ${r.head}`);
}

// The routes that read a JSON body, host and plugin.
function jsonTargets() {
	return [
		['POST', '/api/session'],
		['POST', '/api/activation/check'],
		['POST', '/api/me/org'],
		['PUT', '/api/me/profile'],
		['POST', `${BASE}/contacts`],
		['PATCH', `${BASE}/contacts/${contactId}`],
		['PUT', `${BASE}/contacts/${contactId}/shares`],
		['POST', `${BASE}/invitations`],
		['POST', `${BASE}/org-requests`],
	];
}

async function eachJsonTarget(name, bodies, options = {}) {
	for (const [method, path] of jsonTargets()) {
		for (const [label, body] of bodies) {
			await expectRefused(name, `${method} ${path} ${label}`, build(method, path, { body, ...options }));
		}
	}
	// The landing page takes a form; JSON and junk are refused there too.
	for (const [label, body] of bodies) {
		await expectRefused(name, `POST /invite/{token} ${label}`, build('POST', `/invite/${token}`, { body, ...options }));
	}
	await healthy(name);
}

test('bad JSON is refused with 4xx', async () => {
	const bodies = [
		['truncated', '{"name":'],
		['unquoted key', '{name:"x"}'],
		['trailing comma', '{"name":"滥用","mobile":"13800000000",}'],
		['two documents', '{"name":"滥用"}{"name":"滥用"}'],
		['unclosed array', '[1,2'],
		['bare string', '"滥用"'],
		['array', '[{"name":"滥用"}]'],
		['null', 'null'],
		['empty', ''],
		['control bytes', Buffer.from([0x00, 0x01, 0x7b, 0x02, 0x7d])],
		['single quotes', "{'name':'滥用'}"],
		['huge number', `{"ttlHours":1${'0'.repeat(400)},"name":"滥用"}`],
		['NaN', '{"ttlHours":NaN}'],
		['comment', '{"name":"滥用" /* x */}'],
		['bad escape', '{"name":"\\x41"}'],
	];
	await eachJsonTarget('bad JSON', bodies);
});

test('JSON nested 10,000 deep is refused with 4xx', async () => {
	const arrays = `${'['.repeat(10000)}${']'.repeat(10000)}`;
	const objects = `${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}`;
	const inField = `{"name":"滥用","groups":${arrays}}`;
	const unclosed = `{"name":${'['.repeat(10000)}`;
	await eachJsonTarget('deep JSON', [['arrays', arrays], ['objects', objects], ['in a field', inField], ['unclosed', unclosed]]);
});

test('huge bodies and lying Content-Lengths are refused, not hung on', async () => {
	const name = 'huge bodies';
	const huge = Buffer.from(`{"name":"${'滥'.repeat(Math.ceil((5 * 1024 * 1024) / 3))}"}`, 'utf8'); // ~5 MB
	const targets = [['POST', '/api/session'], ['POST', `${BASE}/contacts`], ['PATCH', `${BASE}/contacts/${contactId}`],
		['POST', `${BASE}/invitations`], ['POST', `${BASE}/org-requests`]];
	for (const [method, path] of targets) {
		await expectRefused(name, `${method} ${path} 5 MB`, build(method, path, { body: huge }));
		// A Content-Length of 5 GB with a few bytes behind it.
		await expectRefused(name, `${method} ${path} Content-Length 5 GB`, build(method, path, { body: '{"name":"滥用"}', contentLength: 5 * 1024 ** 3 }), { closedOk: true });
		// A complete, valid object but a Content-Length that promises more: it must not be acted on.
		const lie = build(method, path, { body: '{"name":"滥用截断","ttlHours":24,"login":"x","password":"y"}', contentLength: 4096 });
		await expectRefused(name, `${method} ${path} Content-Length longer than the body (stalled)`, lie, { closedOk: true });
		await expectRefused(name, `${method} ${path} Content-Length longer than the body (half-closed)`, lie, { closedOk: true, halfClose: true });
		// Content-Length shorter than the body: the rest is junk as a next request.
		await expectRefused(name, `${method} ${path} Content-Length shorter than the body`, build(method, path, { body: '{"name":"滥用"}', contentLength: 5 }), { closedOk: true });
		for (const value of ['-1', 'abc', '1e3', '0x10', '99999999999999999999999']) {
			await expectRefused(name, `${method} ${path} Content-Length ${value}`, build(method, path, { body: '{"name":"滥用"}', contentLength: value }), { closedOk: true });
		}
		await expectRefused(name, `${method} ${path} two Content-Lengths`, build(method, path, { body: '{"name":"滥用"}', headers: ['Content-Length: 3'] }), { closedOk: true });
		await expectRefused(name, `${method} ${path} bad chunked`, build(method, path, {
			body: 'zz\r\n{"name":"滥用"}\r\n0\r\n\r\n', contentLength: null, headers: ['Transfer-Encoding: chunked'],
		}), { closedOk: true });
		await expectRefused(name, `${method} ${path} huge chunk`, build(method, path, {
			body: `FFFFFFFFFFFF\r\n{"name":"滥用"}\r\n0\r\n\r\n`, contentLength: null, headers: ['Transfer-Encoding: chunked'],
		}), { closedOk: true });
		await expectRefused(name, `${method} ${path} chunked plus Content-Length`, build(method, path, {
			body: '0\r\n\r\n{"name":"滥用"}', headers: ['Transfer-Encoding: chunked'],
		}), { closedOk: true });
	}
	// The landing form: 5 MB and a lie.
	const form = Buffer.from(`name=${'a'.repeat(5 * 1024 * 1024)}&mobile=13800000000`, 'latin1');
	const formType = 'application/x-www-form-urlencoded';
	await expectRefused(name, 'POST /invite/{token} 5 MB form', build('POST', `/invite/${token}`, { body: form, contentType: formType }));
	await expectRefused(name, 'POST /invite/{token} Content-Length longer than the form', build('POST', `/invite/${token}`, {
		body: 'name=%E6%BB%A5%E7%94%A8&mobile=13800000000', contentType: formType, contentLength: 4096,
	}), { closedOk: true, halfClose: true });
	await healthy(name);
});

test('invalid UTF-8 in JSON strings and query strings is refused with 4xx', async () => {
	const bad = [
		['0xff 0xfe', Buffer.from([0xff, 0xfe])],
		['overlong dot', Buffer.from([0xc0, 0xae])],
		['surrogate', Buffer.from([0xed, 0xa0, 0x80])],
		['truncated', Buffer.from([0xe6, 0xbb])],
		['above U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
	];
	const wrap = (before, bytes, rest) => Buffer.concat([Buffer.from(before, 'utf8'), bytes, Buffer.from(rest, 'utf8')]);
	const bodies = [];
	for (const [label, bytes] of bad) {
		bodies.push([`name ${label}`, wrap('{"name":"滥', bytes, '用","login":"x","password":"y","displayName":"z"}')]);
		bodies.push([`key ${label}`, wrap('{"', bytes, '":"滥用"}')]);
	}
	bodies.push(['escaped lone surrogate', '{"name":"\\ud800滥用","login":"\\udc00","password":"y"}']);
	await eachJsonTarget('bad UTF-8 in JSON', bodies);

	const name = 'bad UTF-8 in query';
	const paths = [
		`${BASE}/contacts?q=`,
		`${BASE}/contacts?scope=all&q=`,
		`${BASE}/members?q=`,
		`${BASE}/directory/search?org=%E8%BF%9C%E5%B1%B1&q=`,
		`${BASE}/directory/search?q=%E5%BC%A0&org=`,
		`${BASE}/invitations?cursor=`,
		`${BASE}/org-requests?box=`,
		'/api/directory/members?q=',
	];
	for (const path of paths) {
		for (const [label, bytes] of bad) {
			const encoded = [...bytes].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
			await expectRefused(name, `${path}${label} (encoded)`, build('GET', `${path}%E6%BB%A5${encoded}`));
			// The raw bytes in the request line, which fetch would percent-encode.
			await expectRefused(name, `${path}${label} (raw bytes)`, Buffer.concat([
				Buffer.from(`GET ${path}`, 'latin1'), bytes, build('GET', '').subarray(4),
			]), { closedOk: true });
		}
	}
	for (const [label, bytes] of bad) {
		const encoded = [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
		await expectRefused(name, `landing form name ${label}`, build('POST', `/invite/${token}`, {
			body: `name=${encoded}&mobile=13800000000`, contentType: 'application/x-www-form-urlencoded',
		}));
	}
	await healthy(name);
});

test('wrong and missing content types are refused with 4xx', async () => {
	const name = 'content types';
	const valid = {
		'/api/session': '{"login":"nobody-abuse","password":"wrong-password-123"}',
		'/api/activation/check': '{"token":"x"}',
		'/api/me/org': '{"orgId":1}',
		'/api/me/profile': '{"displayName":"滥用"}',
		[`${BASE}/contacts`]: '{"name":"滥用类型"}',
		[`${BASE}/contacts/${contactId}`]: '{"name":"滥用类型"}',
		[`${BASE}/contacts/${contactId}/shares`]: '{"users":[],"groups":[]}',
		[`${BASE}/invitations`]: '{"ttlHours":24}',
		[`${BASE}/org-requests`]: '{"orgId":1,"userId":1}',
	};
	const types = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml',
		'application/jsonx', 'application/json-seq', 'text/json', '', 'application/json\u0000', ';', null];
	for (const [method, path] of jsonTargets()) {
		for (const type of types) {
			const label = type === null ? 'no Content-Type' : `Content-Type "${JSON.stringify(type)}"`;
			const body = valid[path];
			const headers = type === '' ? ['Content-Type: '] : [];
			await expectRefused(name, `${method} ${path} ${label}`, build(method, path, {
				body, contentType: type === '' || type === null ? null : type, headers,
			}));
		}
	}
	for (const type of ['application/json', 'text/plain', 'multipart/form-data; boundary=x', null]) {
		await expectRefused(name, `POST /invite/{token} ${type}`, build('POST', `/invite/${token}`, {
			body: type === 'application/json' ? '{"name":"滥用","mobile":"13800000000"}' : 'name=%E6%BB%A5&mobile=13800000000',
			contentType: type,
		}));
	}
	await healthy(name);
});

test('a flood of 1,000 headers and one 100 KB header are refused', async () => {
	const name = 'header floods';
	const many = Array.from({ length: 1000 }, (_, i) => `X-Abuse-${i}: ${'v'.repeat(20)}`);
	const big = [`X-Abuse: ${'a'.repeat(100 * 1024)}`];
	const bigCookie = [`Cookie: rh_junk=${'c'.repeat(100 * 1024)}`];
	const sameName = Array.from({ length: 1000 }, () => 'Accept-Language: en');
	const targets = [['GET', '/'], ['GET', '/api/me'], ['POST', '/api/session'], ['GET', `${BASE}/contacts`],
		['POST', `${BASE}/contacts`], ['GET', `${BASE}/invitations`], ['GET', `${BASE}/org-requests`], ['GET', `/invite/${token}`],
		['POST', `/invite/${token}`]];
	for (const [method, path] of targets) {
		const body = method === 'POST' ? (path.startsWith('/invite/') ? 'name=x' : '{"name":"滥用头"}') : undefined;
		const contentType = path.startsWith('/invite/') ? 'application/x-www-form-urlencoded' : 'application/json';
		for (const [label, headers] of [['1,000 headers', many], ['100 KB header', big], ['100 KB cookie', bigCookie], ['1,000 same headers', sameName]]) {
			await expectRefused(name, `${method} ${path} ${label}`, build(method, path, { body, contentType, headers }), { closedOk: true });
		}
	}
	// A header line without a colon, a name with a space, a folded line, a bare LF line.
	for (const bad of ['NoColonHere', 'Bad Name: x', 'X-A: a\r\n  folded', 'X-\u0000: x']) {
		await expectRefused(name, `GET /api/me ${JSON.stringify(bad)}`, build('GET', '/api/me', { headers: [bad] }), { closedOk: true, allow: [200] });
	}
	await healthy(name);
});

test('path tricks never reach a file outside the web roots', async () => {
	const name = 'path tricks';
	const up = (n, sep = '/') => Array(n).fill('..').join(sep);
	const paths = [
		`/assets/${up(8)}/etc/passwd`,
		`/assets/${up(3)}/CMakeLists.txt`,
		`/assets/${up(3)}/host-sdk/reference-host/src/ReferenceHost.cpp`,
		`/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
		`/assets/%2E%2E/%2E%2E/%2E%2E/CMakeLists.txt`,
		`/assets/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd`,
		`/assets/..%2F..%2F..%2FCMakeLists.txt`,
		`/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fCMakeLists.txt`,
		`/assets/%252e%252e/%252e%252e/%252e%252e/CMakeLists.txt`,
		`/assets//etc/passwd`,
		`/assets///etc/passwd`,
		`/assets/%2fetc%2fpasswd`,
		`//etc/passwd`,
		`///etc/passwd`,
		`/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
		`/..%2f..%2f..%2f..%2fetc%2fpasswd`,
		`/../../../../etc/passwd`,
		`/assets/app.js%00.png`,
		`/assets/%00/../../../../etc/passwd`,
		`/assets/..%00/..%00/etc/passwd`,
		`/index.html%00`,
		`/assets/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/CMakeLists.txt`,
		`/assets/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd`,
		`/assets/%e0%80%ae%e0%80%ae/%e0%80%ae%e0%80%ae/etc/passwd`,
		`/assets/..\\..\\..\\..\\etc\\passwd`,
		`/assets/..%5c..%5c..%5cCMakeLists.txt`,
		`/assets/....//....//....//etc/passwd`,
		`/assets/.%2e/.%2e/.%2e/CMakeLists.txt`,
		`/assets/%2e%2e`,
		`/assets/..`,
		`/assets/.`,
		`/assets/`,
		`/assets/~root/.profile`,
		`/plugins/external-contacts/web/${up(8)}/etc/passwd`,
		`/plugins/external-contacts/web/${up(3)}/CMakeLists.txt`,
		`/plugins/external-contacts/web/%2e%2e/%2e%2e/%2e%2e/CMakeLists.txt`,
		`/plugins/external-contacts/web/..%2f..%2f..%2fCMakeLists.txt`,
		`/plugins/external-contacts/web//etc/passwd`,
		`/plugins/external-contacts/web/%00`,
		`/plugins/external-contacts/web/%c0%ae%c0%ae/%c0%ae%c0%ae/CMakeLists.txt`,
		`/plugins/%2e%2e/web/%2e%2e/%2e%2e/CMakeLists.txt`,
		`/plugins/..%2f..%2f..%2fetc/web/passwd`,
		`/plugins/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc/web/../passwd`,
		`/plugins/..%2F..%2Fhost-sdk/web/reference-host/src/ReferenceHost.cpp`,
		`/plugins/.../web/x`,
		`/plugins//web/CMakeLists.txt`,
		`/plugins/%2fetc/web/passwd`,
		`/invite/..%2f..%2f..%2fetc%2fpasswd`,
		`/invite/%2e%2e`,
		`/invite/${token}/..%2f..%2f..%2fetc%2fpasswd`,
		`/invite/${token}%00`,
		`/invite/%c0%ae%c0%ae`,
		`/invite//${token}`,
		`/api/plugins/external-contacts/${up(4)}/etc/passwd`,
		`/api/plugins/external-contacts/%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
		`/api/plugins/external-contacts/contacts/..%2f${contactId}`,
		`/api/plugins/external-contacts/contacts/${contactId}%00`,
		`/api/plugins/external-contacts//contacts`,
		`/api/plugins/%2e%2e/contacts`,
		`/api/plugins/..%2fexternal-contacts/contacts`,
		`/api/plugins/external-contacts%00/contacts`,
		`/api//me`,
		`/api/%2e%2e/etc/passwd`,
		`/%`,
		`/%zz`,
		`/assets/%`,
		`http://evil.example/../../etc/passwd`,
		`*`,
		'',
	];
	for (const path of paths) {
		// 200 only for files inside a web root: FORBIDDEN_CONTENT catches the rest.
		const r = await expectRefused(name, `GET ${JSON.stringify(path)}`, build('GET', path), { closedOk: true, allow: [200] });
		if (r.status === 200) {
			assert.ok(/^\/(assets\/|plugins\/external-contacts\/web\/|invite\/|index\.html|api\/)/.test(path) || path === '/',
				`${path}: 200 for a path that names no web file`);
			assert.doesNotMatch(path, /\.\.|%2e|%00|%c0|\\/i, `${path}: served a file through a path trick`);
		}
	}
	// The same tricks under HEAD, and with the path in an absolute URI.
	for (const path of [`/assets/${up(3)}/CMakeLists.txt`, `/assets/%2e%2e/%2e%2e/%2e%2e/CMakeLists.txt`, `/plugins/external-contacts/web/${up(3)}/CMakeLists.txt`]) {
		const r = await expectRefused(name, `HEAD ${path}`, build('HEAD', path), { closedOk: true });
		assert.doesNotMatch(r.head, /Content-Length: [1-9]\d{3,}/i, `HEAD ${path}`);
		await expectRefused(name, `absolute ${path}`, build('GET', `http://127.0.0.1:${host.port}${path}`), { closedOk: true });
	}
	await healthy(name);
});

test('odd HTTP methods and non-HTTP bytes are refused or closed', async () => {
	const name = 'methods';
	const paths = ['/', '/assets/app.js', '/api/me', '/api/session', `${BASE}/contacts`, `${BASE}/contacts/${contactId}`,
		`${BASE}/invitations`, `${BASE}/org-requests`, `/invite/${token}`];
	for (const path of paths) {
		for (const method of ['TRACE', 'TRACK', 'CONNECT', 'PROPFIND', 'FOO', 'get', 'post', 'Delete', 'PATCH', 'OPTIONS', 'M'.repeat(4096)]) {
			const body = /^(post|PATCH)$/.test(method) ? '{"name":"滥用方法"}' : undefined;
			const r = await expectRefused(name, `${method.slice(0, 20)} ${path}`, build(method, path, { body }), { closedOk: true });
			// TRACE must not echo the request (and with it the session cookie).
			assert.doesNotMatch(r.body.toString('latin1'), /rh_session|X-CSRF-Token/i, `${method} ${path} echoed the request`);
		}
	}
	const junk = [
		['HTTP/0.9', 'GET /\r\n'],
		['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
		['HTTP/3.0', 'GET / HTTP/3.0\r\nHost: x\r\n\r\n'],
		['no version', 'GET /api/me\r\nHost: x\r\n\r\n'],
		['bare LF', 'GET /api/me HTTP/1.1\nHost: x\n\n'],
		['spaces', 'GET  /api/me  HTTP/1.1\r\nHost: x\r\n\r\n'],
		['NUL in method', 'GE\u0000T / HTTP/1.1\r\nHost: x\r\n\r\n'],
		['TLS hello', Buffer.from('16030100a5010000a10303' + '00'.repeat(64), 'hex')],
		['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
		['8 KB request line', `GET /${'a'.repeat(8192)} HTTP/1.1\r\nHost: x\r\n\r\n`],
		['100 KB request line', `GET /api/me?${'a'.repeat(100 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`],
		['only CRLFs', '\r\n'.repeat(1000)],
	];
	for (const [label, data] of junk) {
		await expectRefused(name, label, data, { closedOk: true, halfClose: true });
	}
	await healthy(name);
});

test('duplicate query parameters are refused or resolved to one valid value', async () => {
	const name = 'duplicate query parameters';
	const cases = [
		`${BASE}/contacts?limit=5&limit=1000`,
		`${BASE}/contacts?limit=1000&limit=5`,
		`${BASE}/contacts?scope=mine&scope=bogus`,
		`${BASE}/contacts?scope=bogus&scope=all`,
		`${BASE}/contacts?cursor=abc&cursor=def`,
		`${BASE}/contacts?q=a&q=b&q=c`,
		`${BASE}/invitations?limit=1&limit=abc`,
		`${BASE}/invitations?limit=abc&limit=1`,
		`${BASE}/org-requests?box=incoming&box=bogus`,
		`${BASE}/org-requests?box=bogus&box=incoming`,
		`${BASE}/directory/search?org=a&org=b&q=x&q=y`,
		`/api/directory/members?limit=1&limit=0`,
		`/api/notifications?limit=0&limit=1`,
		`/invite/${token}?lang=en&lang=zh-CN&lang=%ff`,
		`${BASE}/contacts?${Array.from({ length: 2000 }, (_, i) => `limit=${i}`).join('&')}`,
	];
	for (const path of cases) {
		// A read may take one of the values (200) as long as that value is a valid one.
		const r = await expectRefused(name, path.slice(0, 120), build('GET', path), { allow: [200] });
		if (r.status === 200 && /json/.test(r.head)) {
			const json = JSON.parse(r.body.toString('utf8'));
			if (Array.isArray(json.items)) assert.ok(json.items.length <= 100, `${path}: ${json.items.length} items`);
		}
	}
	// Duplicated body fields: refused or one value, and nothing written by the refused ones.
	for (const [method, path, body] of [
		['POST', `${BASE}/invitations`, '{"ttlHours":-1,"ttlHours":0}'],
		['PATCH', `${BASE}/contacts/${contactId}`, '{"name":"","name":" "}'],
		['POST', `${BASE}/contacts`, '{"name":"","name":""}'],
	]) {
		await expectRefused(name, `${method} ${path} ${body}`, build(method, path, { body }));
	}
	await healthy(name);
});

test('the landing form sent from another site is refused 403 (issue 14: Origin null, foreign Origin / Referer, Sec-Fetch-Site)', async () => {
	const name = 'landing form from another site';
	const site = `http://127.0.0.1:${host.port}`;
	// A valid form: only where it comes from is wrong, so a 200 would store a contact.
	const body = `name=${encodeURIComponent('跨站滥用')}&mobile=13800138123`;
	const formType = 'application/x-www-form-urlencoded';
	const cases = [
		['Origin: null', ['Origin: null']],
		['Origin: NULL', ['Origin: NULL']],
		['Origin: null, same-origin fetch', ['Origin: null', 'Sec-Fetch-Site: same-origin']],
		['a foreign Origin', ['Origin: https://evil.example']],
		['Origin of a look-alike host', [`Origin: http://127.0.0.1.evil.example:${host.port}`]],
		['Origin of another port', [`Origin: http://127.0.0.1:${host.port + 1}`]],
		['Origin of another scheme', [`Origin: https://127.0.0.1:${host.port}`]],
		['Sec-Fetch-Site: cross-site', ['Sec-Fetch-Site: cross-site']],
		['Sec-Fetch-Site: cross-site, own Origin', [`Origin: ${site}`, 'Sec-Fetch-Site: cross-site']],
		['Sec-Fetch-Site: same-site', ['Sec-Fetch-Site: same-site']],
		['a foreign Referer, no Origin', ['Referer: https://evil.example/page']],
		['Referer of a look-alike host, no Origin', [`Referer: http://127.0.0.1.evil.example:${host.port}/invite/${token}`]],
	];
	for (const [label, headers] of cases) {
		const r = await expectRefused(name, label, build('POST', `/invite/${token}`, { body, contentType: formType, headers, anonymous: true }));
		assert.equal(r.status, 403, `${label}: ${r.head}`);
		assert.match(r.head, /\r\ncontent-type: text\/html/i, label);
		assert.match(r.body.toString('utf8'), /id="invite-error"/, `${label}: the refusal page`);
	}
	await healthy(name);
});

test('nothing was written and the host is still up', async () => {
	await healthy('all classes');
	const now = await snapshot();
	assert.deepEqual(now, baseline);
	assert.equal((await new Client(host.baseUrl).get('/healthz')).status, 200);
});

// Issue 14, findings 1 and 6: probing who exists. A host of its own with low
// limits (the tests above check that nothing was written on theirs), its
// clock at the start of an hour so no window ends during the test.
const PROBE_HOUR_MS = 3600 * 1000;
async function probeHost() {
	const probe = await startHost({
		set: {
			'clock.offsetMs': String(PROBE_HOUR_MS - (Date.now() % PROBE_HOUR_MS) + 60000),
			'plugin.external-contacts.orgRequestsPerMemberPerHour': '6',
			'plugin.external-contacts.duplicateChecksPerMemberPer10Minutes': '3',
		},
	});
	return probe;
}

function assertProbeLimited(r, label) {
	assert.equal(r.status, 429, `${label}: ${r.text}`);
	assert.equal(r.json.error.code, 'rate_limited', label);
	const seconds = Number(r.headers.get('retry-after'));
	assert.ok(Number.isInteger(seconds) && seconds >= 1, `${label}: Retry-After ${seconds}`);
}

/**
 * Two 429s compared as what they tell: the same bytes once the seconds to
 * wait are set aside (those count down between the two requests and may
 * cross a second boundary), and seconds at most one apart.
 */
function assertSameRefusal(a, b, label) {
	const without = (r) => JSON.stringify({ ...r.json, retryAfterSeconds: undefined });
	assert.equal(without(a), without(b), label);
	const wait = (r) => Number(r.headers.get('retry-after'));
	assert.ok(Math.abs(wait(a) - wait(b)) <= 1, `${label}: Retry-After ${wait(a)} and ${wait(b)}`);
}

test('org-request enumeration: one answer for nobody, a non-member, a hidden person and one not searched; then 429 (issue 14)', async () => {
	const probe = await probeHost();
	try {
		const zhang = await loggedIn(probe.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
		const lina = await loggedIn(probe.baseUrl, DEMO.lina.login, DEMO.lina.password);
		const chen = await loggedIn(probe.baseUrl, DEMO.chenjie.login, DEMO.chenjie.password);
		const made = await probe.cli(['user', 'create', '--login=enumhidden', '--name=隐身枚举', `--org=${DEMO.org2.name}`,
			'--password-stdin'], { input: 'Enum-Hidden-2026!\n' });
		assert.equal(made.code, 0, made.stdout + made.stderr);
		const hidden = await loggedIn(probe.baseUrl, 'enumhidden', 'Enum-Hidden-2026!');
		assert.equal((await hidden.put('/api/me/profile', { displayName: '隐身枚举', discoverable: false })).status, 200);
		const search = (q) => zhang.get(`${BASE}/directory/search?orgName=${encodeURIComponent(DEMO.org2.name)}&q=${encodeURIComponent(q)}`);
		const org2 = (await search('陈')).json.org.id; // finds 陈杰; his search is not used below
		const noticesBefore = (await chen.get('/api/notifications?limit=50')).json.items.length;
		const ask = (userId) => zhang.post(`${BASE}/org-requests`, { orgId: org2, userId });
		const other = await probe.cli(['user', 'create', '--login=enumfound', '--name=未搜到', `--org=${DEMO.org2.name}`,
			'--password-stdin'], { input: 'Enum-Found-2026!\n' });
		assert.equal(other.code, 0, other.stdout + other.stderr);
		const notSearched = (await loggedIn(probe.baseUrl, 'enumfound', 'Enum-Found-2026!')).me.user.id;
		const answers = [];
		for (const [label, userId] of [['nobody', 987654321], ['a member of another org', lina.me.user.id],
			['not discoverable', hidden.me.user.id], ['discoverable, not returned by a search of the caller', notSearched]]) {
			const r = await ask(userId);
			answers.push([label, r.status, r.text]);
		}
		for (const [label, status, text] of answers) {
			assert.equal(status, answers[0][1], `${label}: ${text}`);
			assert.equal(text, answers[0][2], `${label}: the same bytes as for nobody`);
		}
		assert.equal(answers[0][1], 400, answers[0][2]);
		assert.equal(JSON.parse(answers[0][2]).error.field, 'userId');
		assert.equal((await chen.get('/api/notifications?limit=50')).json.items.length, noticesBefore, 'nobody was notified');
		const none = await zhang.get(`${BASE}/org-requests?box=outgoing`);
		assert.deepEqual(none.json.items, []);
		// 陈杰, found by the caller's search: asked. The probes counted: 4 + 1 of 6.
		const asked = await ask(chen.me.user.id);
		assert.equal(asked.status, 201, asked.text);
		assert.equal((await ask(chen.me.user.id)).status, 409, 'pending: counted too');
		const limited = await ask(987654321);
		assertProbeLimited(limited, 'the seventh request');
		assertSameRefusal(await ask(chen.me.user.id), limited, 'over the limit every answer is the same');
		assert.equal((await lina.get(`${BASE}/directory/search?orgName=${encodeURIComponent(DEMO.org2.name)}&q=${encodeURIComponent('陈')}`)).status, 200);
		const linaAsks = await lina.post(`${BASE}/org-requests`, { orgId: org2, userId: chen.me.user.id });
		assert.equal(linaAsks.status, 201, `each member has their own budget: ${linaAsks.text}`);
	} finally {
		await probe.stop();
	}
});

test('duplicate-check probes are limited per member: the same 429 whether a hidden duplicate exists or not (issue 14)', async () => {
	const probe = await probeHost();
	try {
		const zhang = await loggedIn(probe.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
		const lina = await loggedIn(probe.baseUrl, DEMO.lina.login, DEMO.lina.password);
		const secret = { name: '隐藏的重复', email: `hidden-${Date.now()}@example.com` };
		assert.equal((await zhang.post(`${BASE}/contacts`, secret)).status, 201);
		const found = await lina.post(`${BASE}/contacts`, { name: '探测', email: secret.email });
		assert.equal(found.status, 409, found.text);
		assert.equal(found.json.hiddenDuplicates, 1);
		for (let i = 0; i < 2; i++) {
			const r = await lina.post(`${BASE}/contacts`, { name: '探测', email: `fresh-${i}-${Date.now()}@example.com` });
			assert.equal(r.status, 201, r.text);
		}
		const hiddenProbe = await lina.post(`${BASE}/contacts`, { name: '探测', email: secret.email });
		const freshProbe = await lina.post(`${BASE}/contacts`, { name: '探测', email: `fresh-x-${Date.now()}@example.com` });
		assertProbeLimited(hiddenProbe, 'a fourth check, hidden duplicate');
		assertProbeLimited(freshProbe, 'a fourth check, nothing there');
		assertSameRefusal(hiddenProbe, freshProbe, 'the same 429 whether a hidden duplicate exists or not');
		assert.equal((await zhang.post(`${BASE}/contacts`, { name: '张的', email: `z-${Date.now()}@example.com` })).status, 201,
			'each member has their own budget');
	} finally {
		await probe.stop();
	}
});
