// Smoke test: a reference host starts on the configured database, answers
// /healthz, serves the web shell and answers unknown API paths with a JSON 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client } from '../lib/client.mjs';

let host;
before(async () => {
	host = await startHost();
});
after(async () => {
	if (host) await host.stop();
});

test('/healthz answers ok with the database up', async () => {
	const response = await new Client(host.baseUrl).get('/healthz');
	assert.equal(response.status, 200, response.text);
	assert.equal(response.json.status, 'ok');
	assert.equal(response.json.db, 'ok');
});

test('/ serves the web shell HTML and its module script', async () => {
	const client = new Client(host.baseUrl);
	const page = await client.get('/', { headers: { Accept: 'text/html' } });
	assert.equal(page.status, 200);
	assert.match(page.headers.get('Content-Type') || '', /^text\/html/);
	assert.match(page.text, /<script type="module" src="\/assets\/app\.js"><\/script>/);
	const script = await client.get('/assets/app.js', { headers: { Accept: '*/*' } });
	assert.equal(script.status, 200);
	// Browsers refuse module scripts served with a non-JavaScript MIME type.
	assert.match(script.headers.get('Content-Type') || '', /^(text|application)\/javascript/);
});

test('an unknown /api path answers a JSON error: 401 before login, 404 after', async () => {
	const anonymous = await new Client(host.baseUrl).get('/api/no-such-thing');
	assert.equal(anonymous.status, 401, anonymous.text);
	assert.match(anonymous.headers.get('Content-Type') || '', /application\/json/);
	assert.equal(anonymous.json.error.code, 'unauthenticated');

	const client = new Client(host.baseUrl);
	await client.login(DEMO.zhangwei.login, DEMO.zhangwei.password);
	for (const path of ['/api/no-such-thing', '/api/plugins/no-such-plugin/x', '/api/plugins/external-contacts/no-such-route']) {
		const response = await client.get(path);
		assert.equal(response.status, 404, `${path}: ${response.text}`);
		assert.match(response.headers.get('Content-Type') || '', /application\/json/);
		assert.equal(response.json.error.code, 'not_found');
		assert.equal(typeof response.json.error.message, 'string');
		assert.doesNotMatch(response.text, /Exception|stack|\.cpp/i);
	}
});
