// Duplicate warning over HTTP (R2.4): create and edit answer 409
// "duplicate" naming the visible match, counting hidden ones; confirming saves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
let host;

before(async () => {
	host = await startHost();
});

after(async () => {
	await host?.stop();
});

test('same mobile or email warns before saving; the warning never leaks hidden contacts', async () => {
	const zhang = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
	const lina = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	const first = await zhang.post(`${BASE}/contacts`, { name: '周敏', mobile: '+86 137-0000-1111', email: 'Zhou.Min@Example.com' });
	assert.equal(first.status, 201, first.text);

	let r = await zhang.post(`${BASE}/contacts`, { name: '周敏（重复）', mobile: '+8613700001111' });
	assert.equal(r.status, 409);
	assert.equal(r.json.error.code, 'duplicate');
	assert.equal(r.json.error.field, 'mobile');
	assert.deepEqual(r.json.duplicates, [{ id: first.json.id, name: '周敏' }]);
	assert.equal(r.json.hiddenDuplicates, 0);

	r = await lina.post(`${BASE}/contacts`, { name: '另一个周敏', email: 'zhou.min@example.com' });
	assert.equal(r.status, 409);
	assert.equal(r.json.error.field, 'email');
	assert.deepEqual(r.json.duplicates, []);
	assert.equal(r.json.hiddenDuplicates, 1);
	assert.ok(!r.text.includes('周敏"'), 'the hidden contact is not named');

	r = await lina.post(`${BASE}/contacts`, { name: '另一个周敏', email: 'zhou.min@example.com', confirmDuplicate: true });
	assert.equal(r.status, 201, r.text);

	const other = await zhang.post(`${BASE}/contacts`, { name: '钱进', mobile: '13900002222' });
	r = await zhang.patch(`${BASE}/contacts/${other.json.id}`, { version: 1, mobile: '+86 137 0000 1111' });
	assert.equal(r.status, 409);
	assert.equal(r.json.error.code, 'duplicate');
	assert.equal((await zhang.get(`${BASE}/contacts/${other.json.id}`)).json.mobile, '13900002222', 'nothing changed');
	r = await zhang.patch(`${BASE}/contacts/${other.json.id}`, { version: 1, mobile: '+86 137 0000 1111', confirmDuplicate: true });
	assert.equal(r.status, 200, r.text);
});
