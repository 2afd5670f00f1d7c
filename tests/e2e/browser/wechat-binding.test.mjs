// 绑定微信 in 个人设置 (R7.3) with WeChat configured against the local fake
// (tests/e2e/lib/wechat-fake.mjs): an external user opens 个人设置, 绑定微信
// goes to WeChat's authorize page, which (the fake consents at once) sends
// the browser back to the plugin's callback: 微信绑定成功, and back in 个人设置
// the binding shows the WeChat nickname; 解除绑定 (confirmed) ends it. The
// same WeChat cannot be bound by a second user; without a session the
// routes answer 401.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { launchBrowser, withPage as runPage, login, screenshot } from '../lib/browser.mjs';
import { loggedIn } from '../lib/client.mjs';
import { startWeChatFake } from '../lib/wechat-fake.mjs';

const APP_ID = 'wx7a1c3e5f9b2d4068';
const APP_SECRET = `secret${randomBytes(8).toString('hex')}`;
const BASE = '/api/plugins/external-contacts';
let host;
let browser;
let wechat;
const suffix = randomBytes(3).toString('hex');
const outsider = { login: `wxext${suffix}`, password: 'Outside-Binding-2026!', name: '外部小李' };

before(async () => {
	wechat = await startWeChatFake({ appId: APP_ID, appSecret: APP_SECRET });
	host = await startHost({
		set: {
			'plugin.external-contacts.wechatAppId': APP_ID,
			'plugin.external-contacts.wechatAppSecret': APP_SECRET,
			'plugin.external-contacts.wechatOpenBaseUrl': wechat.baseUrl,
			'plugin.external-contacts.wechatApiBaseUrl': wechat.baseUrl,
		},
	});
	browser = await launchBrowser();
	const created = await host.cli(['user', 'create', `--login=${outsider.login}`, `--name=${outsider.name}`,
		`--org=${DEMO.org1.name}`, '--external', '--password-stdin'], { input: `${outsider.password}\n` });
	assert.equal(created.code, 0, `user create: ${created.stdout}${created.stderr}`);
});

after(async () => {
	if (browser) await browser.close();
	if (host) await host.stop();
	if (wechat) await wechat.close();
});

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

test('an external user binds WeChat in 个人设置 through WeChat authorization and unbinds it again', async () => {
	wechat.setUser({ openid: `o-li-${suffix}`, unionid: `u-li-${suffix}`, nickname: '微信用户小李' });
	await withPage('wechat-binding', async (page) => {
		await login(page, host, outsider);
		await page.locator('header.rh-header').getByRole('link', { name: outsider.name }).click();
		const section = page.locator('section[data-menu-id="wechat-binding"]');
		await section.getByRole('heading', { name: '绑定微信' }).waitFor();
		await section.getByText('尚未绑定微信').waitFor();
		await section.getByRole('button', { name: '绑定微信' }).click();
		// WeChat (the fake) consents and sends the browser back to the plugin.
		await page.locator('#wechat-binding-result').waitFor();
		assert.equal(await page.locator('#wechat-binding-result').innerText(), '微信绑定成功');
		assert.match(await page.locator('#wechat-binding-text').innerText(), /已绑定微信：微信用户小李/);
		assert.equal(wechat.calls.userinfo, 1);
		await screenshot(page, 'wechat-binding-done');
		await page.getByRole('link', { name: '返回个人设置' }).click();
		await section.getByText('已绑定微信：微信用户小李').waitFor();
		page.once('dialog', (dialog) => dialog.accept());
		await section.getByRole('button', { name: '解除绑定' }).click();
		await section.getByText('尚未绑定微信').waitFor();
		await section.getByRole('button', { name: '绑定微信' }).waitFor();
	});
});

test('one WeChat binds one user: a second user with the same WeChat is refused, a wrong state too', async () => {
	wechat.setUser({ openid: `o-shared-${suffix}`, unionid: `u-shared-${suffix}`, nickname: '共用微信' });
	const first = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const second = await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password);
	async function bind(client) {
		const started = await client.post(`${BASE}/me/wechat/authorize`, {});
		assert.equal(started.status, 200, started.text);
		const cookie = (started.headers.get('set-cookie') || '').split(';')[0];
		assert.match(cookie, /^ec_bind_wx=[A-Za-z0-9_-]{43}$/);
		assert.match(started.headers.get('set-cookie'), /HttpOnly/);
		// WeChat's consent, then back with the code and the state.
		const consent = await fetch(started.json.redirectUrl.replace(/#.*$/, ''), { redirect: 'manual' });
		assert.equal(consent.status, 302);
		const back = new URL(consent.headers.get('location'));
		const answer = await fetch(back, { headers: { Cookie: `${client.cookieHeader()}; ${cookie}` } });
		return { status: answer.status, html: await answer.text(), back, cookie };
	}
	const ok = await bind(first);
	assert.equal(ok.status, 200, ok.html);
	assert.match(ok.html, /微信绑定成功/);
	assert.equal((await first.get(`${BASE}/me/wechat`)).json.nickname, '共用微信');
	const taken = await bind(second);
	assert.equal(taken.status, 400);
	assert.match(taken.html, /这个微信已绑定其他账号/);
	assert.equal((await second.get(`${BASE}/me/wechat`)).json.bound, false);
	// The first user's state, replayed: refused (once only).
	const replay = await fetch(ok.back, { headers: { Cookie: `${first.cookieHeader()}; ${ok.cookie}` } });
	assert.equal(replay.status, 400);
	assert.match(await replay.text(), /微信授权已失效/);
	// Without a session.
	assert.equal((await fetch(`${host.baseUrl}${BASE}/me/wechat`)).status, 401);
	const anonymous = await fetch(`${host.baseUrl}${BASE}/me/wechat/authorize`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
	assert.equal(anonymous.status, 401);
	// Without the CSRF token an unsafe call is anonymous too.
	assert.equal((await first.del(`${BASE}/me/wechat`, { csrf: '' })).status, 401);
	assert.equal((await first.get(`${BASE}/me/wechat`)).json.bound, true);
	assert.equal((await first.del(`${BASE}/me/wechat`)).json.bound, false);
});
