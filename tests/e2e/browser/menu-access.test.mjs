// Back office 应用管理 / 对外开放 (R7.2): the admin opens the 外部互联 menu to
// external users and sets a minimum security level per item; an external user
// sees or does not see the entry in the main nav accordingly, and the setting
// survives a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { launchBrowser, withPage as runPage, login, screenshot } from '../lib/browser.mjs';

let host;
let browser;
const guest = { login: `menuguest${randomBytes(3).toString('hex')}`, password: 'External-Guest-2026!' };

before(async () => {
	host = await startHost();
	browser = await launchBrowser();
	const created = await host.cli(['user', 'create', `--login=${guest.login}`, '--name=外部访客', `--org=${DEMO.org1.name}`,
		'--external', '--password-stdin'], { input: `${guest.password}\n` });
	assert.equal(created.code, 0, `user create: ${created.stdout}${created.stderr}`);
});

after(async () => {
	if (browser) await browser.close();
	if (host) await host.stop();
});

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

/** Whether the external user finds 外部互联 in the main nav after logging in. */
async function guestSeesContacts(name) {
	let seen = false;
	await withPage(name, async (page) => {
		await login(page, host, guest);
		assert.match(await page.locator('#rh-org-button .rh-tag-external').innerText(), /外部/);
		seen = (await page.locator('nav.rh-nav').getByRole('link', { name: '外部互联' }).count()) > 0;
		const menus = await page.evaluate(async () => (await (await fetch('/api/menus?location=main.nav')).json()).items);
		assert.equal(menus.some((m) => m.id === 'external-contacts'), seen, 'the nav follows GET /api/menus');
	});
	return seen;
}

async function openPage(page) {
	await page.goto(`${host.baseUrl}/#/admin/menu-access`);
	await page.getByRole('heading', { level: 1, name: '对外开放' }).waitFor();
	const row = page.getByRole('row', { name: /外部互联/ });
	await row.waitFor();
	return row;
}

async function saveRow(page, row) {
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.url().includes('/api/admin/menus/external-contacts/external-contacts') &&
			r.request().method() === 'PUT'),
		row.getByRole('button', { name: '保存' }).click(),
	]);
	return response;
}

test('the admin opens 外部互联 to external users and closes it again; the setting survives a reload', async () => {
	assert.equal(await guestSeesContacts('menu-guest-before'), false, 'closed as registered');

	await withPage('menu-access-open', async (page) => {
		await login(page, host, DEMO.admin);
		await page.goto(`${host.baseUrl}/#/admin/org-settings`);
		const link = page.getByRole('navigation', { name: '后台导航' }).getByRole('link', { name: '对外开放' });
		await link.click();
		let row = await openPage(page);
		assert.match(await page.locator('.rh-admin-section').filter({ hasText: '对外开放' }).innerText(), /应用管理/);
		const open = row.getByRole('checkbox', { name: /对外部用户开放/ });
		const level = row.getByRole('spinbutton', { name: /最低安全等级/ });
		assert.equal(await open.isChecked(), false);
		assert.equal(await level.inputValue(), '');
		assert.match(await row.innerText(), /注册时：不对外开放，最低安全等级 不限/);

		await open.check();
		let response = await saveRow(page, row);
		assert.equal(response.status(), 200);
		await row.getByRole('status').filter({ hasText: '已保存' }).waitFor();
		await screenshot(page, 'menu-access');

		await page.reload();
		row = await openPage(page);
		assert.equal(await row.getByRole('checkbox', { name: /对外部用户开放/ }).isChecked(), true, 'kept after reload');
	});
	assert.equal(await guestSeesContacts('menu-guest-opened'), true, 'opened by the admin');

	await withPage('menu-access-level', async (page) => {
		await login(page, host, DEMO.admin);
		let row = await openPage(page);
		const level = row.getByRole('spinbutton', { name: /最低安全等级/ });
		// Out of range: the page's own localized check, nothing sent.
		await level.fill('2000');
		await row.getByRole('button', { name: '保存' }).click();
		await row.getByRole('alert').filter({ hasText: '最低安全等级必须是 -999 至 1000 之间的整数' }).waitFor();
		assert.equal(await level.getAttribute('aria-invalid'), 'true');
		// A level above the external user's (≤ 0) hides the entry again.
		await level.fill('1');
		const response = await saveRow(page, row);
		assert.equal(response.status(), 200);
		assert.equal(await row.getByRole('alert').innerText(), '');
		await page.reload();
		row = await openPage(page);
		assert.equal(await row.getByRole('spinbutton', { name: /最低安全等级/ }).inputValue(), '1');
	});
	assert.equal(await guestSeesContacts('menu-guest-level'), false, 'below the minimum level');

	await withPage('menu-access-close', async (page) => {
		await login(page, host, DEMO.admin);
		let row = await openPage(page);
		await row.getByRole('spinbutton', { name: /最低安全等级/ }).fill('');
		assert.equal((await saveRow(page, row)).status(), 200);
		assert.equal(await guestSeesContacts('menu-guest-level-cleared'), true, 'empty level: as registered (none)');
		await row.getByRole('checkbox', { name: /对外部用户开放/ }).uncheck();
		const response = await saveRow(page, row);
		assert.equal(response.status(), 200);
		assert.deepEqual(JSON.parse(response.request().postData()), { openToExternal: null, minSecurityLevel: null });
		await page.reload();
		row = await openPage(page);
		assert.equal(await row.getByRole('checkbox', { name: /对外部用户开放/ }).isChecked(), false, 'closed after reload');
	});
	assert.equal(await guestSeesContacts('menu-guest-closed'), false, 'closed again');
});

