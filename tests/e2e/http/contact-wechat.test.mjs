// The WeChat identity on a contact (R4.6) and 解除绑定 over HTTP, on the
// database EC_E2E_DB names: the identity is bound the way a person binds it
// (invitation link + WeChat authorization against the node fake); DELETE
// /contacts/{id}/wechat removes it for those who may edit the contact, with
// the 历史 entry wechat.unbind (nickname and bound-at, never openid /
// unionid); every refusal (403 / 404 / 401 / CSRF) changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';
import { startWeChatFake } from '../lib/wechat-fake.mjs';
import { WECHAT_APP, wechatSettings, joinWithWeChat } from '../lib/wechat-join.mjs';

const BASE = '/api/plugins/external-contacts';
const MISSING_ID = 987654321;

let host;
let fake;
const as = {};
let serial = 0;

function mobile() {
	serial += 1;
	return `137${String(Date.now() % 100000).padStart(5, '0')}${String(serial).padStart(3, '0')}`.slice(0, 11);
}

/** A contact of 张伟 bound to a fresh WeChat user named nickname. */
async function boundContact(label, nickname = `微信${label}`) {
	serial += 1;
	return joinWithWeChat(host.baseUrl, as.zhang, fake, { name: `${label}${serial}`, mobile: mobile(), nickname });
}

function assertError(r, status, code) {
	assert.equal(r.status, status, r.text);
	assert.equal(r.json && r.json.error && r.json.error.code, code, r.text);
}

before(async () => {
	fake = await startWeChatFake(WECHAT_APP);
	host = await startHost({ set: wechatSettings(fake) });
	[as.zhang, as.lina, as.admin, as.chen] = await Promise.all([
		loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password),
		loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password),
		loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password),
		loggedIn(host.baseUrl, DEMO.chenjie.login, DEMO.chenjie.password),
	]);
});

after(async () => {
	await host?.stop();
	await fake?.close();
});

test('the adder unbinds: 204, the card shows no WeChat, 历史 has wechat.unbind without openid; again → 404', async () => {
	const contact = await boundContact('解绑', '微信小解');
	assert.equal(contact.wechat.nickname, '微信小解');
	assert.match(contact.wechat.avatarUrl, /^https:\/\/thirdwx\.qlogo\.cn\//);

	const r = await as.zhang.del(`${BASE}/contacts/${contact.id}/wechat`);
	assert.equal(r.status, 204, r.text);
	assert.equal(r.text, '');
	assert.equal(r.headers.get('cache-control'), 'no-store');
	const after = await as.zhang.get(`${BASE}/contacts/${contact.id}`);
	assert.equal(after.status, 200);
	assert.equal(after.json.wechat, null);
	assert.equal(after.json.version, contact.version, 'the contact itself is unchanged');

	const history = await as.zhang.get(`${BASE}/contacts/${contact.id}/history?limit=5`);
	assert.equal(history.status, 200, history.text);
	const entry = history.json.items[0];
	assert.equal(entry.action, 'wechat.unbind');
	assert.equal(entry.actor.id, as.zhang.me.user.id);
	assert.deepEqual(entry.before, { nickname: '微信小解', boundAt: contact.wechat.boundAt });
	assert.equal(entry.after, null);
	assert.ok(!/openid|unionid|"o-|"u-o-/.test(history.text), history.text);

	// Nothing bound any more.
	assertError(await as.zhang.del(`${BASE}/contacts/${contact.id}/wechat`), 404, 'not_found');
	const again = await as.zhang.get(`${BASE}/contacts/${contact.id}/history?limit=5`);
	assert.equal(again.json.items.filter((e) => e.action === 'wechat.unbind').length, 1, 'one row only');
});

test('an admin unbinds a contact another member added', async () => {
	const contact = await boundContact('管理员解绑');
	const r = await as.admin.del(`${BASE}/contacts/${contact.id}/wechat`);
	assert.equal(r.status, 204, r.text);
	assert.equal((await as.zhang.get(`${BASE}/contacts/${contact.id}`)).json.wechat, null);
	const history = await as.zhang.get(`${BASE}/contacts/${contact.id}/history?limit=1`);
	assert.equal(history.json.items[0].action, 'wechat.unbind');
	assert.equal(history.json.items[0].actor.id, as.admin.me.user.id);
});

test('refusals change nothing: shared-with 403, hidden / missing / other org 404, anonymous 401, no CSRF 403', async () => {
	const contact = await boundContact('拒绝');
	const shared = await as.zhang.put(`${BASE}/contacts/${contact.id}/shares`, { members: [as.lina.me.user.id] });
	assert.equal(shared.status, 200, shared.text);
	const path = `${BASE}/contacts/${contact.id}/wechat`;

	// 李娜 sees the contact (and its WeChat) but may not edit it: 403 as PATCH answers her.
	assert.equal((await as.lina.get(`${BASE}/contacts/${contact.id}`)).json.wechat.bound, true);
	assertError(await as.lina.del(path), 403, 'forbidden');
	assertError(await as.lina.patch(`${BASE}/contacts/${contact.id}`, { version: contact.version, title: 'x' }), 403, 'forbidden');

	// 陈杰 (another org) cannot see it: the same bytes as a missing contact.
	const hidden = await as.chen.del(path);
	assertError(hidden, 404, 'not_found');
	const missing = await as.chen.del(`${BASE}/contacts/${MISSING_ID}/wechat`);
	assert.equal(missing.text, hidden.text);
	assertError(await as.zhang.del(`${BASE}/contacts/${MISSING_ID}/wechat`), 404, 'not_found');
	assertError(await as.zhang.del(`${BASE}/contacts/abc/wechat`), 404, 'not_found');

	// A contact without WeChat: 404.
	const plain = await as.zhang.post(`${BASE}/contacts`, { name: `未绑定${serial}` });
	assert.equal(plain.status, 201, plain.text);
	assertError(await as.zhang.del(`${BASE}/contacts/${plain.json.id}/wechat`), 404, 'not_found');

	assertError(await new Client(host.baseUrl).del(path), 401, 'unauthenticated');
	const noCsrf = await as.zhang.del(path, { csrf: false });
	assertError(noCsrf, 403, 'csrf_failed');
	const wrongCsrf = await as.zhang.del(path, { csrf: 'f'.repeat(64) });
	assert.equal(wrongCsrf.status, 403, wrongCsrf.text);

	const now = await as.zhang.get(`${BASE}/contacts/${contact.id}`);
	assert.deepEqual(now.json.wechat, contact.wechat, 'still bound');
	const history = await as.zhang.get(`${BASE}/contacts/${contact.id}/history?limit=10`);
	assert.ok(!history.json.items.some((e) => e.action === 'wechat.unbind'), history.text);
});

test('a deleted contact answers 404 and keeps nothing reachable', async () => {
	const contact = await boundContact('删除');
	assert.equal((await as.zhang.del(`${BASE}/contacts/${contact.id}`)).status, 204);
	assertError(await as.zhang.del(`${BASE}/contacts/${contact.id}/wechat`), 404, 'not_found');
});
