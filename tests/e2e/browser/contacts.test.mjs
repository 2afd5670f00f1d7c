// Browser test of the 外部互联 page in Debian's Chromium, driven by
// playwright-core, against a real reference host with the demo data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';

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

const withPage = (name, fn) => runPage(browser, host, name, fn);

async function login(page, user) {
	await loginPage(page, host, user);
	await page.getByRole('navigation', { name: '主导航' }).waitFor();
}

async function openContacts(page) {
	await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '外部互联' }).click();
	await page.getByRole('heading', { level: 1, name: '外部互联' }).waitFor();
	await page.locator('.ec-list[aria-busy]').waitFor({ state: 'detached' });
}

async function openCreateForm(page) {
	await page.getByRole('button', { name: '新建', exact: true }).click();
	await page.getByRole('menuitem', { name: '新建', exact: true }).click();
	const dialog = page.getByRole('dialog', { name: '新建外部联系人' });
	await dialog.waitFor();
	return dialog;
}

/** The contacts the member sees whose name contains q, read through the API from the page's session. */
async function listedThroughApi(page, q) {
	return page.evaluate(async ({ api, q }) => {
		const response = await fetch(`${api}/contacts?scope=mine&q=${encodeURIComponent(q)}`, { headers: { Accept: 'application/json' } });
		return { status: response.status, body: await response.json() };
	}, { api: API, q });
}

test('a member creates a contact and sees it under its organization group, also after a reload', async () => {
	await withPage('create', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		const name = `刘洋${suffix}`;
		const company = `华东物流${suffix}`;
		await login(page, DEMO.zhangwei);
		await openContacts(page);

		// The 新建 drop-down lists the host's contacts.new items.
		const dialog = await openCreateForm(page);
		await dialog.getByLabel('姓名').fill(name);
		await dialog.getByLabel('手机').fill('+86 138-0013-8000');
		await dialog.getByLabel('邮箱').fill(`liuyang.${suffix}@example.com`);
		await dialog.getByLabel('公司').fill(company);
		await dialog.getByLabel('职务').fill('采购经理');
		await dialog.getByLabel('地址').fill('上海市浦东新区\n世纪大道 100 号');
		await dialog.getByLabel('备注').fill('第一次见面：展会\n偏好邮件联系');
		await dialog.getByLabel('标签').fill('供应商, 华东');
		await dialog.getByRole('button', { name: '保存' }).click();
		await dialog.waitFor({ state: 'hidden' });

		const group = page.locator(`section.ec-group[data-group="${company}"]`);
		await group.waitFor();
		assert.equal(await group.getByRole('button', { name: new RegExp(company) }).getAttribute('aria-expanded'), 'true');
		assert.equal(await group.locator('.ec-group-count').getAttribute('data-count'), '1');
		assert.match(await group.locator('.ec-group-count').innerText(), /1/);
		const row = group.locator('.ec-contact', { hasText: name });
		await row.waitFor();
		assert.match(await row.innerText(), /采购经理/);
		assert.match(await row.innerText(), /\+86 138-0013-8000/);

		// Collapsing hides the rows; expanding shows them again.
		const toggle = group.locator('.ec-group-toggle');
		await toggle.click();
		assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
		await row.waitFor({ state: 'hidden' });
		await toggle.click();
		await row.waitFor();

		await page.reload();
		await page.getByRole('heading', { level: 1, name: '外部互联' }).waitFor();
		const again = page.locator(`section.ec-group[data-group="${company}"]`);
		await again.locator('.ec-contact', { hasText: name }).waitFor();
		assert.equal(await again.locator('.ec-group-count').getAttribute('data-count'), '1');

		const api = await listedThroughApi(page, name);
		assert.equal(api.status, 200);
		assert.equal(api.body.items.length, 1);
		assert.equal(api.body.items[0].company, company);
		const full = await page.evaluate(async (url) => (await fetch(url)).json(), `${API}/contacts/${api.body.items[0].id}`);
		assert.equal(full.remark, '第一次见面：展会\n偏好邮件联系');
		assert.equal(full.address, '上海市浦东新区\n世纪大道 100 号');
		assert.deepEqual(full.tags, ['供应商', '华东']);
		assert.equal(full.mobile, '+86 138-0013-8000');
		await screenshot(page, 'contacts-created', { fullPage: true });
	});
});

test('an invalid email shows the field error and nothing is created', async () => {
	await withPage('invalid-email', async (page) => {
		const name = `坏邮箱${randomBytes(3).toString('hex')}`;
		await login(page, DEMO.zhangwei);
		await openContacts(page);
		const dialog = await openCreateForm(page);
		await dialog.getByLabel('姓名').fill(name);
		await dialog.getByLabel('邮箱').fill('not-an-email');
		await dialog.getByLabel('公司').fill('测试公司');
		await dialog.getByRole('button', { name: '保存' }).click();

		const email = dialog.getByLabel('邮箱');
		await page.locator('#ec-email-error').filter({ hasText: '邮箱格式不正确' }).waitFor();
		assert.equal(await email.getAttribute('aria-invalid'), 'true');
		assert.match(await email.getAttribute('aria-describedby'), /ec-email-error/);
		assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'ec-email');
		assert.ok(await dialog.isVisible(), 'the dialog stays open');
		await screenshot(page, 'contacts-invalid-email');

		await dialog.getByRole('button', { name: '取消' }).click();
		await dialog.waitFor({ state: 'hidden' });
		assert.equal(await page.locator('.ec-contact', { hasText: name }).count(), 0);
		const api = await listedThroughApi(page, name);
		assert.equal(api.status, 200);
		assert.equal(api.body.items.length, 0);
	});
});

