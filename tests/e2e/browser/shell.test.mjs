// Browser tests of the host's web shell: login errors and throttling, session
// across reloads, logout, back office, keyboard use, notifications, external
// users and the 外部 tag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { launchBrowser, withPage as runPage, login, screenshot } from '../lib/browser.mjs';

let host;
let browser;

before(async () => {
	host = await startHost({ set: { 'login.maxFailuresPerLogin': '3' } });
	browser = await launchBrowser();
});

after(async () => {
	if (browser) await browser.close();
	if (host) await host.stop();
});

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

async function contactsReady(page) {
	await page.getByRole('heading', { level: 1, name: '外部互联' }).waitFor();
	await page.locator('.ec-list[aria-busy]').waitFor({ state: 'detached' });
}

test('wrong passwords show 登录名或密码错误, then throttling shows the seconds to wait', async () => {
	await withPage('login-throttle', async (page) => {
		await page.goto(`${host.baseUrl}/`);
		await page.getByLabel('登录名').waitFor();
		assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
		// The login page renders after the catalog and GET /api/me answered.
		await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'login');
		const error = page.locator('#login-error');
		assert.equal(await error.getAttribute('role'), 'alert');
		for (let i = 0; i < 3; i++) {
			await page.getByLabel('登录名').fill(DEMO.lina.login);
			await page.getByLabel('密码').fill(`wrong-password-${i}`);
			await page.getByRole('button', { name: '登录' }).click();
			await error.filter({ hasText: '登录名或密码错误' }).waitFor();
			assert.equal(await page.getByLabel('密码').inputValue(), '', 'the password field is emptied');
			await page.evaluate(() => { document.getElementById('login-error').textContent = ''; });
		}
		await page.getByLabel('密码').fill(DEMO.lina.password);
		await page.getByRole('button', { name: '登录' }).click();
		await error.filter({ hasText: /请在 \d+ 秒后重试/ }).waitFor();
		const seconds = Number((await error.innerText()).match(/(\d+) 秒/)[1]);
		assert.ok(seconds > 0 && seconds <= 900, `seconds ${seconds}`);
		assert.equal(await page.locator('header.rh-header').count(), 0, 'still on the login page');
		const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
		assert.doesNotMatch(stored, /Demo-|password|csrf/i, 'nothing secret in localStorage');
		await screenshot(page, 'login-throttled');
	});
});

test('a session survives a reload, writes still pass the CSRF check, and logout returns to the login page', async () => {
	await withPage('session-reload', async (page) => {
		await login(page, host, DEMO.wangfang);
		await contactsReady(page);
		assert.equal(await page.locator('#rh-org-button').innerText().then((text) => text.includes(DEMO.org1.name)), true);
		// wangfang holds external_contacts.maintain: the scope switch is there.
		await page.getByLabel('范围').selectOption('all');
		await page.locator('.ec-list[aria-busy]').waitFor({ state: 'detached' });
		assert.equal(await page.locator('.ec-error').count(), 0, 'scope=all loads for a maintain-holder');

		await page.reload();
		await contactsReady(page);
		const name = `王芳的联系人${randomBytes(3).toString('hex')}`;
		await page.getByRole('button', { name: '新建', exact: true }).click();
		await page.getByRole('menuitem', { name: '新建', exact: true }).click();
		const dialog = page.getByRole('dialog', { name: '新建外部联系人' });
		await dialog.getByLabel('姓名').fill(name);
		await dialog.getByRole('button', { name: '保存' }).click();
		await dialog.waitFor({ state: 'hidden' });
		// No company: listed under 未分组, which comes last.
		const ungrouped = page.locator('section.ec-group[data-ungrouped="true"]');
		await ungrouped.locator('.ec-contact', { hasText: name }).waitFor();
		assert.match(await ungrouped.locator('.ec-group-toggle').innerText(), /未分组/);
		assert.equal(await page.locator('section.ec-group').last().getAttribute('data-ungrouped'), 'true');

		await page.getByRole('button', { name: '退出登录' }).click();
		await page.getByLabel('登录名').waitFor();
		await page.locator('.rh-notice', { hasText: '你已退出登录' }).waitFor();
		await page.reload();
		await page.getByLabel('登录名').waitFor();
		assert.equal(await page.evaluate(async () => (await fetch('/api/me')).status), 401);
	});
});

test('when the session ends elsewhere, the next call returns to the login page and back after login', async () => {
	await withPage('session-ended', async (page) => {
		await login(page, host, DEMO.zhangwei);
		await contactsReady(page);
		const hash = await page.evaluate(() => location.hash);
		// End the session behind the page's back, then make the page call the API.
		await page.evaluate(async () => {
			const me = await (await fetch('/api/me')).json();
			await fetch('/api/session', { method: 'DELETE', headers: { 'X-CSRF-Token': me.csrfToken } });
		});
		await page.getByLabel('搜索外部联系人').fill('anything');
		await page.locator('.rh-notice', { hasText: '会话已过期，请重新登录' }).waitFor();
		await page.getByLabel('登录名').fill(DEMO.zhangwei.login);
		await page.getByLabel('密码').fill(DEMO.zhangwei.password);
		await page.getByRole('button', { name: '登录' }).click();
		await contactsReady(page);
		assert.equal(await page.evaluate(() => location.hash), hash);
	});
});

