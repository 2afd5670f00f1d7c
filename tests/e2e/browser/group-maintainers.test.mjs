// Browser test of the back-office page 外部互联 / 分组维护者
// (group-maintainers-page.js): the admin sets a group's maintainers with the
// member picker, saves, reloads and sees them, changes and removes them;
// refused input is shown localized next to its field; members who are not
// admins (also the maintain-holder) cannot reach the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';

const API = '/api/plugins/external-contacts/admin/group-maintainers';

let host;
let browser;
let admin;

before(async () => {
	host = await startHost();
	browser = await launchBrowser();
	admin = await loggedIn(host.baseUrl, 'admin', DEMO.admin.password);
});

after(async () => {
	if (browser) await browser.close();
	if (host) await host.stop();
});

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

/** 后台管理 → 外部互联 / 分组维护者, through the links. */
async function openPage(page) {
	await page.getByRole('link', { name: '后台管理' }).click();
	const nav = page.getByRole('navigation', { name: '后台导航' });
	await nav.getByRole('heading', { name: '外部互联' }).waitFor();
	await nav.getByRole('link', { name: '分组维护者' }).click();
	await page.getByRole('heading', { level: 1, name: '分组维护者' }).waitFor();
	await settled(page);
}

async function settled(page) {
	await page.locator('.gm-table[aria-busy]').waitFor({ state: 'detached' });
}

const groupRow = (page, group) => page.locator(`.gm-table tbody tr[data-group="${group}"]`);

/** Picks a member in the picker with the keyboard: type, ↓, Enter. */
async function pick(page, text, name) {
	const combo = page.getByRole('combobox', { name: '添加维护者' });
	await combo.focus();
	await page.keyboard.type(text);
	await page.getByRole('listbox').getByRole('option', { name: new RegExp(name) }).waitFor();
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Enter');
	await page.locator(`#gm-maintainers .ec-member`, { hasText: name }).waitFor();
}

async function stored(group) {
	const r = await admin.get(`${API}?limit=100`);
	assert.equal(r.status, 200, r.text);
	const entry = r.json.items.find((item) => item.group === group);
	return entry ? entry.maintainers.map((m) => m.displayName) : null;
}

test('the admin sets a maintainer with the picker, saves, sees it after a reload, changes and removes it', async () => {
	await withPage('gm-set', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		const group = `维护测试${suffix}`;
		await loginPage(page, host, DEMO.admin);
		await openPage(page);
		await page.locator('.gm-status', { hasText: '还没有分组设置了维护者。' }).waitFor();
		assert.equal(await page.locator('#gm-maintainers').innerText(), '暂无');

		await page.getByLabel('分组（公司名称）').fill(group);
		await pick(page, 'lin', '李娜');
		await page.getByRole('button', { name: '保存', exact: true }).click();
		await page.locator('.gm-result', { hasText: `已保存：${group} — 李娜` }).waitFor();
		await groupRow(page, group).getByText('李娜').waitFor();
		assert.deepEqual(await stored(group), ['李娜']);
		await screenshot(page, 'group-maintainers-saved');

		await page.reload();
		await page.getByRole('heading', { level: 1, name: '分组维护者' }).waitFor();
		await settled(page);
		const row = groupRow(page, group);
		assert.equal(await row.locator('th').innerText(), group);
		assert.equal(await row.locator('.gm-maintainers').innerText(), '李娜');

		// 修改: the form takes the group; 王芳 joins, 李娜 leaves.
		await row.getByRole('button', { name: `修改 ${group} 的维护者` }).click();
		assert.equal(await page.getByLabel('分组（公司名称）').inputValue(), group);
		assert.equal(await page.evaluate(() => document.activeElement.id), 'gm-pick-input');
		await pick(page, '王', '王芳');
		await page.getByRole('button', { name: '移除 李娜' }).click();
		await page.locator('#gm-maintainers .ec-member', { hasText: '李娜' }).waitFor({ state: 'detached' });
		await page.getByRole('button', { name: '保存', exact: true }).click();
		await page.locator('.gm-result', { hasText: `已保存：${group} — 王芳` }).waitFor();
		await row.locator('.gm-maintainers', { hasText: '王芳' }).waitFor();
		assert.deepEqual(await stored(group), ['王芳']);

		// 移除: all maintainers of the group go, and so does its row.
		await row.getByRole('button', { name: `移除 ${group} 的全部维护者` }).click();
		await page.locator('.gm-notice', { hasText: `已移除 ${group} 的全部维护者` }).waitFor();
		await row.waitFor({ state: 'detached' });
		assert.equal(await stored(group), null);
		await page.reload();
		await page.getByRole('heading', { level: 1, name: '分组维护者' }).waitFor();
		await settled(page);
		assert.equal(await groupRow(page, group).count(), 0);

		// 未分组 has maintainers of its own.
		await page.getByLabel('未分组（未填写公司的联系人）').check();
		assert.equal(await page.getByLabel('分组（公司名称）').isDisabled(), true);
		await pick(page, 'zhang', '张伟');
		await page.getByRole('button', { name: '保存', exact: true }).click();
		await page.locator('.gm-result', { hasText: '已保存：未分组 — 张伟' }).waitFor();
		const ungrouped = page.locator('.gm-table tbody tr[data-ungrouped="true"]');
		assert.equal(await ungrouped.locator('th').innerText(), '未分组');
		assert.equal(await ungrouped.locator('.gm-maintainers').innerText(), '张伟');
		assert.deepEqual(await stored(null), ['张伟']);
		await ungrouped.getByRole('button', { name: '移除 未分组 的全部维护者' }).click();
		await ungrouped.waitFor({ state: 'detached' });
		assert.equal(await stored(null), null);
	});
});

