// GET /metrics on the metrics listener (metrics.host / metrics.port): the
// Prometheus text format parsed strictly, counters that move when the host
// and the plugin do things, labels that hold route patterns and never an id
// or a token, the pool and queue gauges, the main port without /metrics; and
// logging.format = json: every log line one JSON object, an access line per
// request with its X-Request-Id, and no token, password, cookie or query in
// the output.
//
// With EC_E2E_NODES=2 every node is scraped and the samples are summed, so
// a counter moves by the same amount whichever node served the request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
let host;
let as;

before(async () => {
	host = await startHost({ set: { 'metrics.port': 'auto' } });
	as = {
		admin: await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password),
		wang: await loggedIn(host.baseUrl, DEMO.wangfang.login, DEMO.wangfang.password),
		zhang: await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password),
	};
});

after(async () => {
	await host?.stop();
});

// ---------------------------------------------------------------- the format

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `a="x",b="y\"z"` → [['a','x'],['b','y"z']]; throws on anything else. */
function parseLabels(text, line) {
	const labels = [];
	let i = 0;
	while (i < text.length) {
		const eq = text.indexOf('=', i);
		assert.ok(eq > i, `label name expected: ${line}`);
		const name = text.slice(i, eq);
		assert.match(name, LABEL_NAME, `label name: ${line}`);
		assert.equal(text[eq + 1], '"', `quoted label value: ${line}`);
		let value = '';
		let j = eq + 2;
		for (;;) {
			assert.ok(j < text.length, `unterminated label value: ${line}`);
			const c = text[j];
			if (c === '"') break;
			if (c === '\\') {
				const next = text[j + 1];
				assert.ok(next === '\\' || next === '"' || next === 'n', `bad escape \\${next}: ${line}`);
				value += next === 'n' ? '\n' : next;
				j += 2;
				continue;
			}
			assert.notEqual(c, '\n');
			value += c;
			j += 1;
		}
		assert.ok(!labels.some(([n]) => n === name), `label ${name} twice: ${line}`);
		labels.push([name, value]);
		i = j + 1;
		if (i < text.length) {
			assert.equal(text[i], ',', `comma between labels: ${line}`);
			i += 1;
		}
	}
	return labels;
}

function parseValue(text, line) {
	if (text === '+Inf') return Infinity;
	if (text === '-Inf') return -Infinity;
	if (text === 'NaN') return NaN;
	assert.match(text, /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/, `value: ${line}`);
	return Number(text);
}

/**
 * The text exposition format 0.0.4, strictly: every line a # HELP / # TYPE
 * comment or `name{labels} value`; every sample's family has a TYPE before
 * it, once; a family's samples are together; histogram buckets are cumulative,
 * ascending in le and end in +Inf equal to _count.
 * → { types: Map(family → type), samples: [{ name, family, labels: [[k, v]], value }] }
 */
