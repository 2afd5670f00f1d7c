// 个人设置 (#/me, R7.3): a logged-in user opens the page from their name in
// the header, edits their profile (bad input refused in Chinese with focus on
// the field), changes their password (the old one stops working, the new one
// logs in) and binds an email address with the code sent through the outbound
// channel (read from the host's SQLite outbox, as the person would from their
// mailbox; skipped on MariaDB or without the sqlite3 tool).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startHost, DEMO } from '../lib/host.mjs';
import { launchBrowser, withPage as runPage, login, screenshot } from '../lib/browser.mjs';

let host;
let browser;
const person = { login: `meuser${randomBytes(3).toString('hex')}`, password: 'Personal-Start-2026!' };
const NEW_PASSWORD = 'Quiet-Harbour-Lantern-58';

function hasSqlite() {
	try {
		execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** The last verification code sent to `to`, as the outbox holds it. */
function codeSentTo(to) {
	const sql = `SELECT params_json FROM outbox WHERE template = 'verification_code' AND recipient = '${to.replace(/'/g, "''")}' ORDER BY id DESC LIMIT 1;`;
	const out = execFileSync('sqlite3', [path.join(host.dataDir, 'reference-host.db'), sql], { encoding: 'utf8' }).trim();
	return JSON.parse(out).code;
}

before(async () => {
	host = await startHost();
	browser = await launchBrowser();
	const created = await host.cli(['user', 'create', `--login=${person.login}`, '--name=设置测试', `--org=${DEMO.org1.name}`,
		'--password-stdin'], { input: `${person.password}\n` });
	assert.equal(created.code, 0, `user create: ${created.stdout}${created.stderr}`);
});

after(async () => {
	if (browser) await browser.close();
	if (host) await host.stop();
});

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

async function openSettings(page, name) {
	await page.locator('header.rh-header').getByRole('link', { name }).click();
	await page.getByRole('heading', { level: 1, name: '个人设置' }).waitFor();
	assert.match(page.url(), /#\/me$/);
}

const focused = (locator) => locator.evaluate((el) => el === document.activeElement);

test('profile: an empty name is refused with focus on the field, a new name and title are saved and shown in the header', async () => {
	await withPage('personal-settings-profile', async (page) => {
		await login(page, host, person);
		await openSettings(page, '设置测试');
		const form = page.locator('#me-profile');
		const name = form.getByLabel('姓名', { exact: true });
		const title = form.getByLabel('职务');
		await name.fill('   ');
		await form.getByRole('button', { name: '保存' }).click();
		await form.getByRole('alert').filter({ hasText: '请填写姓名' }).waitFor();
		assert.equal(await name.getAttribute('aria-invalid'), 'true');
		assert.equal(await focused(name), true, 'focus goes to the invalid field');

		const discoverable = form.getByLabel('允许其他组织的成员通过姓名、手机或邮箱找到我');
		assert.equal(await discoverable.isChecked(), true, 'discoverable unless turned off');
		await name.fill('  设置新名 ');
		await title.fill('采购经理');
		await discoverable.uncheck();
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith('/api/me/profile') && r.request().method() === 'PUT'),
			form.getByRole('button', { name: '保存' }).click(),
		]);
		assert.equal(response.status(), 200);
		assert.equal(response.request().postDataJSON().discoverable, false);
		await page.locator('#rh-toast').filter({ hasText: '个人资料已保存' }).waitFor();
		await page.locator('header.rh-header').getByRole('link', { name: '设置新名' }).waitFor();
		await page.reload();
		await page.getByRole('heading', { level: 1, name: '个人设置' }).waitFor();
		assert.equal(await page.locator('#me-profile').getByLabel('姓名', { exact: true }).inputValue(), '设置新名');
		assert.equal(await page.locator('#me-profile').getByLabel('职务').inputValue(), '采购经理');
		assert.equal(await page.locator('#me-profile').getByRole('checkbox', { name: '允许其他组织的成员通过姓名、手机或邮箱找到我' }).isChecked(), false);
		await screenshot(page, 'personal-settings-profile');
	});
});

