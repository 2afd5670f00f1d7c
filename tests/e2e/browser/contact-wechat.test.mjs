// Browser test of the WeChat identity on the contact cards (R4.6) and 解除绑定:
// the small and the large card show the avatar (no referrer sent; a
// placeholder when there is no picture or it fails), the nickname and 绑定于;
// the adder unbinds after a confirmation (取消 keeps it), the card refreshes
// and 历史 names the change; a member the contact is only shared with sees the
// identity but no 解除绑定. The identities are bound the way people bind them:
// invitation links with WeChat authorization against the node fake. A
// WeChat a visitor proposed for an existing contact (issue 14, finding 3)
// waits on the card with 确认绑定 / 忽略 for those who may edit it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';
import { showContacts, searchContacts, pluginApi } from '../lib/contacts-ui.mjs';
import { startWeChatFake } from '../lib/wechat-fake.mjs';
import { WECHAT_APP, wechatSettings, joinWithWeChat, answerWithWeChat } from '../lib/wechat-join.mjs';

// A 1×1 PNG: what the stand-in for WeChat's picture server answers.
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PICTURES = 'https://thirdwx.qlogo.cn/**';

let host;
let fake;
let browser;
let zhang;
let lina;
let serial = 0;
const suffix = randomBytes(3).toString('hex');

function mobile() {
	serial += 1;
	return `135${String(Date.now() % 100000).padStart(5, '0')}${String(serial).padStart(3, '0')}`.slice(0, 11);
}

function bound(name, nickname, avatarUrl) {
	return joinWithWeChat(host.baseUrl, zhang, fake, { name: `${name}${suffix}`, mobile: mobile(), nickname, avatarUrl });
}

before(async () => {
	fake = await startWeChatFake(WECHAT_APP);
	host = await startHost({ set: wechatSettings(fake) });
	browser = await launchBrowser();
	zhang = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	lina = await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password);
});

after(async () => {
	if (browser) await browser.close();
	if (host) await host.stop();
	await fake?.close();
});

/** Pictures load from the stand-in (…/broken/… fails); referrers are recorded. */
function pictures(referrers) {
	return {
		prepare: (context) => context.route(PICTURES, (route) => {
			referrers.push(route.request().headers().referer ?? null);
			if (route.request().url().includes('/broken/')) return route.abort();
			return route.fulfill({ status: 200, contentType: 'image/png', body: PIXEL });
		}),
	};
}

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

async function openSmall(page, contact) {
	await searchContacts(page, contact.name);
	const row = page.locator(`.ec-contact[data-id="${contact.id}"]`);
	await row.getByRole('button', { name: contact.name, exact: true }).click();
	const popover = page.locator('#ec-popover');
	await popover.getByRole('button', { name: '查看详情' }).waitFor();
	return popover;
}

async function openLarge(page, contact) {
	const popover = await openSmall(page, contact);
	await popover.getByRole('button', { name: '查看详情' }).click();
	const dialog = page.locator('#ec-card-dialog');
	await dialog.locator('#ec-panel-basic .ec-details').waitFor();
	return dialog;
}

