// Tokens never reach the host's log (issue 14.7): with the host's sessions
// table gone (renamed under the running host), a request for the public
// invitation landing page /invite/{token} (with a session cookie, so the
// host asks the database who is calling) fails with 503, and so does a host
// route with the token in its query. The host logs the failure with the
// route pattern (GET /invite/{token}, GET /api/me), never the raw path or
// query: the token is nowhere in its output, access lines included.
//
// Runs on SQLite (the table is renamed with the sqlite3 shell) and on MariaDB
// (EC_E2E_DB=mysql, through host.sql).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';

let host;
let member;

before(async () => {
	// JSON logging writes one access line per request; debug shows every logger.
	host = await startHost({ nodes: 1, set: { 'logging.format': 'json', 'logging.level': 'debug' } });
	member = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
});

after(async () => {
	if (host) await host.stop();
});

function sqlite(file, sql) {
	return new Promise((resolve, reject) => {
		execFile('sqlite3', ['-cmd', '.timeout 5000', file, sql], { timeout: 30000 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`sqlite3 ${sql}: ${stderr || error.message}`));
			else resolve(stdout);
		});
	});
}

async function renameSessions(from, to) {
	if (host.db === 'mysql') await host.sql(`RENAME TABLE ${from} TO ${to}`);
	else await sqlite(`${host.dataDir}/reference-host.db`, `ALTER TABLE ${from} RENAME TO ${to}`);
}

async function raw(path) {
	const response = await fetch(host.baseUrl + path, {
		headers: { Accept: 'application/json', Cookie: member.cookieHeader() },
		redirect: 'manual',
		signal: AbortSignal.timeout(15000),
	});
	return { status: response.status, text: await response.text() };
}

test('a database error on /invite/{token} logs the route pattern, never the token', async () => {
	const made = await member.post(`${BASE}/invitations`, { ttlHours: 24 });
	assert.equal(made.status, 201, made.text);
	const token = made.json.token ?? new URL(made.json.url).pathname.split('/').pop();
	assert.ok(token && token.length >= 16, made.text);
	const landing = await raw(`/invite/${token}`);
	assert.equal(landing.status, 200, 'the landing page answers while the database is fine');

	await renameSessions('sessions', 'sessions_gone');
	try {
		// A missing table is a fault of the SQL, not an outage: 500 (issue 15's one failure policy).
		const page = await raw(`/invite/${token}?again=${token}`);
		assert.equal(page.status, 500, page.text);
		const me = await raw(`/api/me?token=${token}`);
		assert.equal(me.status, 500, me.text);
	} finally {
		await renameSessions('sessions_gone', 'sessions');
	}
	assert.equal((await member.get('/api/me')).status, 200, 'the host recovers');

	// The log lines are written before the answer; wait for the pipe to deliver them.
	const deadline = Date.now() + 5000;
	while (!/database \w+ on GET \/api\/me/.test(host.output()) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	const output = host.output();
	assert.match(output, /database \w+ on GET \/invite\/\{token\}/, output.slice(-4000));
	assert.match(output, /database \w+ on GET \/api\/me/, output.slice(-4000));
	assert.ok(!output.includes(token), `the token is in the host's output:\n${output.split('\n').filter((l) => l.includes(token)).join('\n')}`);
});
