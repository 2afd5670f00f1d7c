// Browser test of the back office 组织架构设置 / 成员管理: the admin finds a
// member by name, grants and revokes 外部联系人维护, then removes the member
// with a chosen successor after seeing the preview of who receives their
// contacts; the successor then holds the contacts under 外部互联.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login, screenshot } from '../lib/browser.mjs';

const API = '/api/plugins/external-contacts';
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

test('the admin grants and revokes maintain, then removes a member with a chosen successor after the preview', async () => {
	const suffix = randomBytes(3).toString('hex');
	const leaverName = `成员${suffix}`;
	const created = await host.cli(['user', 'create', `--login=mm${suffix}`, `--name=${leaverName}`, '--org=1', '--password-stdin'],
		{ input: 'Member-Pass-2026!\n' });
	assert.equal(created.code, 0, created.stderr);
	const leaver = await loggedIn(host.baseUrl, `mm${suffix}`, 'Member-Pass-2026!');
	const lina = await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password);
	const group = `成员组${suffix}`;
	const contacts = [];
	for (const name of [`甲${suffix}`, `乙${suffix}`]) {
		const made = await leaver.post(`${API}/contacts`, { name, company: group });
		assert.equal(made.status, 201, made.text);
		contacts.push(made.json);
	}

	await runPage(browser, host, 'member-management', async (page) => {
		await login(page, host, DEMO.admin);
		await page.goto(`${host.baseUrl}/#/admin/org-settings`);
		await page.getByRole('navigation', { name: '后台导航' }).getByRole('link', { name: '成员管理' }).click();
		await page.getByRole('heading', { level: 1, name: '成员管理' }).waitFor();
		await page.getByRole('searchbox', { name: '按姓名搜索' }).fill(leaverName);
		await page.getByRole('button', { name: '搜索', exact: true }).click();
		const row = page.locator(`tr[data-user-id="${leaver.me.user.id}"]`);
		await row.waitFor();
		assert.match(await row.innerText(), new RegExp(`mm${suffix}`));
		assert.match(await row.innerText(), /成员/);

		// Grant, then revoke 外部联系人维护.
		const maintain = row.getByRole('checkbox', { name: /可维护全部外部联系人/ });
		assert.equal(await maintain.isChecked(), false);
		await Promise.all([
			page.waitForResponse((r) => r.url().includes('/permissions/external_contacts.maintain') && r.request().method() === 'PUT'),
			maintain.check(),
		]);
		await row.getByRole('status').filter({ hasText: '已授予' }).waitFor();
		assert.ok((await leaver.get('/api/me')).json.permissions.includes('external_contacts.maintain'));
		await Promise.all([
			page.waitForResponse((r) => r.url().includes('/permissions/external_contacts.maintain') && r.request().method() === 'DELETE'),
			maintain.uncheck(),
		]);
		await row.getByRole('status').filter({ hasText: '已撤销' }).waitFor();
		assert.deepEqual((await leaver.get('/api/me')).json.permissions, []);

		// Remove: the preview by the rule first (nobody maintains the group: the maintain-holder 王芳).
		await row.getByRole('button', { name: '移除' }).click();
		const dialog = page.getByRole('dialog', { name: `移除成员 ${leaverName}` });
		await dialog.waitFor();
		await dialog.locator('.rh-removal-item').waitFor();
		assert.match(await dialog.locator('.rh-removal-item').innerText(), /共 2 位/);
		assert.match(await dialog.locator('.rh-removal-item').innerText(), /王芳/);
		assert.equal(await dialog.getByRole('radio', { name: '按分组维护者规则' }).isChecked(), true);

		// Choose 李娜 as the successor: the preview follows.
		await dialog.getByRole('radio', { name: '指定一位成员接收全部' }).check();
		await dialog.getByRole('searchbox', { name: '搜索成员' }).fill(lina.me.user.displayName);
		const picker = dialog.getByRole('combobox', { name: '接收人' });
		await picker.locator(`option[value="${lina.me.user.id}"]`).waitFor({ state: 'attached' });
		await Promise.all([
			page.waitForResponse((r) => r.url().includes('/removal-preview') &&
				(r.request().postData() || '').includes(String(lina.me.user.id))),
			picker.selectOption(String(lina.me.user.id)),
		]);
		const preview = dialog.locator('.rh-removal-item');
		await preview.filter({ hasText: lina.me.user.displayName }).waitFor();
		const cells = await preview.locator('tbody tr').first().locator('td').allInnerTexts();
		assert.deepEqual(cells, [group, '2', lina.me.user.displayName]);
		await screenshot(page, 'member-removal-preview');

		await Promise.all([
			page.waitForResponse((r) => r.url().endsWith(`/api/admin/members/${leaver.me.user.id}`) &&
				r.request().method() === 'DELETE' && r.status() === 204),
			dialog.getByRole('button', { name: '确认移除' }).click(),
		]);
		// The dialog now shows the result (and is named by it).
		const result = page.getByRole('dialog', { name: '已移除' });
		await result.waitFor();
		assert.match(await result.getByRole('status').first().innerText(), new RegExp(`已转交给 ${lina.me.user.displayName}`));
		await screenshot(page, 'member-removal-result');
		await result.getByRole('button', { name: '关闭' }).click();
		await row.waitFor({ state: 'detached' });
	});
	assert.equal((await leaver.get('/api/me')).status, 401);

	// The successor finds the contacts under 外部互联.
	await runPage(browser, host, 'member-management-successor', async (page) => {
		await login(page, host, DEMO.lina);
		await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '外部互联' }).click();
		await page.getByRole('heading', { level: 1, name: '外部互联' }).waitFor();
		await page.locator('.ec-list[aria-busy]').waitFor({ state: 'detached' });
		for (const contact of contacts) await page.locator(`.ec-contact[data-id="${contact.id}"]`).waitFor();
		await screenshot(page, 'member-management-successor');
	});
	for (const contact of contacts)
		assert.equal((await lina.get(`${API}/contacts/${contact.id}`)).json.addedBy.id, lina.me.user.id);
});