test('a level the server refuses is explained in Chinese and English; members get no page', async () => {
	await withPage('menu-access-server-error', async (page) => {
		await login(page, host, DEMO.admin);
		const row = await openPage(page);
		await page.route('**/api/admin/menus/**', (route) => {
			const request = route.request();
			if (request.method() !== 'PUT') return route.fallback();
			return route.continue({ postData: JSON.stringify({ ...JSON.parse(request.postData()), minSecurityLevel: 5000 }) });
		});
		await row.getByRole('spinbutton', { name: /最低安全等级/ }).fill('3');
		const response = await saveRow(page, row);
		assert.equal(response.status(), 400);
		assert.equal((await response.json()).error.field, 'minSecurityLevel');
		const alert = row.getByRole('alert');
		await alert.filter({ hasText: '最低安全等级必须是 -999 至 1000 之间的整数' }).waitFor();
		assert.doesNotMatch(await alert.innerText(), /must be/);
	});
	await withPage('menu-access-en', async (page) => {
		await login(page, host, DEMO.admin);
		await page.evaluate(() => localStorage.setItem('rh.locale', 'en'));
		await page.goto(`${host.baseUrl}/#/admin/menu-access`);
		await page.reload();
		await page.getByRole('heading', { level: 1, name: 'Access for external users' }).waitFor();
		const row = page.getByRole('row', { name: /External contacts/ });
		await row.getByRole('checkbox', { name: /Open to external users/ }).waitFor();
		await row.getByRole('spinbutton', { name: /Minimum security level/ }).fill('1.5');
		await row.getByRole('button', { name: 'Save' }).click();
		await row.getByRole('alert').filter({ hasText: 'The minimum security level must be a whole number from -999 to 1000' }).waitFor();
		assert.match(await row.innerText(), /As registered: not open to external users, minimum security level none/);
	}, { locale: 'en' });
	await withPage('menu-access-member', async (page) => {
		await login(page, host, DEMO.lina);
		await page.goto(`${host.baseUrl}/#/admin/menu-access`);
		await page.getByRole('heading', { name: '没有权限' }).waitFor();
		const status = await page.evaluate(async () => (await fetch('/api/admin/menus')).status);
		assert.equal(status, 403);
	});
});