test('refused input is shown localized next to its field, never the server\'s English message', async () => {
	await withPage('gm-errors', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		await loginPage(page, host, DEMO.admin);
		await openPage(page);
		const puts = [];
		page.on('request', (request) => {
			if (request.url().endsWith(API) && request.method() === 'PUT') puts.push(request.postData());
		});
		const groupInput = page.getByLabel('分组（公司名称）');

		// Blank group: refused in the page, nothing sent.
		await groupInput.fill('   ');
		await page.getByRole('button', { name: '保存', exact: true }).click();
		await page.locator('#gm-group-error', { hasText: '请填写分组名称，或勾选“未分组”。' }).waitFor();
		assert.equal(await groupInput.getAttribute('aria-invalid'), 'true');
		assert.equal(await page.evaluate(() => document.activeElement.id), 'gm-group');
		await page.locator('.gm-form .ec-form-error', { hasText: '请修改标出的内容后再保存。' }).waitFor();
		assert.equal(puts.length, 0);
		await groupInput.fill(`错误测试${suffix}`);
		assert.equal(await groupInput.getAttribute('aria-invalid'), null, 'typing clears the error');

		// The server refuses the group (the request is rewritten past the page's checks).
		const rewrite = (change) => async (route) => {
			if (route.request().method() !== 'PUT') return route.fallback();
			return route.continue({ postData: JSON.stringify({ ...JSON.parse(route.request().postData()), ...change }) });
		};
		let handler = rewrite({ group: 'x'.repeat(101) });
		await page.route(`**${API}`, handler);
		let [refused] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith(API) && r.request().method() === 'PUT'),
			page.getByRole('button', { name: '保存', exact: true }).click(),
		]);
		await page.unroute(`**${API}`, handler);
		assert.equal(refused.status(), 400);
		assert.equal((await refused.json()).error.field, 'group');
		await page.locator('#gm-group-error', { hasText: '分组名称须为 1–100 个字符，且不能含控制字符。' }).waitFor();
		assert.equal(await page.evaluate(() => document.activeElement.id), 'gm-group');
		assert.ok(!(await page.locator('.gm-page').innerText()).includes((await refused.json()).error.message));

		// … and a maintainer who is not a member of the org.
		handler = rewrite({ maintainers: [987654] });
		await page.route(`**${API}`, handler);
		[refused] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith(API) && r.request().method() === 'PUT'),
			page.getByRole('button', { name: '保存', exact: true }).click(),
		]);
		await page.unroute(`**${API}`, handler);
		assert.equal((await refused.json()).error.field, 'maintainers');
		await page.locator('#gm-pick-error', { hasText: '维护者须为本组织的内部人员，最多 50 位。' }).waitFor();
		assert.equal(await page.getByRole('combobox', { name: '添加维护者' }).getAttribute('aria-invalid'), 'true');
		assert.equal(await page.locator('#gm-group-error').innerText(), '', 'the group error is gone');
		assert.equal(await stored(`错误测试${suffix}`), null, 'nothing was saved');
		await screenshot(page, 'group-maintainers-errors');
	});
	await withPage('gm-errors-en', async (page) => {
		await loginPage(page, host, DEMO.admin);
		await page.evaluate(() => localStorage.setItem('rh.locale', 'en'));
		await page.goto(`${host.baseUrl}/#/admin/p/group-maintainers`);
		await page.reload();
		await page.getByRole('heading', { level: 1, name: 'Group maintainers' }).waitFor();
		await settled(page);
		await page.getByRole('button', { name: 'Save', exact: true }).click();
		await page.locator('#gm-group-error', { hasText: 'Enter a group name or tick “Ungrouped”.' }).waitFor();
		await page.getByRole('combobox', { name: 'Add a maintainer' }).waitFor();
		assert.ok(!/[\u4e00-\u9fff]/.test(await page.locator('.gm-page').innerText()));
	}, { locale: 'en' });
});

test('members who are not admins cannot reach the page, also the maintain-holder', async () => {
	for (const user of [DEMO.lina, DEMO.wangfang]) {
		await withPage(`gm-denied-${user.login}`, async (page) => {
			await loginPage(page, host, user);
			await page.getByRole('navigation', { name: '主导航' }).waitFor();
			assert.equal(await page.getByRole('link', { name: '后台管理' }).count(), 0);
			await page.goto(`${host.baseUrl}/#/admin/p/group-maintainers`);
			await page.getByRole('heading', { name: '没有权限' }).waitFor();
			assert.equal(await page.getByRole('heading', { name: '分组维护者' }).count(), 0);
			assert.equal(await page.locator('.gm-page').count(), 0);
		});
		const client = await loggedIn(host.baseUrl, user.login, user.password);
		assert.equal((await client.get(API)).status, 403);
		assert.equal((await client.put(API, { group: 'x', maintainers: [] })).status, 403);
	}
});