test('back office: admins save the default security level; members get neither link nor page', async () => {
	await withPage('back-office', async (page) => {
		await login(page, host, DEMO.admin);
		await page.getByRole('link', { name: '后台管理' }).click();
		await page.getByRole('heading', { level: 1, name: '基础设置' }).waitFor();
		await page.getByRole('navigation', { name: '后台导航' }).getByRole('link', { name: '基础设置' }).waitFor();
		const input = page.getByLabel('外部联系人默认安全级别');
		assert.equal(await input.getAttribute('type'), 'number');
		assert.equal(await input.getAttribute('min'), '-999');
		assert.equal(await input.getAttribute('max'), '0');

		await input.fill('-1000');
		await page.getByRole('button', { name: '保存' }).click();
		await page.locator('#rh-dsl-error', { hasText: '-999 到 0' }).waitFor();
		assert.equal(await input.getAttribute('aria-invalid'), 'true');

		await input.fill('-7');
		await page.getByRole('button', { name: '保存' }).click();
		await page.locator('.rh-form-status', { hasText: '已保存' }).waitFor();
		assert.equal(await page.locator('#rh-dsl-error').innerText(), '');
		await page.reload();
		await page.getByRole('heading', { level: 1, name: '基础设置' }).waitFor();
		assert.equal(await page.getByLabel('外部联系人默认安全级别').inputValue(), '-7');
		await screenshot(page, 'back-office-org-settings');
	});
	await withPage('back-office-member', async (page) => {
		await login(page, host, DEMO.zhangwei);
		await contactsReady(page);
		assert.equal(await page.getByRole('link', { name: '后台管理' }).count(), 0);
		await page.goto(`${host.baseUrl}/#/admin/org-settings`);
		await page.getByRole('heading', { name: '没有权限' }).waitFor();
		await page.goto(`${host.baseUrl}/#/p/no-such-menu`);
		await page.getByRole('heading', { name: '未找到' }).waitFor();
	});
});

test('back office: a level the server refuses shows 范围 -999 至 0 的整数 (en: from -999 to 0), not the English message', async () => {
	await withPage('back-office-server-error', async (page) => {
		await login(page, host, DEMO.admin);
		await page.goto(`${host.baseUrl}/#/admin/org-settings`);
		await page.getByRole('heading', { level: 1, name: '基础设置' }).waitFor();
		const input = page.getByLabel('外部联系人默认安全级别');
		const before = await input.inputValue();

		// The form's own check stops 5; the request is rewritten so the host answers it.
		const url = '**/api/admin/org-settings';
		let rewrite = (body) => ({ ...body, defaultSecurityLevel: 5 });
		await page.route(url, (route) => {
			const request = route.request();
			if (request.method() !== 'PUT') return route.fallback();
			return route.continue({ postData: JSON.stringify(rewrite(JSON.parse(request.postData()))) });
		});
		const save = async (label) => {
			const [response] = await Promise.all([
				page.waitForResponse((r) => r.url().endsWith('/api/admin/org-settings') && r.request().method() === 'PUT'),
				page.getByRole('button', { name: label, exact: true }).click(),
			]);
			return { status: response.status(), body: await response.json() };
		};

		await input.fill('-3');
		let answer = await save('保存');
		assert.equal(answer.status, 400);
		assert.deepEqual([answer.body.error.code, answer.body.error.field], ['validation_failed', 'defaultSecurityLevel']);
		const error = page.locator('#rh-dsl-error');
		await error.filter({ hasText: '范围 -999 至 0 的整数' }).waitFor();
		assert.equal(await error.innerText(), '默认安全级别必须是范围 -999 至 0 的整数');
		assert.equal(await input.getAttribute('aria-invalid'), 'true');
		assert.ok(!(await page.locator('main').innerText()).includes(answer.body.error.message));

		// A field the host does not know: the generic localized text in the form status.
		rewrite = (body) => ({ ...body, level: 1 });
		answer = await save('保存');
		assert.equal(answer.status, 400);
		assert.equal(answer.body.error.code, 'unknown_field');
		await page.locator('.rh-form-status', { hasText: '提交的内容包含无法识别的项目，请刷新页面后重试。' }).waitFor();

		await page.getByLabel('界面语言').first().selectOption('en');
		await page.getByRole('heading', { level: 1, name: 'Basic settings' }).waitFor();
		rewrite = (body) => ({ ...body, defaultSecurityLevel: -1000 });
		const english = page.getByLabel('Default security level of external contacts');
		await english.fill('-3');
		answer = await save('Save');
		assert.equal(answer.status, 400);
		await error.filter({ hasText: 'from -999 to 0' }).waitFor();
		assert.equal(await error.innerText(), 'The default security level must be a whole number from -999 to 0');
		assert.ok(!(await page.locator('main').innerText()).includes(answer.body.error.message));

		// Nothing was saved.
		await page.unroute(url);
		await page.reload();
		await page.getByRole('heading', { level: 1, name: 'Basic settings' }).waitFor();
		assert.equal(await english.inputValue(), before);
	});
});