function parseExposition(text) {
	assert.ok(text.endsWith('\n'), 'the body ends with a newline');
	const types = new Map();
	const helps = new Set();
	const samples = [];
	const closed = new Set();
	let current = null;
	for (const line of text.slice(0, -1).split('\n')) {
		assert.notEqual(line, '', 'no empty lines');
		if (line.startsWith('#')) {
			const m = line.match(/^# (HELP|TYPE) (\S+) (.*)$/);
			assert.ok(m, `comment: ${line}`);
			assert.match(m[2], NAME);
			if (m[1] === 'TYPE') {
				assert.ok(['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(m[3]), line);
				assert.ok(!types.has(m[2]), `TYPE twice for ${m[2]}`);
				types.set(m[2], m[3]);
			} else {
				assert.ok(!helps.has(m[2]), `HELP twice for ${m[2]}`);
				helps.add(m[2]);
			}
			continue;
		}
		const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
		assert.ok(m, `sample: ${line}`);
		const [, name, labelText, valueText] = m;
		let family = name;
		if (!types.has(name)) {
			const base = name.replace(/_(bucket|sum|count)$/, '');
			if (types.get(base) === 'histogram') family = base;
		}
		assert.ok(types.has(family), `no TYPE for the family of ${name}`);
		if (family !== current) {
			assert.ok(!closed.has(family), `samples of ${family} are not together`);
			if (current) closed.add(current);
			current = family;
		}
		samples.push({ name, family, labels: labelText ? parseLabels(labelText, line) : [], value: parseValue(valueText, line) });
	}
	// Histograms: per label set (without le) cumulative buckets ending in +Inf = _count.
	for (const [family, type] of types) {
		if (type !== 'histogram') continue;
		const series = new Map();
		for (const s of samples.filter((x) => x.family === family)) {
			const key = JSON.stringify(s.labels.filter(([k]) => k !== 'le'));
			if (!series.has(key)) series.set(key, { buckets: [], count: null, sum: null });
			const entry = series.get(key);
			if (s.name === `${family}_bucket`) {
				const le = s.labels.find(([k]) => k === 'le');
				assert.ok(le, `bucket without le: ${family} ${key}`);
				entry.buckets.push([parseValue(le[1], key), s.value]);
			} else if (s.name === `${family}_count`) entry.count = s.value;
			else if (s.name === `${family}_sum`) entry.sum = s.value;
			else assert.fail(`unexpected sample ${s.name} in histogram ${family}`);
		}
		for (const [key, entry] of series) {
			assert.ok(entry.buckets.length > 0 && entry.count !== null && entry.sum !== null, `${family} ${key} incomplete`);
			for (let i = 1; i < entry.buckets.length; ++i) {
				assert.ok(entry.buckets[i][0] > entry.buckets[i - 1][0], `${family} ${key}: le ascending`);
				assert.ok(entry.buckets[i][1] >= entry.buckets[i - 1][1], `${family} ${key}: buckets cumulative`);
			}
			const last = entry.buckets[entry.buckets.length - 1];
			assert.equal(last[0], Infinity, `${family} ${key} ends in +Inf`);
			assert.equal(last[1], entry.count, `${family} ${key}: +Inf bucket = _count`);
		}
	}
	return { types, samples };
}

/** One node's scrape, parsed. */
async function scrapeNode(node) {
	assert.ok(node.metricsUrl, 'the node has a metrics listener');
	const response = await fetch(node.metricsUrl);
	assert.equal(response.status, 200);
	assert.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
	const text = await response.text();
	return { text, ...parseExposition(text) };
}

/** Every node's scrape; values summed per series. → { text, types, value(name, labels) } */
async function scrape() {
	const parts = await Promise.all(host.nodes.map(scrapeNode));
	const sums = new Map();
	for (const part of parts) {
		for (const s of part.samples) {
			const key = `${s.name}${JSON.stringify([...s.labels].sort())}`;
			sums.set(key, (sums.get(key) || 0) + s.value);
		}
	}
	return {
		text: parts.map((p) => p.text).join('\n'),
		types: parts[0].types,
		samples: parts.flatMap((p) => p.samples),
		value(name, labels = {}) {
			return sums.get(`${name}${JSON.stringify(Object.entries(labels).sort())}`) || 0;
		},
	};
}

function moved(beforeScrape, afterScrape, name, labels) {
	return afterScrape.value(name, labels) - beforeScrape.value(name, labels);
}

async function visit(pathname, { method = 'GET', body, headers = {} } = {}) {
	const response = await fetch(host.baseUrl + pathname, { method, headers, body, redirect: 'manual' });
	return { status: response.status, headers: response.headers, text: await response.text() };
}

function mobile() {
	return `139${String(Date.now()).slice(-5)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
}

// ---------------------------------------------------------------- the tests

test('the metrics listener: loopback, GET /metrics only; the main port has no /metrics', async () => {
	for (const node of host.nodes) {
		assert.match(node.metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
		assert.match(node.output(), /Metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/);
		const port = new URL(node.metricsUrl).port;
		assert.equal((await fetch(node.metricsUrl.replace('/metrics', '/healthz'))).status, 404);
		assert.equal((await fetch(node.metricsUrl, { method: 'POST', body: '' })).status, 405);
		// Not reachable on another address of this machine (bound to 127.0.0.1 only).
		const others = Object.values(os.networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal);
		for (const address of others) {
			await assert.rejects(fetch(`http://${address.address}:${port}/metrics`, { signal: AbortSignal.timeout(3000) }),
				`metrics answered on ${address.address}`);
		}
	}
	const main = await visit('/metrics');
	assert.equal(main.status, 404);
	assert.doesNotMatch(main.text, /reference_host_/);
});

