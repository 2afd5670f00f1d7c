// The WeChat identity on a contact (R4.6) and 解除绑定 over HTTP, on the
// database EC_E2E_DB names: the identity is bound the way a person binds it
// (invitation link + WeChat authorization against the node fake); DELETE
// /contacts/{id}/wechat removes it for those who may edit the contact, with
// the 历史 entry wechat.unbind (nickname and bound-at, never openid /
// unionid); every refusal (403 / 404 / 401 / CSRF) changes nothing.
// A visitor whose mobile matches an existing contact only proposes their
// WeChat (issue 14, finding 3): the landing page answers as for a new
// person, the inviter confirms (确认绑定, also through the notice's action)
// or ignores it, once; whoever may not edit the contact gets 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';
import { startWeChatFake } from '../lib/wechat-fake.mjs';
import { WECHAT_APP, wechatSettings, joinWithWeChat, answerWithWeChat } from '../lib/wechat-join.mjs';

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

// ------------------------------------------------------------ WeChat proposals (issue 14, finding 3)

/** A visitor answers 张伟's new link with contact's mobile and the WeChat nickname → the landing answer. */
async function propose(contact, nickname) {
	serial += 1;
	return answerWithWeChat(host.baseUrl, as.zhang, fake, {
		name: `访客${serial}`, mobile: contact.mobile, nickname, avatarUrl: `https://thirdwx.qlogo.cn/mmopen/p${serial}/132`,
	});
}

async function pendingOf(client, contactId) {
	return client.get(`${BASE}/contacts/${contactId}/wechat/proposal`);
}

async function noticeOf(client, contains) {
	const r = await client.get('/api/notifications?limit=50');
	assert.equal(r.status, 200, r.text);
	return r.json.items.find((n) => n.type === 'external_contacts.invitation_joined' && n.body.includes(contains));
}