test('keyboard: the 新建 menu opens with the arrow keys, Escape closes the dialog and focus returns', async () => {
	await withPage('keyboard', async (page) => {
		await login(page, host, DEMO.zhangwei);
		await contactsReady(page);
		const button = page.getByRole('button', { name: '新建', exact: true });
		await button.focus();
		await page.keyboard.press('ArrowDown');
		assert.equal(await button.getAttribute('aria-expanded'), 'true');
		const items = page.getByRole('menuitem');
		const count = await items.count();
		assert.ok(count >= 1);
		assert.equal(await page.evaluate(() => document.activeElement.dataset.menuId), 'contacts.new.create');
		// Every item is built (新建, 邀请微信好友, 从其他组织添加): none is disabled.
		for (let i = 0; i < count; i++) assert.equal(await items.nth(i).getAttribute('aria-disabled'), null);
		// The arrow keys move through the items and wrap; End and Home go to the ends.
		await page.keyboard.press('End');
		assert.equal(await page.evaluate(() => document.activeElement.dataset.menuId), await items.nth(count - 1).getAttribute('data-menu-id'));
		await page.keyboard.press('ArrowDown');
		assert.equal(await page.evaluate(() => document.activeElement.dataset.menuId), 'contacts.new.create', 'ArrowDown wraps to the first');
		await page.keyboard.press('ArrowUp');
		assert.equal(await page.evaluate(() => document.activeElement.dataset.menuId), await items.nth(count - 1).getAttribute('data-menu-id'), 'ArrowUp wraps to the last');
		await page.keyboard.press('Home');
		assert.equal(await page.evaluate(() => document.activeElement.dataset.menuId), 'contacts.new.create');
		await page.keyboard.press('Enter');
		const dialog = page.getByRole('dialog', { name: '新建外部联系人' });
		await dialog.waitFor();
		assert.equal(await page.evaluate(() => document.activeElement.id), 'ec-name');
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });
		assert.equal(await page.evaluate(() => document.activeElement.id), 'ec-new-button');

		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('Escape');
		assert.equal(await button.getAttribute('aria-expanded'), 'false');
		assert.equal(await page.evaluate(() => document.activeElement.id), 'ec-new-button');
	});
});

test('the notification bell shows the unread count and an empty panel', async () => {
	await withPage('notifications', async (page) => {
		await login(page, host, DEMO.zhangwei);
		await contactsReady(page);
		const bell = page.locator('#rh-bell');
		await page.waitForFunction(() => /\d+/.test(document.getElementById('rh-bell').getAttribute('aria-label')));
		const unread = await page.evaluate(async () => (await (await fetch('/api/notifications/unread-count')).json()).count);
		assert.equal(await bell.getAttribute('aria-label'), `通知，${unread} 条未读`);
		await bell.click();
		const panel = page.getByRole('dialog', { name: '通知' });
		await panel.waitFor();
		if (unread === 0) await panel.getByText('暂无通知').waitFor();
		await page.keyboard.press('Escape');
		await panel.waitFor({ state: 'hidden' });
		assert.equal(await page.evaluate(() => document.activeElement.id), 'rh-bell');
	});
});

test('an external user sees the 外部 tag on the org and only what is open to external users', async () => {
	const userLogin = `ext${randomBytes(3).toString('hex')}`;
	const password = 'External-User-2026!';
	const created = await host.cli(['user', 'create', `--login=${userLogin}`, '--name=外部用户', `--org=${DEMO.org2.name}`, '--external',
		'--password-stdin'], { input: `${password}\n` });
	assert.equal(created.code, 0, `user create: ${created.stdout}${created.stderr}`);
	await withPage('external-user', async (page) => {
		await login(page, host, { login: userLogin, password });
		const org = page.locator('#rh-org-button');
		assert.match(await org.innerText(), new RegExp(DEMO.org2.name));
		assert.match(await org.locator('.rh-tag-external').innerText(), /外部/);
		const menus = await page.evaluate(async () => (await (await fetch('/api/menus?location=main.nav')).json()).items);
		if (menus.length === 0) await page.getByRole('heading', { name: '暂无可用的应用' }).waitFor();
		assert.equal(await page.getByRole('link', { name: '后台管理' }).count(), 0);
		await screenshot(page, 'external-user');
	});
});
