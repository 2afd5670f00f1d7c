// A contact with a bound WeChat identity, made the way a person makes one:
// the inviter's link, WeChat authorization against the node fake
// (lib/wechat-fake.mjs) and the landing form with the profile (`wx`).
//
//   const fake = await startWeChatFake(WECHAT_APP);
//   const host = await startHost({ set: wechatSettings(fake) });
//   const contact = await joinWithWeChat(host.baseUrl, zhang, fake, { name: '王微信', mobile, nickname: '微信小王' });
//   contact.wechat → { bound: true, nickname, avatarUrl, boundAt }
//
// Node built-ins only (and the Client of lib/client.mjs passed in).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

const BASE = '/api/plugins/external-contacts';
const SETTING = (key) => `plugin.external-contacts.${key}`;

export const WECHAT_APP = Object.freeze({ appId: 'wx7c2d9e4f1a3b5c68', appSecret: 'e2e-contact-wechat-secret-41c9' });

/**
 * The host settings of WeChat against fake, with invitation limits high
 * enough for a test that makes many bound contacts from one address.
 */
export function wechatSettings(fake, app = WECHAT_APP) {
	return {
		[SETTING('wechatAppId')]: app.appId,
		[SETTING('wechatAppSecret')]: app.appSecret,
		[SETTING('wechatOpenBaseUrl')]: fake.baseUrl,
		[SETTING('wechatApiBaseUrl')]: fake.baseUrl,
		[SETTING('inviteLinksPerMemberPer10Minutes')]: '1000',
		[SETTING('inviteSubmissionsPerAddressPer10Minutes')]: '1000',
		[SETTING('inviteAuthorizationsPerAddressPer10Minutes')]: '1000',
	};
}

/**
 * inviter (a logged-in Client) makes a link; a visitor authorizes with the
 * WeChat user { nickname, avatarUrl ('' for none), openid } and submits
 * { name, mobile, company }. → the landing page's answer { status, html }.
 * A mobile of a contact the inviter already has only proposes the WeChat
 * (issue 14, finding 3): the inviter confirms or ignores it.
 */
export async function answerWithWeChat(baseUrl, inviter, fake, { name, mobile, company = '', nickname, avatarUrl, openid }) {
	const made = await inviter.post(`${BASE}/invitations`, {});
	assert.equal(made.status, 201, made.text);
	const id = openid || `o-${randomBytes(9).toString('base64url')}`;
	fake.setUser({
		openid: id,
		unionid: `u-${id}`,
		nickname,
		headimgurl: avatarUrl === undefined ? `https://thirdwx.qlogo.cn/mmopen/vi_32/${id}/132` : avatarUrl,
	});
	const start = await fetch(`${baseUrl}/invite/${made.json.token}/wechat`, { redirect: 'manual' });
	assert.equal(start.status, 302, await start.text());
	const cookie = start.headers.getSetCookie().find((line) => line.startsWith('ec_invite_wx=')).split(';')[0];
	const consent = await fetch(start.headers.get('location'), { redirect: 'manual' });
	assert.equal(consent.status, 302, 'the fake consents');
	const callback = new URL(consent.headers.get('location'));
	const page = await fetch(`${baseUrl}${callback.pathname}${callback.search}`, { headers: { Cookie: cookie }, redirect: 'manual' });
	const html = await page.text();
	const input = html.match(/<input[^>]*\bname="wx"[^>]*>/);
	const wx = input && input[0].match(/\bvalue="([^"]*)"/);
	assert.ok(wx, `the profile reference: ${html}`);
	const done = await fetch(`${baseUrl}/invite/${made.json.token}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: baseUrl },
		body: new URLSearchParams({ name, mobile, company, title: '', wx: wx[1] }).toString(),
		redirect: 'manual',
	});
	return { status: done.status, html: await done.text() };
}

/**
 * As answerWithWeChat, for a new person: → the contact as GET
 * /contacts/{id} answers the inviter (its WeChat bound).
 */
export async function joinWithWeChat(baseUrl, inviter, fake, { name, mobile, company = '', nickname, avatarUrl, openid }) {
	const done = await answerWithWeChat(baseUrl, inviter, fake, { name, mobile, company, nickname, avatarUrl, openid });
	assert.equal(done.status, 200, done.html);
	const list = await inviter.get(`${BASE}/contacts?scope=mine&source=wechat_invite&limit=100&q=${encodeURIComponent(name)}`);
	assert.equal(list.status, 200, list.text);
	const item = list.json.items.find((c) => c.name === name);
	assert.ok(item, `the joined contact ${name}: ${list.text}`);
	const detail = await inviter.get(`${BASE}/contacts/${item.id}`);
	assert.equal(detail.status, 200, detail.text);
	assert.equal(detail.json.wechat && detail.json.wechat.bound, true, detail.text);
	return detail.json;
}