test('the scrape parses strictly and holds the pool and queue gauges', async () => {
	const s = await scrape();
	for (const [name, type] of [
		['reference_host_http_requests_total', 'counter'],
		['reference_host_http_request_duration_seconds', 'histogram'],
		['reference_host_db_pool_capacity', 'gauge'],
		['reference_host_db_pool_sessions', 'gauge'],
		['reference_host_db_pool_waiting', 'gauge'],
		['reference_host_db_pool_exhausted_total', 'counter'],
		['reference_host_plugin_calls_total', 'counter'],
		['reference_host_plugin_call_errors_total', 'counter'],
		['reference_host_notifications_unread', 'gauge'],
		['reference_host_outbox_pending', 'gauge'],
	]) {
		assert.equal(s.types.get(name), type, `${name} is a ${type}`);
	}
	assert.ok(s.value('reference_host_db_pool_capacity') >= 2);
	assert.ok(s.samples.some((x) => x.name === 'reference_host_db_pool_sessions' && x.labels.some(([k, v]) => k === 'state' && v === 'idle')));
	assert.ok(s.samples.some((x) => x.name === 'reference_host_db_pool_sessions' && x.labels.some(([k, v]) => k === 'state' && v === 'in_use')));
	assert.ok(s.samples.some((x) => x.name === 'reference_host_notifications_unread'));
	assert.ok(s.samples.some((x) => x.name === 'reference_host_outbox_pending'));
});

test('requests count by route pattern, method and status; ids, tokens and unknown paths stay out of the labels', async () => {
	const contact = await as.zhang.post(`${BASE}/contacts`, { name: `指标${randomBytes(3).toString('hex')}`, company: '指标公司' });
	assert.equal(contact.status, 201, contact.text);
	const stray = `no-such-${randomBytes(6).toString('hex')}`;
	const s0 = await scrape();

	const client = new Client(host.baseUrl);
	await client.login(DEMO.lina.login, DEMO.lina.password);
	assert.equal((await as.zhang.get(`${BASE}/contacts?limit=5`)).status, 200);
	assert.equal((await as.zhang.get(`${BASE}/contacts/${contact.json.id}`)).status, 200);
	assert.equal((await as.zhang.get(`/api/${stray}`)).status, 404);
	assert.equal((await visit(`/${stray}`)).status, 404);
	assert.equal((await as.zhang.get(`/api/notifications/unread-count`)).status, 200);
	const s1 = await scrape();

	const req = 'reference_host_http_requests_total';
	assert.equal(moved(s0, s1, req, { route: '/api/session', method: 'POST', status: '200' }), 1, 'the login');
	assert.equal(moved(s0, s1, req, { route: `${BASE}/contacts`, method: 'GET', status: '200' }), 1, 'the list');
	assert.equal(moved(s0, s1, req, { route: `${BASE}/contacts/{id}`, method: 'GET', status: '200' }), 1, 'the contact');
	assert.equal(moved(s0, s1, req, { route: 'unmatched', method: 'GET', status: '404' }), 2, 'the two unknown paths');
	assert.equal(moved(s0, s1, req, { route: '/api/notifications/unread-count', method: 'GET', status: '200' }), 1);
	const hist = 'reference_host_http_request_duration_seconds_count';
	assert.equal(moved(s0, s1, hist, { route: `${BASE}/contacts/{id}`, method: 'GET' }), 1);
	assert.ok(moved(s0, s1, 'reference_host_plugin_calls_total', { plugin: 'external-contacts', kind: 'route' }) >= 2);

	assert.ok(!s1.text.includes(stray), 'an unknown path is no label');
	for (const x of s1.samples) {
		for (const [k, v] of x.labels) {
			if (k !== 'route') continue;
			assert.doesNotMatch(v, /\/\d+(\/|$)/, `a route label with an id: ${v}`);
			assert.ok(v === 'static' || v === 'unmatched' || v.startsWith('/'), `route label ${v}`);
		}
	}
});