test('email binding: a bad address is refused, the code from the outbox binds it, a wrong code says how many tries are left', async (t) => {
	if (host.db !== 'sqlite' || !hasSqlite()) {
		t.skip('reads the code from the SQLite outbox');
		return;
	}
	const address = `${person.login}@example.com`;
	await withPage('personal-settings-email', async (page) => {
		await login(page, host, person);
		await openSettings(page, '设置新名');
		const form = page.locator('#me-bind-email');
		assert.match(await form.locator('.rh-me-current').innerText(), /尚未绑定邮箱/);
		const value = form.getByLabel('邮箱地址');
		await value.fill('not-an-address');
		await form.getByRole('button', { name: '发送验证码' }).click();
		await form.getByRole('alert').filter({ hasText: '请输入有效的邮箱地址' }).waitFor();
		assert.equal(await focused(value), true);

		await value.fill(address);
		await form.getByRole('button', { name: '发送验证码' }).click();
		await form.getByRole('status').filter({ hasText: `验证码已发送至 ${address}` }).waitFor();
		const code = form.getByLabel('验证码');
		assert.equal(await focused(code), true, 'focus moves to the code');
		const sent = codeSentTo(address);
		assert.match(sent, /^[0-9]{6}$/);

		await code.fill(sent === '000000' ? '111111' : '000000');
		await form.getByRole('button', { name: '确认绑定' }).click();
		await form.getByRole('alert').filter({ hasText: '还可以再试 4 次' }).waitFor();
		await code.fill(sent);
		await form.getByRole('button', { name: '确认绑定' }).click();
		await page.locator('#rh-toast').filter({ hasText: '邮箱已绑定' }).waitFor();
		await page.locator('#me-bind-email .rh-me-current').filter({ hasText: `当前邮箱：${address}` }).waitFor();
		const me = await page.evaluate(async () => (await (await fetch('/api/me')).json()).user);
		assert.equal(me.email, address);
	});
});

test('password: a wrong current password is refused, the change works and the old password no longer logs in', async () => {
	await withPage('personal-settings-password', async (page) => {
		await login(page, host, person);
		await openSettings(page, '设置新名');
		const form = page.locator('#me-password');
		const current = form.getByLabel('当前密码');
		const next = form.getByLabel('新密码', { exact: true });
		const repeat = form.getByLabel('再次输入新密码');
		assert.match(await form.innerText(), /至少 12 个字符；不要使用常见密码或包含登录名。/);

		await current.fill('Wrong-Password-2026');
		await next.fill(NEW_PASSWORD);
		await repeat.fill(NEW_PASSWORD);
		await form.getByRole('button', { name: '修改密码' }).click();
		await form.getByRole('alert').filter({ hasText: '当前密码不正确' }).waitFor();
		assert.equal(await focused(current), true);

		await current.fill(person.password);
		await next.fill('short-1');
		await repeat.fill('short-1');
		await form.getByRole('button', { name: '修改密码' }).click();
		await form.getByRole('alert').filter({ hasText: '密码至少需要 12 个字符' }).waitFor();
		assert.equal(await focused(next), true);

		await next.fill(NEW_PASSWORD);
		await repeat.fill(NEW_PASSWORD);
		await form.getByRole('button', { name: '修改密码' }).click();
		await page.locator('#rh-toast').filter({ hasText: '密码已修改' }).waitFor();
		assert.equal(await current.inputValue(), '');
		// This session stays.
		assert.equal(await page.evaluate(async () => (await fetch('/api/me')).status), 200);
	});
	const old = await fetch(`${host.baseUrl}/api/session`, {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ login: person.login, password: person.password }),
	});
	assert.equal(old.status, 401);
	await withPage('personal-settings-new-password', async (page) => {
		await login(page, host, { login: person.login, password: NEW_PASSWORD });
		await page.locator('header.rh-header').getByRole('link', { name: '设置新名' }).waitFor();
	});
});
