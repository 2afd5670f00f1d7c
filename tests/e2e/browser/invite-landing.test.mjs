// Browser test of the public invitation landing page (SPEC R4.3–R4.6) on a phone
// (375×667, touch, WeChat's in-app browser user agent): who invites from which org,
// the form's errors next to their fields, a submission that makes a 微信邀请 contact
// of the inviter and notifies them, the 410 page of a used-up or revoked link and the
// 404 page of an unknown one (navigation statuses checked), WeChat web authorization
// against the node fake of WeChat (nickname and avatar prefilled, the contact bound),
// and the JS-SDK share card config signed as documented.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';
import { API, showContacts } from '../lib/contacts-ui.mjs';
import { startWeChatFake } from '../lib/wechat-fake.mjs';

const APP_ID = 'wxe2e0123456789abc';
const APP_SECRET = `secret-${randomBytes(8).toString('hex')}`;
const WECHAT_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) '
	+ 'Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN';
const PHONE = { width: 375, height: 667 };
// A 1×1 PNG for images from outside (the WeChat avatar host, when the fake names one).
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

let host;
let browser;
let fake;
let recorder;
let zhang;

/**
 * A pass-through in front of the fake's server API that notes the JS-SDK tickets it
 * hands out (the fake keeps them to itself): the test needs the ticket to compute
 * the signature the page must carry.
 */