test('a visitor with an existing contact\'s mobile only proposes their WeChat; the page answers as for anyone; 确认绑定 through the notice binds it, once', async () => {
	const contact = await boundContact('提议', '微信原主');
	const proposed = await propose(contact, '冒充的微信');
	// A new person with a WeChat gets the same page: nothing tells that the mobile was known.
	serial += 1;
	const fresh = await answerWithWeChat(host.baseUrl, as.zhang, fake, {
		name: `访客${serial}`, mobile: mobile(), nickname: '新朋友微信', avatarUrl: '',
	});
	assert.equal(proposed.status, 200, proposed.html);
	assert.equal(fresh.status, proposed.status);
	assert.equal(proposed.html, fresh.html, 'the landing answer differs when the mobile matched a contact');

	// The contact keeps its WeChat; the proposal waits.
	const still = await as.zhang.get(`${BASE}/contacts/${contact.id}`);
	assert.deepEqual(still.json.wechat, contact.wechat);
	const pending = await pendingOf(as.zhang, contact.id);
	assert.equal(pending.status, 200, pending.text);
	const p = pending.json.proposal;
	assert.equal(p.nickname, '冒充的微信');
	assert.equal(p.status, 'pending');
	assert.equal(p.contactId, contact.id);
	assert.equal(p.expiresAt - p.proposedAt, 7 * 24 * 3600 * 1000);
	assert.ok(!/openid|unionid|"o-/.test(pending.text), pending.text);
	const history = await as.zhang.get(`${BASE}/contacts/${contact.id}/history?limit=5`);
	const entry = history.json.items.find((e) => e.action === 'wechat.bind_proposed');
	assert.ok(entry, history.text);
	assert.equal(entry.after.nickname, '冒充的微信');
	assert.equal(entry.after.proposalId, p.id);

	// The inviter's notice carries 确认绑定 / 忽略; its action binds.
	const notice = await noticeOf(as.zhang, '请确认是否绑定');
	assert.ok(notice, 'the inviter is asked');
	assert.deepEqual(notice.actions.map((a) => a.id), ['confirm', 'ignore']);
	const confirmed = await as.zhang.post(`/api/notifications/${notice.id}/actions/confirm`, {});
	assert.equal(confirmed.status, 200, confirmed.text);
	const bound = await as.zhang.get(`${BASE}/contacts/${contact.id}`);
	assert.equal(bound.json.wechat.nickname, '冒充的微信');
	const after = await as.zhang.get(`${BASE}/contacts/${contact.id}/history?limit=1`);
	assert.equal(after.json.items[0].action, 'wechat.bind');
	assert.equal(after.json.items[0].actor.id, as.zhang.me.user.id);
	assert.deepEqual(after.json.items[0].before, { nickname: '微信原主', boundAt: contact.wechat.boundAt });
	assert.equal(after.json.items[0].after.nickname, '冒充的微信');
	assert.equal((await pendingOf(as.zhang, contact.id)).json.proposal, null);

	// Once: the route again, and 忽略 after it, answer 409 naming the outcome.
	for (const again of [await as.zhang.post(`${BASE}/wechat-proposals/${p.id}/confirm`, {}),
		await as.zhang.post(`${BASE}/wechat-proposals/${p.id}/ignore`, {})]) {
		assertError(again, 409, 'proposal_settled');
		assert.equal(again.json.status, 'confirmed');
	}
});

test('忽略 keeps the WeChat; who may not edit the contact gets 404; anonymous 401; CSRF; bad ids; a newer proposal replaces the older', async () => {
	const contact = await boundContact('忽略', '微信本人');
	const shared = await as.zhang.put(`${BASE}/contacts/${contact.id}/shares`, { members: [as.lina.me.user.id] });
	assert.equal(shared.status, 200, shared.text);
	await propose(contact, '第一个访客');
	const first = (await pendingOf(as.zhang, contact.id)).json.proposal;
	await propose(contact, '第二个访客');
	const second = (await pendingOf(as.zhang, contact.id)).json.proposal;
	assert.notEqual(second.id, first.id);
	assert.equal(second.nickname, '第二个访客');
	const replaced = await as.zhang.post(`${BASE}/wechat-proposals/${first.id}/confirm`, {});
	assertError(replaced, 409, 'proposal_settled');
	assert.equal(replaced.json.status, 'replaced');

	const confirm = `${BASE}/wechat-proposals/${second.id}/confirm`;
	const ignore = `${BASE}/wechat-proposals/${second.id}/ignore`;
	// 李娜 sees the contact but may not edit it: like a missing proposal; 陈杰 (another org) too.
	const missing = await as.zhang.post(`${BASE}/wechat-proposals/${MISSING_ID}/confirm`, {});
	assertError(missing, 404, 'not_found');
	for (const hidden of [await as.lina.post(confirm, {}), await as.lina.post(ignore, {}), await as.chen.post(confirm, {}),
		await as.lina.get(`${BASE}/contacts/${contact.id}/wechat/proposal`)]) {
		assertError(hidden, 404, 'not_found');
		assert.equal(hidden.text, missing.text);
	}
	for (const bad of ['abc', '0', '-3', '1.5', '99999999999999999999']) {
		assertError(await as.zhang.post(`${BASE}/wechat-proposals/${bad}/confirm`, {}), 404, 'not_found');
		assertError(await as.zhang.get(`${BASE}/contacts/${bad}/wechat/proposal`), 404, 'not_found');
	}
	assertError(await new Client(host.baseUrl).post(confirm, {}), 401, 'unauthenticated');
	assertError(await new Client(host.baseUrl).get(`${BASE}/contacts/${contact.id}/wechat/proposal`), 401, 'unauthenticated');
	assertError(await as.zhang.post(confirm, {}, { csrf: false }), 403, 'csrf_failed');
	assertError(await as.zhang.post(ignore, {}, { csrf: false }), 403, 'csrf_failed');
	assert.equal((await as.zhang.post(confirm, {}, { csrf: 'f'.repeat(64) })).status, 403);
	assert.equal((await pendingOf(as.zhang, contact.id)).json.proposal.id, second.id, 'still pending');
	assert.deepEqual((await as.zhang.get(`${BASE}/contacts/${contact.id}`)).json.wechat, contact.wechat);

	const ignored = await as.zhang.post(ignore, {});
	assert.equal(ignored.status, 200, ignored.text);
	assert.equal(ignored.json.proposal.status, 'ignored');
	assert.equal(ignored.json.wechat.nickname, '微信本人');
	assert.deepEqual((await as.zhang.get(`${BASE}/contacts/${contact.id}`)).json.wechat, contact.wechat);
	const history = await as.zhang.get(`${BASE}/contacts/${contact.id}/history?limit=1`);
	assert.equal(history.json.items[0].action, 'wechat.bind_ignored');
	assert.equal(history.json.items[0].before.nickname, '第二个访客');
	const late = await as.zhang.post(confirm, {});
	assertError(late, 409, 'proposal_settled');
	assert.equal(late.json.status, 'ignored');
	// An admin may decide too (they may edit every contact).
	await propose(contact, '第三个访客');
	const third = (await pendingOf(as.admin, contact.id)).json.proposal;
	const byAdmin = await as.admin.post(`${BASE}/wechat-proposals/${third.id}/confirm`, {});
	assert.equal(byAdmin.status, 200, byAdmin.text);
	assert.equal((await as.zhang.get(`${BASE}/contacts/${contact.id}`)).json.wechat.nickname, '第三个访客');
});
