// Browser test of 邀请微信好友 (SPEC R4.1, R4.5): a member opens 【新建】 → 邀请微信好友,
// generates a link, the QR code shown decodes (zbarimg) to exactly the link in the
// read-only input, 复制链接 puts it on the clipboard; 重新生成 and 撤销 (each confirmed)
// make the earlier link's landing page answer 410; 我的邀请链接 shows the states and
// pages with 加载更多; validation (client and server), 429 and network failures are
// shown in the dialog with the entries kept; Escape closes and focus returns to 【新建】.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';
import { API, pluginApi, showContacts } from '../lib/contacts-ui.mjs';

let host;
let browser;
let tmp;

before(async () => {
	host = await startHost();
	browser = await launchBrowser();
	tmp = await mkdtemp(path.join(os.tmpdir(), 'ec-invite-qr-'));
});

after(async () => {
	if (browser) await browser.close();
	if (host) await host.stop();
	if (tmp) await rm(tmp, { recursive: true, force: true });
});

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

async function login(page, user) {
	await loginPage(page, host, user);
	await page.getByRole('navigation', { name: '主导航' }).waitFor();
}

/** zbarimg --raw -q on PNG bytes → the decoded text (one symbol). */
async function decodeQr(bytes, name) {
	const file = path.join(tmp, `${name}.png`);
	await writeFile(file, bytes);
	return new Promise((resolve, reject) => {
		execFile('zbarimg', ['--raw', '-q', file], { timeout: 20000 }, (error, stdout) => {
			if (error) reject(new Error(`zbarimg found no QR code in ${name}: ${error.message}`));
			else resolve(stdout.replace(/\n$/, ''));
		});
	});
}

/** The landing page's status for a link (no session, no redirects followed). */
async function landingStatus(url) {
	const response = await fetch(url, { redirect: 'manual' });
	await response.arrayBuffer();
	return response.status;
}

const focusedId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

/** 新建 → 邀请微信好友; waits until the dialog settled on the form or on a link. */
async function openInvite(page) {
	await page.locator('#ec-new-button').click();
	await page.getByRole('menuitem', { name: '邀请微信好友' }).click();
	const dialog = page.getByRole('dialog', { name: '邀请微信好友' });
	await dialog.waitFor();
	await dialog.locator('#ec-invite-list:not([aria-busy])').waitFor({ state: 'attached' });
	await dialog.locator('#ec-invite-form:visible, #ec-invite-link-view:visible').first().waitFor();
	return dialog;
}

/** The QR <img> the dialog shows once loaded: its bytes (data: URL) and a screenshot of the element. */
async function shownQr(dialog) {
	const img = dialog.getByRole('img', { name: '邀请链接二维码' });
	await img.waitFor();
	await dialog.page().waitForFunction(() => {
		const el = document.querySelector('#ec-invite-qr');
		return el && !el.hidden && el.complete && el.naturalWidth > 0;
	});
	const src = await img.getAttribute('src');
	assert.match(src, /^data:image\/png;base64,/);
	return { bytes: Buffer.from(src.slice(src.indexOf(',') + 1), 'base64'), shot: await img.screenshot() };
}

async function expectQrOf(dialog, url, name) {
	const { bytes, shot } = await shownQr(dialog);
	assert.equal(await decodeQr(bytes, `${name}-bytes`), url, 'the image bytes decode to the link shown');
	assert.equal(await decodeQr(shot, `${name}-shot`), url, 'the image as rendered decodes to the link shown');
}

const rowOf = (dialog, id) => dialog.locator(`#ec-invite-list .ec-invite-item[data-id="${id}"]`);
const formatMinute = (page, ms) => page.evaluate((value) => {
	const d = new Date(value);
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}, ms);