test('the server rejects an invalid email with a 400 naming the field', async () => {
	await withPage('server-400', async (page) => {
		await login(page, DEMO.zhangwei);
		const answer = await page.evaluate(async (api) => {
			const me = await (await fetch('/api/me')).json();
			const response = await fetch(`${api}/contacts`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
				body: JSON.stringify({ name: '坏邮箱', email: 'not-an-email' }),
			});
			return { status: response.status, body: await response.json() };
		}, API);
		assert.equal(answer.status, 400);
		assert.equal(answer.body.error.code, 'validation_failed');
		assert.equal(answer.body.error.field, 'email');
	});
});

test('a field error from the server is shown next to the field it names', async () => {
	await withPage('server-field-error', async (page) => {
		await login(page, DEMO.zhangwei);
		await openContacts(page);
		// The client checks mirror the server's, so a rejection the client would
		// not predict is simulated by answering this one POST like the host does.
		await page.route(`**${API}/contacts`, (route) => {
			if (route.request().method() !== 'POST') return route.fallback();
			return route.fulfill({
				status: 400,
				contentType: 'application/json',
				body: JSON.stringify({ error: { code: 'validation_failed', message: '该手机号已被停用', field: 'mobile' } }),
			});
		});
		const dialog = await openCreateForm(page);
		await dialog.getByLabel('姓名').fill('服务器校验');
		await dialog.getByLabel('手机').fill('13800138000');
		await dialog.getByRole('button', { name: '保存' }).click();
		await page.locator('#ec-mobile-error').filter({ hasText: '该手机号已被停用' }).waitFor();
		assert.equal(await dialog.getByLabel('手机').getAttribute('aria-invalid'), 'true');
		assert.ok(await dialog.isVisible());
	});
});

test('the interface switches to English and the host localizes the menus', async () => {
	await withPage('english', async (page) => {
		await login(page, DEMO.zhangwei);
		await openContacts(page);
		await page.getByLabel('界面语言').first().selectOption('en');
		await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
		assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
		await page.getByRole('heading', { level: 1, name: 'External Contacts' }).waitFor();
		await page.getByRole('button', { name: 'New', exact: true }).click();
		const items = page.getByRole('menuitem');
		assert.ok(await items.count() >= 1);
		assert.doesNotMatch(await page.locator('#ec-new-menu').innerText(), /[\u4e00-\u9fff]{2,}/, 'menu labels are English');
		await page.keyboard.press('Escape');
		await page.reload();
		await page.getByRole('heading', { level: 1, name: 'External Contacts' }).waitFor();
		assert.equal(await page.evaluate(() => localStorage.getItem('rh.locale')), 'en');
	});
});

test('more than one page: 加载更多 appends the rest, counts come from /groups, search narrows the list', async () => {
	// lina's contacts, made over HTTP: 3 companies × 20 plus 5 without a company.
	const client = await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password);
	const companies = ['甲公司', '乙公司', '丙公司'];
	for (const company of companies) {
		for (let i = 0; i < 20; i++) {
			const r = await client.post(`${API}/contacts`, { name: `联系人${String(i).padStart(2, '0')}`, company, mobile: `1390000${String(i).padStart(4, '0')}` });
			assert.equal(r.status, 201, r.text);
		}
	}
	for (let i = 0; i < 5; i++) {
		const r = await client.post(`${API}/contacts`, { name: `散客${i}` });
		assert.equal(r.status, 201, r.text);
	}
	await withPage('paging', async (page) => {
		await login(page, DEMO.lina);
		await openContacts(page);
		await page.locator('.ec-summary', { hasText: '共 65 位外部联系人' }).waitFor();
		assert.equal(await page.locator('.ec-contact').count(), 50);
		const more = page.getByRole('button', { name: '加载更多' });
		await more.waitFor();
		// Counts are the groups' totals even before all their rows are loaded.
		for (const company of companies) {
			const section = page.locator(`section.ec-group[data-group="${company}"]`);
			if (await section.count()) assert.equal(await section.locator('.ec-group-count').getAttribute('data-count'), '20');
		}
		await more.click();
		await page.locator('.ec-contact').nth(64).waitFor();
		assert.equal(await page.locator('.ec-contact').count(), 65);
		await more.waitFor({ state: 'hidden' });
		const groups = await page.locator('section.ec-group').evaluateAll((els) => els.map((el) => [el.dataset.group, el.querySelectorAll('.ec-contact').length]));
		assert.deepEqual(groups.map(([, n]) => n).reduce((a, b) => a + b, 0), 65);
		assert.deepEqual(groups[groups.length - 1], ['', 5], '未分组 last with its 5 contacts');
		assert.deepEqual(new Set(groups.slice(0, 3).map(([g]) => g)), new Set(companies));
		assert.equal(new Set(groups.map(([g]) => g)).size, groups.length, 'a group appears once even across pages');
		await screenshot(page, 'contacts-paged', { fullPage: true });

		await page.getByLabel('搜索外部联系人').fill('散客');
		await page.locator('.ec-summary', { hasText: '共 5 位外部联系人' }).waitFor();
		await page.locator('.ec-list[aria-busy]').waitFor({ state: 'detached' });
		assert.equal(await page.locator('.ec-contact').count(), 5);
		await page.getByLabel('搜索外部联系人').fill('没有这个人');
		await page.getByRole('heading', { name: '没有符合条件的外部联系人' }).waitFor();
	});
});