test('the cards show the WeChat; 解除绑定 asks first (取消 keeps it), then the card refreshes and 历史 names it', async () => {
	const contact = await bound('卡片微信', '微信小卡');
	const referrers = [];
	await withPage('contact-wechat-unbind', async (page) => {
		await loginPage(page, host, DEMO.zhangwei);
		await showContacts(page, { reload: false });

		// Small card: avatar, nickname, 绑定于.
		const popover = await openSmall(page, contact);
		const small = popover.locator('#ec-popover-wechat');
		await small.waitFor();
		assert.equal(await small.locator('.ec-wechat-nickname').innerText(), '微信小卡');
		assert.match(await small.locator('.ec-wechat-bound').innerText(), /^绑定于 \S/);
		const smallAvatar = small.getByRole('img', { name: '微信头像' });
		assert.equal(await smallAvatar.getAttribute('referrerpolicy'), 'no-referrer');
		await page.waitForFunction(() => document.querySelector('#ec-popover-wechat img')?.naturalWidth > 0);
		await screenshot(page, 'contact-wechat-small-card');
		await popover.getByRole('button', { name: '查看详情' }).click();

		// Large card, 基本信息.
		const dialog = page.locator('#ec-card-dialog');
		const block = dialog.locator('#ec-card-wechat');
		await block.waitFor();
		assert.equal(await block.getByRole('heading', { name: '微信' }).count(), 1);
		assert.equal(await block.locator('.ec-wechat-nickname').innerText(), '微信小卡');
		assert.match(await block.locator('.ec-wechat-bound').innerText(), /^绑定于 \S/);
		const avatar = block.getByRole('img', { name: '微信头像' });
		assert.equal(await avatar.getAttribute('referrerpolicy'), 'no-referrer');
		assert.equal(await avatar.evaluate((img) => img.tagName), 'IMG');
		assert.ok(referrers.length >= 1 && referrers.every((r) => r === null), `no referrer sent: ${JSON.stringify(referrers)}`);
		await screenshot(page, 'contact-wechat-large-card');

		// 取消 keeps the binding; focus goes back to the button.
		const unbind = block.getByRole('button', { name: '解除绑定' });
		await unbind.click();
		const confirm = page.getByRole('alertdialog', { name: '解除微信绑定' });
		await confirm.waitFor();
		assert.match(await confirm.innerText(), /微信小卡/);
		assert.equal(await page.evaluate(() => document.activeElement.id), 'ec-wechat-unbind-confirm-cancel');
		await confirm.getByRole('button', { name: '取消' }).click();
		await confirm.waitFor({ state: 'hidden' });
		assert.equal(await page.evaluate(() => document.activeElement.id), 'ec-card-wechat-unbind');
		assert.equal((await pluginApi(page, 'GET', `/contacts/${contact.id}`)).json.wechat.nickname, '微信小卡');
		// Escape cancels too.
		await unbind.click();
		await confirm.waitFor();
		await page.keyboard.press('Escape');
		await confirm.waitFor({ state: 'hidden' });
		assert.equal(await dialog.isVisible(), true, 'the card stays open');
		assert.equal((await pluginApi(page, 'GET', `/contacts/${contact.id}`)).json.wechat.bound, true);

		// 解除绑定 confirmed: the card reloads without the WeChat.
		await unbind.click();
		await confirm.getByRole('button', { name: '解除绑定' }).click();
		await confirm.waitFor({ state: 'hidden' });
		await block.waitFor({ state: 'detached' });
		await dialog.locator('.ec-card-notice', { hasText: `已解除 ${contact.name} 的微信绑定` }).waitFor();
		assert.equal((await pluginApi(page, 'GET', `/contacts/${contact.id}`)).json.wechat, null);

		// 历史: the entry with its label and what was bound.
		await dialog.getByRole('tab', { name: '历史' }).click();
		const entry = dialog.locator('#ec-history .ec-history-entry').first();
		await entry.waitFor();
		assert.equal(await entry.getAttribute('data-action'), 'wechat.unbind');
		assert.equal(await entry.locator('.ec-history-action').innerText(), '解除了微信绑定');
		assert.equal(await entry.locator('tr[data-field="nickname"] th').innerText(), '微信昵称');
		assert.equal(await entry.locator('tr[data-field="nickname"] .ec-history-before').innerText(), '微信小卡');
		assert.ok(!(await entry.innerText()).includes('boundAt'), 'the bound-at time has a label');
		await page.keyboard.press('Escape');

		// The small card no longer shows it either.
		// (the card fetches the contact once for it: wait for that answer, then look)
		const fetched = page.waitForResponse((r) => r.request().method() === 'GET' &&
			new URL(r.url()).pathname.endsWith(`/contacts/${contact.id}`));
		const again = await openSmall(page, contact);
		await (await fetched).finished();
		await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
		assert.equal(await again.locator('#ec-popover-wechat').count(), 0);
	}, pictures(referrers));
});

test('a placeholder stands in for a missing or failing picture; a contact without WeChat shows none', async () => {
	const none = await bound('无头像微信', '微信无图', '');
	const broken = await bound('坏头像微信', '微信坏图', 'https://thirdwx.qlogo.cn/mmopen/broken/132');
	const plain = (await zhang.post('/api/plugins/external-contacts/contacts', { name: `未绑定微信${suffix}` })).json;
	await withPage('contact-wechat-placeholder', async (page) => {
		await loginPage(page, host, DEMO.zhangwei);
		await showContacts(page, { reload: false });
		for (const contact of [none, broken]) {
			const dialog = await openLarge(page, contact);
			const block = dialog.locator('#ec-card-wechat');
			await block.locator('.ec-wechat-avatar-none').waitFor();
			const placeholder = block.getByRole('img', { name: '微信头像' });
			assert.equal(await placeholder.evaluate((el) => el.tagName), 'SPAN', contact.name);
			assert.equal(await block.locator('img').count(), 0);
			await page.keyboard.press('Escape');
			await dialog.waitFor({ state: 'hidden' });
		}
		const dialog = await openLarge(page, plain);
		assert.equal(await dialog.locator('#ec-card-wechat').count(), 0);
	}, pictures([]));
});