test('generate a link from 新建 → 邀请微信好友: QR = link, copy, Escape, regenerate and revoke end the old link, list states', async () => {
	await withPage('invitations-main', async (page) => {
		await login(page, DEMO.zhangwei);
		await showContacts(page);
		const dialog = await openInvite(page);
		assert.equal(await dialog.getAttribute('aria-modal'), 'true');
		const form = dialog.locator('#ec-invite-form');
		assert.equal(await form.isVisible(), true, 'no link of this session yet: the options');
		assert.equal(await dialog.locator('#ec-invite-link-view').isVisible(), false);
		const ttl = dialog.getByLabel('有效期');
		assert.equal(await ttl.inputValue(), '168', '7 天 is the default');
		assert.deepEqual(await ttl.locator('option').allInnerTexts(), ['1 小时', '1 天', '7 天', '30 天']);
		const maxUses = dialog.getByLabel('使用次数上限（选填）');
		assert.equal(await maxUses.inputValue(), '');
		await dialog.locator('#ec-invite-empty', { hasText: '还没有邀请链接' }).waitFor();
		assert.match(await dialog.locator('#ec-invite-note').innerText(), /为安全起见，链接只在生成时显示；如需再次分享，请重新生成。/);

		// Keyboard: Tab stays in the dialog, Escape closes it, focus is back on 新建.
		for (let i = 0; i < 12; i += 1) {
			await page.keyboard.press('Tab');
			assert.equal(await page.evaluate(() => Boolean(document.activeElement && document.activeElement.closest('#ec-invite-dialog'))), true, `Tab ${i + 1} left the dialog`);
		}
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });
		assert.equal(await focusedId(page), 'ec-new-button', 'focus returns to 新建');

		// 使用次数上限 0: refused next to the field before anything is sent.
		await openInvite(page);
		let posts = 0;
		const countPosts = (request) => {
			if (request.method() === 'POST' && new URL(request.url()).pathname === `${API}/invitations`) posts += 1;
		};
		page.on('request', countPosts);
		await maxUses.fill('0');
		await dialog.getByRole('button', { name: '生成邀请链接' }).click();
		const maxError = dialog.locator('#ec-invite-max-error');
		await maxError.filter({ hasText: '使用次数上限' }).waitFor();
		assert.match(await maxError.innerText(), /^使用次数上限：请填写 1 到 1000 之间的整数/);
		assert.equal(await maxUses.getAttribute('aria-invalid'), 'true');
		assert.match(await maxUses.getAttribute('aria-describedby'), /ec-invite-max-error/);
		assert.equal(await focusedId(page), 'ec-invite-max');
		assert.equal(await dialog.locator('#ec-invite-error').innerText(), '请修改标出的内容后再生成。');
		assert.equal(posts, 0);
		page.off('request', countPosts);

		// The server's own refusal of maxUses (the request rewritten on its way) names the field too.
		await maxUses.fill('5');
		await page.route(`**${API}/invitations`, (route) => (route.request().method() === 'POST'
			? route.continue({ postData: JSON.stringify({ ttlHours: 168, maxUses: 0 }) })
			: route.continue()));
		const [refused] = await Promise.all([
			page.waitForResponse((r) => new URL(r.url()).pathname === `${API}/invitations` && r.request().method() === 'POST'),
			dialog.getByRole('button', { name: '生成邀请链接' }).click(),
		]);
		assert.equal(refused.status(), 400);
		const refusal = await refused.json();
		assert.equal(refusal.error.code, 'validation_failed');
		assert.equal(refusal.error.field, 'maxUses');
		await maxError.filter({ hasText: '使用次数上限' }).waitFor();
		assert.equal(await maxUses.getAttribute('aria-invalid'), 'true');
		assert.equal(await maxUses.inputValue(), '5', 'the entry is kept');
		await page.unroute(`**${API}/invitations`);

		// 429: says when to try again; network failure: says so; the entries stay.
		await ttl.selectOption('24');
		await page.route(`**${API}/invitations`, (route) => (route.request().method() === 'POST'
			? route.fulfill({ status: 429, headers: { 'Retry-After': '120' }, contentType: 'application/json', body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many' }, retryAfterSeconds: 120 }) })
			: route.continue()));
		await dialog.getByRole('button', { name: '生成邀请链接' }).click();
		await dialog.locator('#ec-invite-error', { hasText: '请在 2 分钟后' }).waitFor();
		assert.equal(await maxUses.inputValue(), '5');
		assert.equal(await ttl.inputValue(), '24');
		await page.unroute(`**${API}/invitations`);
		await page.route(`**${API}/invitations`, (route) => (route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue()));
		await dialog.getByRole('button', { name: '生成邀请链接' }).click();
		await dialog.locator('#ec-invite-error', { hasText: '无法连接服务器' }).waitFor();
		assert.equal(await maxUses.inputValue(), '5');
		assert.equal(await ttl.inputValue(), '24');
		assert.equal(await form.isVisible(), true);
		await page.unroute(`**${API}/invitations`);
		await screenshot(page, 'invitations-network-error');

		// Generate: 1 天, at most 5 uses.
		const [created] = await Promise.all([
			page.waitForResponse((r) => new URL(r.url()).pathname === `${API}/invitations` && r.request().method() === 'POST'),
			dialog.getByRole('button', { name: '生成邀请链接' }).click(),
		]);
		assert.equal(created.status(), 201, await created.text());
		assert.deepEqual(JSON.parse(created.request().postData()), { ttlHours: 24, maxUses: 5 });
		const first = await created.json();
		assert.equal(first.invitation.state, 'active');
		const urlInput = dialog.getByLabel('邀请链接', { exact: true });
		await urlInput.waitFor();
		assert.equal(await urlInput.inputValue(), first.url);
		assert.equal(await urlInput.getAttribute('readonly'), '');
		assert.equal(await form.isVisible(), false);
		assert.equal(await dialog.locator('#ec-invite-error').innerText(), '');
		assert.equal(await dialog.locator('#ec-invite-expiry').innerText(), `有效期至 ${await formatMinute(page, first.invitation.expiresAt)}`);
		assert.equal(await dialog.locator('#ec-invite-uses').innerText(), '已使用 0 次 / 上限 5');
		await expectQrOf(dialog, first.url, 'first');
		// The token is kept for this session only.
		const stored = await page.evaluate(() => ({ session: JSON.stringify({ ...sessionStorage }), local: JSON.stringify({ ...localStorage }) }));
		assert.ok(stored.session.includes(first.token), 'sessionStorage holds the link');
		assert.ok(!stored.local.includes(first.token), 'localStorage does not');
		assert.equal(await landingStatus(first.url), 200);
		const firstRow = rowOf(dialog, first.invitation.id);
		await firstRow.waitFor();
		assert.match(await firstRow.innerText(), /有效/);
		assert.match(await firstRow.innerText(), /已使用 0 \/ 5/);
		await screenshot(page, 'invitations-link');

		// 复制链接 → the clipboard, confirmed in the live region.
		await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.baseUrl });
		await dialog.getByRole('button', { name: '复制链接' }).click();
		const copied = dialog.locator('#ec-invite-copy-status');
		await copied.filter({ hasText: '已复制' }).waitFor();
		assert.equal(await copied.getAttribute('aria-live'), 'polite');
		assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first.url);

		// Closed and opened again in this session: the same link, no options.
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });
		assert.equal(await focusedId(page), 'ec-new-button');
		await openInvite(page);
		await dialog.locator('#ec-invite-link-view').waitFor();
		assert.equal(await urlInput.inputValue(), first.url);
		assert.equal(await form.isVisible(), false);
		await expectQrOf(dialog, first.url, 'first-again');

		// 重新生成: confirmed first (取消 changes nothing), then the old link answers 410.
		await dialog.getByRole('button', { name: '重新生成' }).click();
		const confirm = page.getByRole('alertdialog', { name: '重新生成邀请链接？' });
		await confirm.waitFor();
		assert.match(await confirm.innerText(), /当前链接立即失效/);
		assert.equal(await focusedId(page), 'ec-invite-confirm-cancel');
		await page.keyboard.press('Escape');
		await confirm.waitFor({ state: 'hidden' });
		assert.equal(await dialog.isVisible(), true, 'Escape closed only the confirmation');
		assert.equal(await focusedId(page), 'ec-invite-regenerate');
		assert.equal(await landingStatus(first.url), 200);
		await dialog.getByRole('button', { name: '重新生成' }).click();
		await confirm.waitFor();
		const [regenerated] = await Promise.all([
			page.waitForResponse((r) => new URL(r.url()).pathname === `${API}/invitations/${first.invitation.id}/regenerate`),
			confirm.getByRole('button', { name: '重新生成' }).click(),
		]);
		assert.equal(regenerated.status(), 201, await regenerated.text());
		const second = await regenerated.json();
		await page.waitForFunction((old) => {
			const el = document.querySelector('#ec-invite-url');
			return el && el.value && el.value !== old;
		}, first.url);
		assert.equal(await urlInput.inputValue(), second.url);
		assert.notEqual(second.url, first.url);
		assert.equal(await dialog.locator('#ec-invite-uses').innerText(), '已使用 0 次 / 上限 5', 'same limit');
		await expectQrOf(dialog, second.url, 'second');
		assert.equal(await landingStatus(first.url), 410, 'the old link stopped working');
		assert.equal(await landingStatus(second.url), 200);
		await rowOf(dialog, first.invitation.id).filter({ hasText: '已撤销' }).waitFor();
		assert.equal(await rowOf(dialog, first.invitation.id).getByRole('button', { name: /撤销/ }).count(), 0, 'no 撤销 on a revoked row');
		assert.ok(!(await page.evaluate(() => JSON.stringify({ ...sessionStorage }))).includes(first.token), 'the old token left the session');

		// A used-up link (made through the API with maxUses 1, then used) and the states in the list.
		const usedUp = await pluginApi(page, 'POST', '/invitations', { ttlHours: 1, maxUses: 1 });
		assert.equal(usedUp.status, 201, JSON.stringify(usedUp.json));
		const submitted = await fetch(usedUp.json.url, {
			method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ name: '用完测试', mobile: '13800138111', company: '', title: '' }),
		});
		assert.equal(submitted.status, 200, await submitted.text());
		assert.equal(await landingStatus(usedUp.json.url), 410);

		// 撤销 the shown link: confirmed, then the options come back and the link answers 410.
		await dialog.locator('#ec-invite-revoke').click();
		const revokeConfirm = page.getByRole('alertdialog', { name: '撤销邀请链接？' });
		await revokeConfirm.waitFor();
		const [revoked] = await Promise.all([
			page.waitForResponse((r) => new URL(r.url()).pathname === `${API}/invitations/${second.invitation.id}` && r.request().method() === 'DELETE'),
			revokeConfirm.getByRole('button', { name: '撤销' }).click(),
		]);
		assert.equal(revoked.status(), 200, await revoked.text());
		await form.waitFor();
		assert.equal(await dialog.locator('#ec-invite-link-view').isVisible(), false);
		assert.equal(await landingStatus(second.url), 410);
		await rowOf(dialog, second.invitation.id).filter({ hasText: '已撤销' }).waitFor();
		await rowOf(dialog, usedUp.json.invitation.id).filter({ hasText: '已用完' }).waitFor();
		assert.match(await rowOf(dialog, usedUp.json.invitation.id).innerText(), /已使用 1 \/ 1/);
		await dialog.locator('#ec-invite-notice', { hasText: '已撤销邀请链接' }).waitFor();
		assert.ok(!(await page.evaluate(() => JSON.stringify({ ...sessionStorage }))).includes(second.token));
		assert.doesNotMatch(await dialog.innerText(), /undefined|null|NaN/);
		await screenshot(page, 'invitations-states');
	}, { viewport: { width: 1280, height: 1000 } });
});