async function startTicketRecorder(target) {
	const tickets = [];
	const server = http.createServer(async (req, res) => {
		try {
			const upstream = await fetch(`${target}${req.url}`, { method: req.method, redirect: 'manual' });
			const body = await upstream.text();
			if (new URL(req.url, target).pathname === '/cgi-bin/ticket/getticket') {
				const json = JSON.parse(body);
				if (json.ticket) tickets.push(json.ticket);
			}
			res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') || 'text/plain' });
			res.end(body);
		} catch (error) {
			res.writeHead(502, { 'Content-Type': 'text/plain' });
			res.end(String(error));
		}
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${server.address().port}`,
		tickets,
		close: () => new Promise((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}

before(async () => {
	fake = await startWeChatFake({ appId: APP_ID, appSecret: APP_SECRET });
	recorder = await startTicketRecorder(fake.baseUrl);
	host = await startHost({
		set: {
			'plugin.external-contacts.wechatAppId': APP_ID,
			'plugin.external-contacts.wechatAppSecret': APP_SECRET,
			'plugin.external-contacts.wechatOpenBaseUrl': fake.baseUrl,
			'plugin.external-contacts.wechatApiBaseUrl': recorder.baseUrl,
		},
	});
	browser = await launchBrowser();
	zhang = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
});

after(async () => {
	if (browser) await browser.close();
	if (host) await host.stop();
	if (recorder) await recorder.close();
	if (fake) await fake.close();
});

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

/**
 * Runs fn(page) as a visitor on a phone in WeChat: a fresh context (375×667, mobile,
 * touch, the MicroMessenger user agent). The JS-SDK script (res.wx.qq.com) is a stub
 * that records wx.config; uncaught page errors and CSP violations fail the test; on
 * failure a screenshot goes to artifacts/failure-<name>.png with the host's last output.
 */
function withPhone(name, fn) {
	return withPage(name, fn, {
		viewport: PHONE,
		context: { isMobile: true, hasTouch: true, deviceScaleFactor: 2, userAgent: WECHAT_UA },
		async prepare(context) {
			await context.route(/^https:\/\/res\.wx\.qq\.com\//, (route) => route.fulfill({
				contentType: 'application/javascript',
				body: `window.__wxCalls = [];
					window.wx = new Proxy({}, { get: (t, key) => (...args) => {
						window.__wxCalls.push({ fn: String(key), args: JSON.parse(JSON.stringify(args, (k, v) => (typeof v === 'function' ? '[fn]' : v))) });
						if (key === 'ready' && typeof args[0] === 'function') args[0]();
					} });`,
			}));
			// Nothing else leaves the machine: outside images (an avatar CDN) get a pixel.
			await context.route(/^https:\/\/(?!res\.wx\.qq\.com\/)/, (route) => route.fulfill({ contentType: 'image/png', body: PIXEL }));
		},
		report: () => `WeChat fake calls: ${JSON.stringify(fake.calls).slice(0, 2000)}`,
	});
}

async function newInvitation(body = {}) {
	const r = await zhang.post(`${API}/invitations`, body);
	assert.equal(r.status, 201, r.text);
	return r.json;
}

/** Submits the form (the 提交 button) and returns the navigation's response. */
async function submit(page) {
	const [response] = await Promise.all([
		page.waitForNavigation({ waitUntil: 'load' }),
		page.getByRole('button', { name: '提交' }).tap(),
	]);
	return response;
}

const uniqueMobile = () => `139${String(randomBytes(4).readUInt32BE(0) % 100000000).padStart(8, '0')}`;

/** The page fits the phone's width: no sideways scrolling. */
async function assertFitsPhone(page) {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(width <= PHONE.width, `the page is ${width}px wide on a ${PHONE.width}px phone`);
}

/** The error paragraph of a field (its text starts with text) is right below / beside its input and tied to it. */
async function assertFieldError(page, label, id, text) {
	const input = page.getByLabel(label);
	const error = page.locator(`#${id}`);
	await error.waitFor();
	const shown = (await error.innerText()).trim();
	assert.ok(shown.startsWith(text), `#${id}: ${shown}`);
	assert.equal(await error.getAttribute('role'), 'alert');
	assert.equal(await input.getAttribute('aria-invalid'), 'true');
	assert.ok((await input.getAttribute('aria-describedby') || '').split(/\s+/).includes(id), `${label} is described by #${id}`);
	const [a, b] = [await input.boundingBox(), await error.boundingBox()];
	assert.ok(b.y >= a.y - 60 && b.y <= a.y + a.height + 60, `#${id} is next to ${label} (${JSON.stringify({ input: a, error: b })})`);
}

test('phone in WeChat: inviter and org, errors next to the fields, a submission makes a 微信邀请 contact and notifies the inviter', async () => {
	const invitation = await newInvitation({ ttlHours: 24 });
	const suffix = randomBytes(3).toString('hex');
	const name = `微信访客${suffix}`;
	const mobile = uniqueMobile();
	await withPhone('invite-landing-form', async (page) => {
		const response = await page.goto(invitation.url);
		assert.equal(response.status(), 200);
		const headers = response.headers();
		assert.equal(headers['referrer-policy'], 'strict-origin');
		assert.match(headers['cache-control'], /no-store/);
		assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
		assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
		assert.match(await page.locator('meta[name="viewport"]').getAttribute('content'), /width=device-width/);
		const heading = page.getByRole('heading', { level: 1 });
		assert.equal((await page.locator('#invite-title').innerText()).trim(), `张伟 邀请你成为「${DEMO.org1.name}」的外部联系人`);
		assert.equal(await heading.count(), 1);
		// Each field has its label (for=).
		for (const [label, id] of [['姓名', 'f-name'], ['手机', 'f-mobile'], ['公司', 'f-company'], ['职务', 'f-title']]) {
			assert.equal(await page.getByLabel(label).getAttribute('id'), id, label);
		}
		await assertFitsPhone(page);
		await screenshot(page, 'invite-landing-form', { fullPage: true });

		// Empty: 请填写姓名 next to the name, nothing made.
		let answer = await submit(page);
		assert.equal(answer.status(), 400);
		await assertFieldError(page, '姓名', 'err-name', '请填写姓名');
		await assertFitsPhone(page);
		await screenshot(page, 'invite-landing-error', { fullPage: true });

		// A bad mobile: its own message, the name kept.
		await page.locator('#f-name').fill(name);
		await page.locator('#f-mobile').fill('12345');
		answer = await submit(page);
		assert.equal(answer.status(), 400);
		await assertFieldError(page, '手机', 'err-mobile', '手机号码格式不正确');
		assert.equal(await page.locator('#f-name').inputValue(), name, 'the values are kept');
		assert.equal(await page.locator('#f-name').getAttribute('aria-invalid'), null, 'the name is fine now');
		assert.equal(await page.locator('#err-name').count(), 0);

		// Valid: 提交成功 naming the inviter.
		await page.locator('#f-mobile').fill(mobile);
		await page.locator('#f-company').fill(`访客公司${suffix}`);
		await page.locator('#f-title').fill('采购经理');
		answer = await submit(page);
		assert.equal(answer.status(), 200);
		await page.locator('#invite-done', { hasText: '提交成功' }).waitFor();
		assert.match(await page.locator('body').innerText(), /张伟/);
		await assertFitsPhone(page);
		await screenshot(page, 'invite-landing-done', { fullPage: true });
	});

	// The inviter's side: one use counted, the contact (source 微信邀请) and a notification.
	const mine = await zhang.get(`${API}/invitations`);
	assert.equal(mine.status, 200, mine.text);
	assert.equal(mine.json.items.find((item) => item.id === invitation.invitation.id).uses, 1);
	const notices = await zhang.get('/api/notifications?limit=50');
	assert.equal(notices.status, 200, notices.text);
	const notice = notices.json.items.find((item) => item.type === 'external_contacts.invitation_joined' && JSON.stringify(item).includes(name));
	assert.ok(notice, `a notification naming ${name}: ${JSON.stringify(notices.json.items.map((item) => item.type))}`);
	await withPage('invite-landing-inviter', async (page) => {
		await loginPage(page, host, DEMO.zhangwei);
		await showContacts(page);
		const row = page.locator('.ec-contact', { hasText: name });
		await row.waitFor();
		assert.equal((await row.locator('.ec-tag-wechat_invite').innerText()).trim(), '微信邀请');
		assert.match(await row.innerText(), new RegExp(mobile));
		await page.locator('#rh-bell').click();
		await page.locator('#rh-notif-panel .rh-notif', { hasText: name }).waitFor();
		await screenshot(page, 'invite-landing-inviter');
	});
});

test('a used-up or revoked link shows the 410 page, an unknown token the 404 page', async () => {
	const once = await newInvitation({ ttlHours: 1, maxUses: 1 });
	const used = await fetch(once.url, {
		method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ name: `一次性${randomBytes(2).toString('hex')}`, mobile: uniqueMobile(), company: '', title: '' }),
	});
	assert.equal(used.status, 200, await used.text());
	const revoked = await newInvitation();
	assert.equal((await zhang.del(`${API}/invitations/${revoked.invitation.id}`)).status, 200);

	await withPhone('invite-landing-gone', async (page) => {
		let response = await page.goto(once.url);
		assert.equal(response.status(), 410);
		assert.equal((await page.locator('#invite-gone').innerText()).trim(), '邀请链接已失效');
		assert.match((await page.locator('#invite-gone-reason').innerText()).trim(), /^链接的使用次数已满。?$/);
		assert.equal(await page.locator('form').count(), 0, 'no form on a used-up link');
		await assertFitsPhone(page);
		await screenshot(page, 'invite-landing-410', { fullPage: true });

		response = await page.goto(revoked.url);
		assert.equal(response.status(), 410);
		assert.match((await page.locator('#invite-gone-reason').innerText()).trim(), /^链接已被撤销。?$/);

		response = await page.goto(`${host.baseUrl}/invite/${randomBytes(32).toString('hex')}`);
		assert.equal(response.status(), 404);
		assert.equal((await page.locator('#invite-gone').innerText()).trim(), '邀请链接不存在');
		assert.doesNotMatch(await page.locator('body').innerText(), /exception|error|stack|undefined/i, 'no error dump');
		await screenshot(page, 'invite-landing-404', { fullPage: true });
	});
});