test('a member the contact is only shared with sees the WeChat but no 解除绑定', async () => {
	const contact = await bound('共享微信', '微信共享');
	const shared = await zhang.put(`/api/plugins/external-contacts/contacts/${contact.id}/shares`, { members: [lina.me.user.id] });
	assert.equal(shared.status, 200, shared.text);
	await withPage('contact-wechat-shared', async (page) => {
		await loginPage(page, host, DEMO.lina);
		await showContacts(page, { reload: false });
		const dialog = await openLarge(page, contact);
		const block = dialog.locator('#ec-card-wechat');
		await block.waitFor();
		assert.equal(await block.locator('.ec-wechat-nickname').innerText(), '微信共享');
		assert.equal(await block.getByRole('button', { name: '解除绑定' }).count(), 0);
		assert.equal(await dialog.getByRole('button', { name: '编辑' }).count(), 0);
	}, pictures([]));
});

test('a WeChat a visitor proposed waits on the card: 确认绑定 binds it, 忽略 keeps the old one; a shared-with member sees no proposal', async () => {
	const contact = await bound('提议微信', '微信原来的');
	const shared = await zhang.put(`/api/plugins/external-contacts/contacts/${contact.id}/shares`, { members: [lina.me.user.id] });
	assert.equal(shared.status, 200, shared.text);
	const propose = async (nickname) => {
		const answer = await answerWithWeChat(host.baseUrl, zhang, fake, { name: `访客${suffix}`, mobile: contact.mobile, nickname, avatarUrl: '' });
		assert.equal(answer.status, 200, answer.html);
	};
	await propose('访客的微信');
	await withPage('contact-wechat-proposal', async (page) => {
		await loginPage(page, host, DEMO.zhangwei);
		await showContacts(page, { reload: false });
		const dialog = await openLarge(page, contact);
		const block = dialog.locator('#ec-card-wechat-proposal');
		await block.waitFor();
		assert.equal(await block.getByRole('heading', { name: '待确认的微信' }).count(), 1);
		assert.equal(await block.locator('.ec-wechat-nickname').innerText(), '访客的微信');
		assert.match(await block.locator('#ec-card-wechat-proposal-text').innerText(), /尚未绑定到该联系人/);
		assert.equal(await dialog.locator('#ec-card-wechat .ec-wechat-nickname').innerText(), '微信原来的');
		await screenshot(page, 'contact-wechat-proposal');

		await block.getByRole('button', { name: '确认绑定' }).click();
		await dialog.locator('.ec-card-notice', { hasText: `已将微信“访客的微信”绑定到 ${contact.name}` }).waitFor();
		await block.waitFor({ state: 'detached' });
		assert.equal(await dialog.locator('#ec-card-wechat .ec-wechat-nickname').innerText(), '访客的微信');
		assert.equal((await pluginApi(page, 'GET', `/contacts/${contact.id}`)).json.wechat.nickname, '访客的微信');
		await dialog.getByRole('tab', { name: '历史' }).click();
		const entries = dialog.locator('#ec-history .ec-history-entry');
		await entries.first().waitFor();
		assert.equal(await entries.nth(0).getAttribute('data-action'), 'wechat.bind');
		assert.equal(await entries.nth(0).locator('.ec-history-action').innerText(), '绑定了微信');
		assert.equal(await entries.nth(1).getAttribute('data-action'), 'wechat.bind_proposed');
		assert.equal(await entries.nth(1).locator('.ec-history-action').innerText(), '访客通过邀请链接请求绑定微信（待确认）');
		assert.ok(!(await entries.nth(1).innerText()).includes('expiresAt'), 'the expiry has a label');
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });
	}, pictures([]));

	await propose('又一个访客');
	await withPage('contact-wechat-proposal-shared', async (page) => {
		await loginPage(page, host, DEMO.lina);
		await showContacts(page, { reload: false });
		const dialog = await openLarge(page, contact);
		await dialog.locator('#ec-card-wechat').waitFor();
		assert.equal(await dialog.locator('#ec-card-wechat-proposal').count(), 0, 'only those who may edit see it');
	}, pictures([]));
	await withPage('contact-wechat-proposal-ignore', async (page) => {
		await loginPage(page, host, DEMO.zhangwei);
		await showContacts(page, { reload: false });
		const dialog = await openLarge(page, contact);
		const block = dialog.locator('#ec-card-wechat-proposal');
		await block.waitFor();
		await block.getByRole('button', { name: '忽略' }).click();
		await dialog.locator('.ec-card-notice', { hasText: '已忽略微信“又一个访客”' }).waitFor();
		assert.equal(await dialog.locator('#ec-card-wechat-proposal').count(), 0);
		assert.equal(await dialog.locator('#ec-card-wechat .ec-wechat-nickname').innerText(), '访客的微信');
	}, pictures([]));
});
