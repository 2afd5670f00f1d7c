// GET /api/plugins/external-contacts/members (the member picker's search)
// against the real host: members of the caller's current org by display name
// or login, never external users, members of another org or members who left;
// q and limit checked; anonymous callers 401, external users 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
const suffix = randomBytes(3).toString('hex');
let host;
let zhang;

before(async () => {
	host = await startHost();
	zhang = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
});

after(async () => {
	await host?.stop();
});

const search = (client, query) => client.get(`${BASE}/members?${query}`);

async function createUser(args, password) {
	const r = await host.cli(['user', 'create', ...args, '--password-stdin'], { input: `${password}\n` });
	assert.equal(r.code, 0, r.stderr);
}

test('members of the current org are found by display name or login, with id, displayName and login', async () => {
	const lina = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	const expected = { id: lina.me.user.id, displayName: '李娜', login: 'lina' };
	for (const q of ['lin', 'LIN', '李', '娜', '李娜', ' lina ']) {
		const r = await search(zhang, `q=${encodeURIComponent(q)}`);
		assert.equal(r.status, 200, `${q}: ${r.text}`);
		assert.match(r.headers.get('content-type'), /^application\/json/);
		assert.deepEqual(r.json, { items: [expected] }, q);
	}
	const none = await search(zhang, 'q=%E4%B8%BD'); // 丽: nobody's name holds it
	assert.equal(none.status, 200, none.text);
	assert.deepEqual(none.json, { items: [] });
	// Wildcards are taken literally.
	assert.deepEqual((await search(zhang, 'q=%25')).json, { items: [] });
	assert.deepEqual((await search(zhang, 'q=_')).json, { items: [] });
	// One org: the admin and the maintain-holder are members too, ordered by id.
	const everyone = await search(zhang, 'q=a&limit=20');
	assert.equal(everyone.status, 200, everyone.text);
	const logins = everyone.json.items.map((m) => m.login);
	assert.deepEqual([...logins].sort(), ['admin', 'lina', 'wangfang', 'zhangwei']);
	const ids = everyone.json.items.map((m) => m.id);
	assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
	const limited = await search(zhang, 'q=a&limit=2');
	assert.deepEqual(limited.json.items, everyone.json.items.slice(0, 2));
});

test('another org\'s members, external users and members who left are not found', async () => {
	// chenjie (陈杰) belongs to 远山贸易 only.
	assert.deepEqual((await search(zhang, 'q=chen')).json, { items: [] });
	assert.deepEqual((await search(zhang, `q=${encodeURIComponent('陈杰')}`)).json, { items: [] });
	const chen = await loggedIn(host.baseUrl, 'chenjie', DEMO.chenjie.password);
	assert.deepEqual((await search(chen, 'q=lin')).json, { items: [] });
	assert.deepEqual((await search(chen, 'q=chen')).json.items.map((m) => m.login), ['chenjie']);

	// An external user of 星河科技 whose name and login match.
	await createUser([`--login=linguest${suffix}`, `--name=林外部${suffix}`, '--org=1', '--external'], 'Guest-Pass-2026!');
	for (const q of [`linguest${suffix}`, `林外部${suffix}`]) {
		assert.deepEqual((await search(zhang, `q=${encodeURIComponent(q)}`)).json, { items: [] }, q);
	}
	assert.deepEqual((await search(zhang, 'q=lin')).json.items.map((m) => m.login), ['lina']);
	// The external user may not call the route at all.
	const guest = await loggedIn(host.baseUrl, `linguest${suffix}`, 'Guest-Pass-2026!');
	assert.equal(guest.me.org.kind, 'external');
	const refused = await search(guest, 'q=lin');
	assert.equal(refused.status, 404, refused.text);
	assert.equal(refused.json.error.code, 'not_found');

	// A member is found until the admin removes them from the org.
	await createUser([`--login=linleave${suffix}`, `--name=林离职${suffix}`, '--org=1'], 'Leaver-Pass-2026!');
	const found = await search(zhang, `q=linleave${suffix}`);
	assert.equal(found.json.items.length, 1, found.text);
	const admin = await loggedIn(host.baseUrl, 'admin', DEMO.admin.password);
	const removed = await admin.del(`/api/admin/members/${found.json.items[0].id}`);
	assert.equal(removed.status, 204, removed.text);
	assert.deepEqual((await search(zhang, `q=linleave${suffix}`)).json, { items: [] });
});

test('q and limit are checked and named; unknown parameters are ignored', async () => {
	const cases = [
		['', 'q'],
		['limit=5', 'q'],
		['q=', 'q'],
		['q=%20%20', 'q'],
		[`q=${'x'.repeat(65)}`, 'q'],
		[`q=${encodeURIComponent('李'.repeat(65))}`, 'q'],
		['q=a%00b', 'q'],
		['q=%FF', 'q'],
		['q=a&q=b', 'q'],
		['q=lin&limit=0', 'limit'],
		['q=lin&limit=21', 'limit'],
		['q=lin&limit=abc', 'limit'],
		['q=lin&limit=-1', 'limit'],
	];
	for (const [query, field] of cases) {
		const r = await search(zhang, query);
		assert.equal(r.status, 400, `${query}: ${r.text}`);
		assert.equal(r.json.error.code, 'validation_failed', query);
		assert.equal(r.json.error.field, field, query);
	}
	for (const query of [`q=${'x'.repeat(64)}`, `q=${encodeURIComponent('李'.repeat(64))}`, 'q=lin&limit=20', 'q=lin&limit=1',
		'q=lin&cursor=abc&foo=1']) {
		const r = await search(zhang, query);
		assert.equal(r.status, 200, `${query}: ${r.text}`);
	}
});

test('anonymous callers get 401', async () => {
	const anonymous = new Client(host.baseUrl);
	for (const query of ['q=lin', '']) {
		const r = await search(anonymous, query);
		assert.equal(r.status, 401, r.text);
		assert.equal(r.json.error.code, 'unauthenticated');
	}
	const out = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	await out.logout();
	assert.equal((await search(out, 'q=lin')).status, 401);
});