/** The wx-config JSON of the page, checked against the fake's ticket and the page's URL without #. */
async function assertShareConfig(page, invitationUrl) {
	const config = JSON.parse(await page.locator('script#wx-config').textContent());
	assert.equal(config.appId, APP_ID);
	for (const key of ['timestamp', 'nonceStr', 'signature', 'title', 'desc', 'imgUrl', 'link']) assert.ok(config[key] !== undefined && config[key] !== '', `wx-config.${key}`);
	const pageUrl = page.url().split('#')[0];
	assert.ok(recorder.tickets.length >= 1, 'the host asked the fake for a JS-SDK ticket');
	const ticket = recorder.tickets[recorder.tickets.length - 1];
	const expected = createHash('sha1')
		.update(`jsapi_ticket=${ticket}&noncestr=${config.nonceStr}&timestamp=${config.timestamp}&url=${pageUrl}`)
		.digest('hex');
	assert.equal(config.signature, expected, 'signature = SHA-1 of jsapi_ticket=..&noncestr=..&timestamp=..&url=<page url without #>');
	assert.equal(config.link, invitationUrl, 'the share card points at the invitation');
	assert.ok(Math.abs(Number(config.timestamp) - Date.now() / 1000) < 300, 'timestamp in seconds, now');
	return config;
}