test('我的邀请链接: 撤销 per row, 加载更多 through nextCursor, created and expiry shown', async () => {
	const lina = await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password);
	const made = [];
	for (let i = 0; i < 23; i += 1) {
		const r = await lina.post(`${API}/invitations`, { ttlHours: 720, maxUses: i % 2 ? 10 : null });
		assert.equal(r.status, 201, r.text);
		made.push(r.json);
	}
	// No clock to move here: the answer of the list is altered on its way so that one link reads expired.
	const expiredId = made[made.length - 2].invitation.id;
	await withPage('invitations-list', async (page) => {
		await login(page, DEMO.lina);
		await showContacts(page);
		await page.route(/\/invitations\?/, async (route) => {
			const response = await route.fetch();
			const json = await response.json();
			for (const item of json.items || []) if (item.id === expiredId) item.state = 'expired';
			await route.fulfill({ response, json });
		});
		const dialog = await openInvite(page);
		// This browser made none of them: the options, and the list below.
		assert.equal(await dialog.locator('#ec-invite-form').isVisible(), true);
		const rows = dialog.locator('#ec-invite-list .ec-invite-item');
		const firstPage = await rows.count();
		assert.ok(firstPage > 0 && firstPage < made.length, `a first page (${firstPage})`);
		const newest = made[made.length - 1];
		assert.equal(await rows.first().getAttribute('data-id'), String(newest.invitation.id), 'newest first');
		const newestText = await rows.first().innerText();
		assert.ok(newestText.includes(`创建于 ${await formatMinute(page, newest.invitation.createdAt)}`), newestText);
		assert.ok(newestText.includes(`有效期至 ${await formatMinute(page, newest.invitation.expiresAt)}`), newestText);
		assert.match(newestText, /已使用 0 \/ 不限/);
		const more = dialog.getByRole('button', { name: '加载更多' });
		while (await more.isVisible()) {
			const before = await rows.count();
			await more.click();
			await page.waitForFunction((n) => document.querySelectorAll('#ec-invite-list .ec-invite-item').length > n
				&& !document.querySelector('#ec-invite-list[aria-busy]'), before);
		}
		assert.equal(await rows.count(), made.length, 'every link once');
		const ids = await rows.evaluateAll((items) => items.map((item) => item.dataset.id));
		assert.equal(new Set(ids).size, made.length);

		const expiredRow = rowOf(dialog, expiredId);
		assert.match(await expiredRow.innerText(), /已过期/);
		assert.equal(await expiredRow.getByRole('button', { name: /撤销/ }).count(), 0, 'no 撤销 on an expired row');
		assert.equal(await rowOf(dialog, newest.invitation.id).getByRole('button', { name: `撤销创建于 ${await formatMinute(page, newest.invitation.createdAt)} 的邀请链接` }).count(), 1);
		await screenshot(page, 'invitations-list');

		// 撤销 on a row: confirmed, the row says 已撤销, the link answers 410.
		const target = made[3];
		const row = rowOf(dialog, target.invitation.id);
		await row.getByRole('button', { name: /撤销/ }).click();
		const confirm = page.getByRole('alertdialog', { name: '撤销邀请链接？' });
		await confirm.waitFor();
		await confirm.getByRole('button', { name: '撤销' }).click();
		await confirm.waitFor({ state: 'hidden' });
		await rowOf(dialog, target.invitation.id).filter({ hasText: '已撤销' }).waitFor();
		assert.equal(await landingStatus(target.url), 410);
		assert.equal(await landingStatus(made[4].url), 200, 'only that one');
	});
	// Another member's link cannot be revoked by lina: 404.
	const zhang = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const own = await zhang.post(`${API}/invitations`, {});
	assert.equal(own.status, 201, own.text);
	assert.equal((await lina.del(`${API}/invitations/${own.json.invitation.id}`)).status, 404);
});
