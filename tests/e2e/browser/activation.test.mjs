// Browser tests of the activation page of an external account: the owner of
// a pending account opens the one-time link, is told their login name,
// chooses a password (weak ones refused in their language), and signs in; a
// used or unknown link says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost } from '../lib/host.mjs';
import { launchBrowser, withPage as runPage, screenshot } from '../lib/browser.mjs';

let host;
let browser;

before(async () => {
	host = await startHost();
	browser = await launchBrowser();
});

after(async () => {
	if (browser) await browser.close();
	if (host) await host.stop();
});

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

async function pendingAccount(login, name) {
	const r = await host.cli(['account', 'create-pending', '--org=1', `--name=${name}`, `--login=${login}`]);
	assert.equal(r.code, 0, r.stderr);
	const link = r.stdout.match(/activation link: (\S+)/);
	assert.ok(link, r.stdout);
	assert.match(link[1], /^\/#\/activate\/[0-9a-f]{64}$/);
	assert.match(r.stdout, new RegExp(`created: ${login.replace('.', '\\.')} \\(pending\\)`));
	return link[1];
}

test('the link owner chooses a password, weak ones are refused in Chinese, then signs in as an external user', async () => {
	const login = `lin.wai.${randomBytes(2).toString('hex')}`;
	const path = await pendingAccount(login, '林外部');
	await withPage('activation', async (page) => {
		await page.goto(`${host.baseUrl}${path}`);
		await page.getByRole('heading', { level: 1, name: '激活账号' }).waitFor();
		assert.match(await page.locator('.rh-activate-who').innerText(), new RegExp(`林外部，你的登录名是 ${login.replace(/\./g, '\\.')}`));
		const password = page.getByLabel('新密码', { exact: true });
		const repeat = page.getByLabel('再次输入新密码');
		assert.equal(await password.evaluate((el) => el === document.activeElement), true, 'focus starts in the password field');
		const error = page.locator('#activate-error');

		await password.fill('short-1');
		await repeat.fill('short-1');
		await page.getByRole('button', { name: '激活账号' }).click();
		await error.filter({ hasText: '密码至少需要 12 个字符' }).waitFor();
		assert.equal(await password.getAttribute('aria-invalid'), 'true');

		await password.fill('Tq8#vLm2!pZr');
		await repeat.fill('Tq8#vLm2!pZx');
		await page.getByRole('button', { name: '激活账号' }).click();
		await error.filter({ hasText: '两次输入的密码不一致' }).waitFor();

		// The server's verdict: too common.
		await password.fill('Password2026!');
		await repeat.fill('Password2026!');
		await page.getByRole('button', { name: '激活账号' }).click();
		await error.filter({ hasText: '这个密码太常见' }).waitFor();
		await screenshot(page, 'activation-too-common');

		await password.fill('Tq8#vLm2!pZr');
		await repeat.fill('Tq8#vLm2!pZr');
		await page.getByRole('button', { name: '激活账号' }).click();
		await page.locator('.rh-notice').filter({ hasText: `账号 ${login} 已激活` }).waitFor();
		assert.equal(await page.evaluate(() => location.hash), '#/', 'the token leaves the address bar');

		await page.getByLabel('登录名').fill(login);
		await page.getByLabel('密码').fill('Tq8#vLm2!pZr');
		await page.getByRole('button', { name: '登录' }).click();
		await page.locator('header.rh-header .rh-tag-external').first().waitFor();

		// The link cannot be used a second time.
		await page.goto(`${host.baseUrl}${path}`);
		await page.reload();
		await page.locator('.rh-form-error').filter({ hasText: '此激活链接已使用' }).waitFor();
		assert.equal(await page.locator('#new-password').count(), 0);
	});
});

test('English: an unknown link says so and leads to the sign-in page', async () => {
	await withPage('activation-invalid', async (page) => {
		await page.goto(`${host.baseUrl}/#/activate/${'ab'.repeat(32)}`);
		await page.locator('.rh-form-error').filter({ hasText: '此激活链接无效' }).waitFor();
		await page.getByLabel('界面语言').selectOption('en');
		await page.locator('.rh-form-error').filter({ hasText: 'This activation link is not valid' }).waitFor();
		await page.getByRole('link', { name: 'Go to sign in' }).click();
		await page.getByRole('button', { name: 'Sign in' }).waitFor();
	});
});