test('WeChat authorization fills nickname and avatar and binds the contact; the share card is signed', async () => {
	const invitation = await newInvitation();
	const mobile = uniqueMobile();
	const suffix = randomBytes(3).toString('hex');
	const wxUser = {
		openid: `oE2E${suffix}openid`, unionid: `uE2E${suffix}unionid`, nickname: `微信用户${suffix}`,
		headimgurl: `https://thirdwx.qlogo.cn/mmopen/vi_32/e2e${suffix}/132`,
	};
	fake.setUser(wxUser);
	const before = { oauthToken: fake.calls.oauthToken, userinfo: fake.calls.userinfo };
	let nickname;
	await withPhone('invite-landing-wechat', async (page) => {
		const response = await page.goto(invitation.url);
		assert.equal(response.status(), 200);
		await assertShareConfig(page, invitation.url);
		await page.waitForFunction(() => Array.isArray(window.__wxCalls) && window.__wxCalls.some((call) => call.fn === 'config'));
		const calls = await page.evaluate(() => window.__wxCalls);
		const configured = calls.find((call) => call.fn === 'config').args[0];
		const config = JSON.parse(await page.locator('script#wx-config').textContent());
		assert.equal(configured.signature, config.signature, 'invite-share.js hands the signed config to wx.config');
		assert.equal(configured.appId, APP_ID);

		// 使用微信授权填写 → the fake's consent → back on the landing page.
		await Promise.all([
			page.waitForURL(/\/wechat\/callback\?/),
			page.getByRole('link', { name: '使用微信授权填写' }).tap(),
		]);
		await page.getByText('已通过微信授权').waitFor();
		assert.equal(await page.locator('#wechat-error').count(), 0);
		nickname = await page.locator('#f-name').inputValue();
		assert.equal(nickname, wxUser.nickname, 'the name is the WeChat nickname');
		const avatar = page.locator('#wechat-avatar');
		await avatar.waitFor();
		assert.ok(await avatar.isVisible());
		assert.equal(await avatar.getAttribute('src'), wxUser.headimgurl);
		assert.ok(await avatar.evaluate((img) => img.complete && img.naturalWidth > 0), 'the avatar loaded');
		assert.ok(await page.locator('input[type="hidden"][name="wx"]').count() === 1, 'the hidden wx input');
		await assertShareConfig(page, invitation.url);
		await assertFitsPhone(page);
		await screenshot(page, 'invite-landing-wechat', { fullPage: true });
		assert.equal(fake.calls.oauthToken, before.oauthToken + 1, 'the code was exchanged once');
		assert.equal(fake.calls.userinfo, before.userinfo + 1, 'the profile was asked once');

		await page.locator('#f-mobile').fill(mobile);
		const answer = await submit(page);
		assert.equal(answer.status(), 200);
		await page.locator('#invite-done', { hasText: '提交成功' }).waitFor();
	});

	const found = await zhang.get(`${API}/contacts?scope=mine&q=${encodeURIComponent(mobile)}`);
	assert.equal(found.status, 200, found.text);
	const items = found.json.items || found.json.contacts || [];
	assert.equal(items.length, 1, found.text);
	const detail = await zhang.get(`${API}/contacts/${items[0].id}`);
	assert.equal(detail.status, 200, detail.text);
	assert.equal(detail.json.name, nickname);
	assert.equal(detail.json.source, 'wechat_invite');
	assert.equal(detail.json.wechat.bound, true);
	assert.equal(detail.json.wechat.nickname, wxUser.nickname);
	assert.equal(detail.json.wechat.avatarUrl, wxUser.headimgurl);
	assert.ok(!detail.text.includes(wxUser.openid) && !detail.text.includes(wxUser.unionid), 'openid / unionid are not shown');
});