test('an invitation join and application decisions move the plugin counters (cb_metric_add)', async () => {
	const made = await as.zhang.post(`${BASE}/invitations`, {});
	assert.equal(made.status, 201, made.text);
	const token = made.json.token;
	const suffix = randomBytes(3).toString('hex');
	const approveMe = await as.zhang.post(`${BASE}/contacts`, { name: `批准${suffix}`, company: '指标', email: `ok.${suffix}@example.com` });
	const rejectMe = await as.zhang.post(`${BASE}/contacts`, { name: `驳回${suffix}`, company: '指标', email: `no.${suffix}@example.com` });
	assert.equal(approveMe.status, 201, approveMe.text);
	assert.equal(rejectMe.status, 201, rejectMe.text);
	const a1 = await as.zhang.post(`${BASE}/contacts/${approveMe.json.id}/applications`, { remark: '指标' });
	const a2 = await as.zhang.post(`${BASE}/contacts/${rejectMe.json.id}/applications`, { remark: '指标' });
	assert.equal(a1.status, 201, a1.text);
	assert.equal(a2.status, 201, a2.text);
	const s0 = await scrape();

	const joined = await visit(`/invite/${token}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: host.baseUrl },
		body: new URLSearchParams({ name: `受邀${suffix}`, mobile: mobile(), company: '受邀公司' }).toString(),
	});
	assert.equal(joined.status, 200, joined.text);
	assert.equal((await as.wang.post(`${BASE}/applications/${a1.json.id}/approve`, {})).status, 200);
	const rejected = await as.admin.post(`${BASE}/applications/${a2.json.id}/reject`, { reason: '指标测试' });
	assert.equal(rejected.status, 200, rejected.text);
	// A decision that fails (already decided) counts nothing.
	assert.equal((await as.admin.post(`${BASE}/applications/${a1.json.id}/reject`, { reason: '晚了' })).status, 409);
	const s1 = await scrape();

	assert.equal(s1.types.get('hostsdk_plugin_invitation_joins_total'), 'counter');
	assert.equal(moved(s0, s1, 'hostsdk_plugin_invitation_joins_total', { plugin: 'external-contacts' }), 1);
	const decisions = 'hostsdk_plugin_application_decisions_total';
	assert.equal(moved(s0, s1, decisions, { plugin: 'external-contacts', decision: 'approved' }), 1);
	assert.equal(moved(s0, s1, decisions, { plugin: 'external-contacts', decision: 'rejected' }), 1);
	assert.equal(moved(s0, s1, 'reference_host_http_requests_total', { route: '/invite/{token}', method: 'POST', status: '200' }), 1);
	assert.equal(moved(s0, s1, 'reference_host_http_requests_total',
		{ route: `${BASE}/applications/{id}/approve`, method: 'POST', status: '200' }), 1);
	assert.ok(!s1.text.includes(token), 'the invitation token is in no label');
});

// ---------------------------------------------------------------- JSON logs

test('logging.format = json: JSON lines, an access line per request with X-Request-Id, no secrets', async () => {
	const jsonHost = await startHost({ set: { 'logging.format': 'json' } });
	try {
		const member = new Client(jsonHost.baseUrl);
		await member.login(DEMO.zhangwei.login, DEMO.zhangwei.password);
		const sessionCookie = member.cookies.get('rh_session');
		assert.ok(sessionCookie, 'a session cookie');
		const wrongPassword = `Wrong-${randomBytes(8).toString('hex')}`;
		const stranger = new Client(jsonHost.baseUrl);
		assert.equal((await stranger.post('/api/session', { login: DEMO.lina.login, password: wrongPassword })).status, 401);
		const made = await member.post(`${BASE}/invitations`, {});
		assert.equal(made.status, 201, made.text);
		const badToken = randomBytes(32).toString('hex');
		const bad = await fetch(`${jsonHost.baseUrl}/invite/${badToken}`);
		await bad.text();
		assert.ok(bad.status === 404 || bad.status === 410, `unknown token answered ${bad.status}`);
		const good = await fetch(`${jsonHost.baseUrl}/invite/${made.json.token}`);
		await good.text();
		assert.equal(good.status, 200);
		const query = `q${randomBytes(6).toString('hex')}`;
		const listed = await member.get(`${BASE}/contacts?q=${query}`);
		assert.equal(listed.status, 200);
		const requestId = listed.headers.get('x-request-id');
		assert.match(requestId || '', /^[0-9a-f]{8}-\d+$/);
		assert.notEqual(bad.headers.get('x-request-id'), requestId, 'one id per request');
		await new Promise((resolve) => setTimeout(resolve, 200)); // let the output arrive

		for (const node of jsonHost.nodes) {
			const output = node.output();
			const lines = output.split('\n').filter((line) => line.trim() !== '');
			const entries = [];
			for (const line of lines) {
				// Banner lines on stdout (listening, demo logins) are not log lines; log lines are JSON only.
				assert.doesNotMatch(line, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[/, `a text log line: ${line}`);
				if (!line.startsWith('{')) continue;
				let entry;
				assert.doesNotThrow(() => { entry = JSON.parse(line); }, `not JSON: ${line}`);
				for (const field of ['ts', 'level', 'logger', 'msg']) assert.ok(field in entry, `${field} in ${line}`);
				assert.match(entry.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
				entries.push(entry);
				for (const secret of [DEMO.zhangwei.password, DEMO.lina.password]) {
					assert.ok(!line.includes(secret), `a password in the log: ${line}`);
				}
			}
			assert.ok(entries.some((e) => e.logger !== 'http.access'), 'start-up log lines are JSON too');
			const access = entries.filter((e) => e.logger === 'http.access');
			assert.ok(access.length >= 3, 'access lines');
			for (const e of access) {
				for (const field of ['requestId', 'route', 'method', 'status', 'durationMs', 'userId']) assert.ok(field in e, `${field} in ${JSON.stringify(e)}`);
				assert.equal(typeof e.status, 'number');
				assert.equal(typeof e.durationMs, 'number');
				assert.equal(typeof e.userId, 'number');
			}
			if (jsonHost.nodes.length === 1) {
				const line = access.find((e) => e.requestId === requestId);
				assert.ok(line, `the access line of ${requestId}`);
				assert.equal(line.route, `${BASE}/contacts`);
				assert.equal(line.method, 'GET');
				assert.equal(line.status, 200);
				assert.equal(line.userId, member.me.user.id);
				assert.ok(access.some((e) => e.route === '/invite/{token}' && e.status === bad.status && e.userId === 0));
				assert.ok(access.some((e) => e.route === '/api/session' && e.status === 401));
			}
			for (const secret of [sessionCookie, member.csrfToken, wrongPassword, made.json.token, badToken, query]) {
				assert.ok(!output.includes(secret), `the output holds a secret (${secret.slice(0, 6)}…)`);
			}
		}
		if (jsonHost.nodes.length > 1) {
			const all = jsonHost.nodes.map((n) => n.output()).join('\n');
			assert.ok(all.includes(`"requestId":"${requestId}"`), 'some node logged the request');
		}
	} finally {
		await jsonHost.stop();
	}
});
