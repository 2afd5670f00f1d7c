// The operator CLI against the same database a running host uses:
// migrate, org create, user create (--admin, --permission, --external),
// with its refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

let host;
const suffix = randomBytes(3).toString('hex');

before(async () => {
	host = await startHost();
});

after(async () => {
	await host?.stop();
});

test('migrate is idempotent', async () => {
	const r = await host.cli(['migrate']);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /applied 0 migration/);
});

test('org create, then an admin with a permission who can log in and use the back office', async () => {
	const org = `测试组织${suffix}`;
	let r = await host.cli(['org', 'create', `--name=${org}`]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /org \d+ created/);
	r = await host.cli(['user', 'create', `--login=Boss${suffix}`, '--name=老板', `--org=${org}`, '--admin',
		'--permission=external_contacts.maintain', '--password-stdin'], { input: 'Operator-Pass-2026\n' });
	assert.equal(r.code, 0, r.stderr);
	const c = await loggedIn(host.baseUrl, `boss${suffix}`, 'Operator-Pass-2026');
	assert.equal(c.me.org.name, org);
	assert.equal(c.me.org.isAdmin, true);
	assert.deepEqual(c.me.permissions, ['external_contacts.maintain']);
	assert.equal((await c.get('/api/admin/org-settings')).status, 200);
});

test('an external user created by the CLI shows as external in that org', async () => {
	const r = await host.cli(['user', 'create', `--login=guest${suffix}`, '--name=访客', '--org=1', '--external',
		'--password-stdin'], { input: 'Guest-Pass-2026!\n' });
	assert.equal(r.code, 0, r.stderr);
	const c = await loggedIn(host.baseUrl, `guest${suffix}`, 'Guest-Pass-2026!');
	assert.equal(c.me.org.kind, 'external');
	assert.deepEqual(c.me.orgs.map((o) => o.kind), ['external']);
	assert.deepEqual(c.me.permissions, []);
});

test('the CLI refuses bad input with a message and a non-zero exit, creating nothing', async () => {
	const cases = [
		[['user', 'create', `--login=short${suffix}`, '--org=1', '--password-stdin'], 'short\n', /12 characters/],
		[['user', 'create', `--login=nopw${suffix}`, '--org=1'], '', /12 characters/],
		[['user', 'create', `--login=noorg${suffix}`, '--org=没有这个组织', '--password-stdin'], 'Long-Enough-2026\n', /no such organization/i],
		[['user', 'create', '--login=Bad Login', '--org=1', '--password-stdin'], 'Long-Enough-2026\n', /login/],
		[['user', 'create', '--login=zhangwei', '--org=1', '--password-stdin'], 'Long-Enough-2026\n', /exists/i],
		[['org', 'create'], '', /--name/],
		[['frobnicate'], '', /unknown command/],
	];
	for (const [args, input, message] of cases) {
		const r = await host.cli(args, { input });
		assert.notEqual(r.code, 0, `${args.join(' ')} exited 0`);
		assert.match(r.stdout + r.stderr, message, args.join(' '));
	}
	for (const login of [`short${suffix}`, `nopw${suffix}`, `noorg${suffix}`]) {
		const r = await new Client(host.baseUrl).request('POST', '/api/session', { login, password: 'Long-Enough-2026' });
		assert.equal(r.status, 401, `${login} must not exist`);
	}
});
