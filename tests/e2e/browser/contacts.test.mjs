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

/**
 * Rewrites the JSON body of the page's create POSTs with change(body) before
 * it leaves the browser, so the real host answers a value the form's own
 * checks would have stopped. Returns a function that removes the route.
 */
async function rewriteCreateBody(page, change) {
	const url = `**${API}/contacts`;
	const handler = (route) => {
		const request = route.request();
		if (request.method() !== 'POST') return route.fallback();
		return route.continue({ postData: JSON.stringify(change(JSON.parse(request.postData()))) });
	};
	await page.route(url, handler);
	return () => page.unroute(url, handler);
}

/** Clicks save and returns the host's real answer to the create POST. */
async function saveAndWaitForAnswer(page, dialog, saveLabel) {
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.url().endsWith(`${API}/contacts`) && r.request().method() === 'POST'),
		dialog.getByRole('button', { name: saveLabel, exact: true }).click(),
	]);
	return { status: response.status(), body: await response.json() };
}

/**
 * For each case: send a value the server refuses, check the host's answer
 * (400, code, field) and that the page shows `text` (never the server's
 * English message) next to the field or, without a form field, as the form error.
 */
async function expectServerRefusals(page, dialog, cases, { saveLabel, fixErrors }) {
	for (const { change, code, field, text } of cases) {
		const unroute = await rewriteCreateBody(page, change);
		const answer = await saveAndWaitForAnswer(page, dialog, saveLabel);
		await unroute();
		assert.equal(answer.status, 400, JSON.stringify(answer.body));
		assert.equal(answer.body.error.code, code);
		assert.equal(answer.body.error.field, field);
		const serverMessage = answer.body.error.message;
		assert.match(serverMessage, /[a-z]/, 'the server message is English');
		const formError = page.locator('#ec-create-dialog .ec-form-error');
		if (code === 'validation_failed') {
			const error = page.locator(`#ec-${field}-error`);
			await error.filter({ hasText: text }).waitFor();
			assert.equal(await error.innerText(), text);
			assert.equal(await page.locator(`#ec-${field}`).getAttribute('aria-invalid'), 'true');
			assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), `ec-${field}`);
			assert.equal(await formError.innerText(), fixErrors);
		} else {
			await formError.filter({ hasText: text }).waitFor();
			assert.equal(await formError.innerText(), text);
			assert.equal(await page.locator('#ec-create-dialog [aria-invalid="true"]').count(), 0);
		}
		const shown = await dialog.innerText();
		assert.ok(!shown.includes(serverMessage), `the server's message "${serverMessage}" is not shown`);
		assert.ok(await dialog.isVisible(), 'the dialog stays open');
	}
}

test('zh-CN: values the server refuses show Chinese texts next to their fields, never the English message', async () => {
	await withPage('server-errors-zh', async (page) => {
		const name = `服务器校验${randomBytes(3).toString('hex')}`;
		await login(page, DEMO.zhangwei);
		await openContacts(page);
		const dialog = await openCreateForm(page);
		await dialog.getByLabel('姓名').fill(name);
		await dialog.getByLabel('邮箱').fill('liyang@example.com');
		await dialog.getByLabel('地址').fill('上海市\n浦东新区');
		await expectServerRefusals(page, dialog, [
			// The plugin refuses a comma in an email; the page sends one here.
			{ change: (b) => ({ ...b, email: 'li,yang@example.com' }), code: 'validation_failed', field: 'email', text: '邮箱格式不正确（如 name@example.com，最多 254 个字符）' },
			{ change: (b) => ({ ...b, name: '   ' }), code: 'validation_failed', field: 'name', text: '请输入姓名（最多 100 个字符，不能包含换行等控制字符）' },
			{ change: (b) => ({ ...b, mobile: '138--0013-8000' }), code: 'validation_failed', field: 'mobile', text: '手机号格式不正确（可带 +，6–20 位数字，数字间可用单个空格或短横线分隔）' },
			{ change: (b) => ({ ...b, company: '公'.repeat(101) }), code: 'validation_failed', field: 'company', text: '公司名称最多 100 个字符，不能包含换行等控制字符' },
			// Line breaks are only for address and remark; a lone CR is refused there too.
			{ change: (b) => ({ ...b, department: '采购\n二部' }), code: 'validation_failed', field: 'department', text: '部门最多 100 个字符，不能包含换行等控制字符' },
			{ change: (b) => ({ ...b, remark: '第一行\r第二行' }), code: 'validation_failed', field: 'remark', text: '备注最多 1000 个字符，可以换行，不能包含其他控制字符' },
			{ change: (b) => ({ ...b, tags: ['供应商', '  '] }), code: 'validation_failed', field: 'tags', text: '最多 20 个标签，每个标签不能为空、最多 32 个字符，不能包含控制字符' },
			{ change: (b) => ({ ...b, nickname: '小刘' }), code: 'unknown_field', field: 'nickname', text: '提交的内容包含无法识别的项目，请刷新页面后重试。' },
		], { saveLabel: '保存', fixErrors: '请修改标出的内容后再保存。' });
		await screenshot(page, 'contacts-server-error-zh');

		// Nothing was written; the same form then saves once the request is left alone.
		assert.equal((await listedThroughApi(page, name)).body.items.length, 0);
		const answer = await saveAndWaitForAnswer(page, dialog, '保存');
		assert.equal(answer.status, 201, JSON.stringify(answer.body));
		await dialog.waitFor({ state: 'hidden' });
		await page.locator('.ec-contact', { hasText: name }).waitFor();
		assert.equal((await listedThroughApi(page, name)).body.items.length, 1);

		// A search the server refuses (q over 100 characters) is explained in Chinese too.
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.url().includes(`${API}/contacts?`) && r.status() === 400),
			page.getByLabel('搜索外部联系人').fill('查'.repeat(101)),
		]);
		const refused = await response.json();
		assert.deepEqual([refused.error.code, refused.error.field], ['validation_failed', 'q']);
		await page.locator('.ec-error', { hasText: '外部联系人加载失败：搜索关键词最多 100 个字符，不能包含控制字符' }).waitFor();
		assert.ok(!(await page.locator('.ec-page').innerText()).includes(refused.error.message));
	});
});

test('en: values the server refuses show English texts next to their fields', async () => {
	await withPage('server-errors-en', async (page) => {
		const name = `Server check ${randomBytes(3).toString('hex')}`;
		await login(page, DEMO.zhangwei);
		await openContacts(page);
		await page.getByLabel('界面语言').first().selectOption('en');
		await page.getByRole('heading', { level: 1, name: 'External Contacts' }).waitFor();
		await page.locator('.ec-list[aria-busy]').waitFor({ state: 'detached' });
		await page.getByRole('button', { name: 'New', exact: true }).click();
		await page.locator('[data-menu-id="contacts.new.create"]').click();
		const dialog = page.getByRole('dialog', { name: 'New external contact' });
		await dialog.waitFor();
		await dialog.getByLabel('Name').fill(name);
		await dialog.getByLabel('Email').fill('li.yang@example.com');
		await expectServerRefusals(page, dialog, [
			{ change: (b) => ({ ...b, email: 'li;yang@example.com' }), code: 'validation_failed', field: 'email', text: 'Invalid email address (like name@example.com, at most 254 characters)' },
			{ change: (b) => ({ ...b, address: 'Line one\u0007' }), code: 'validation_failed', field: 'address', text: 'Address: at most 500 characters; line breaks are fine, other control characters are not' },
			{ change: (b) => ({ ...b, mobile: '+ 86 138' }), code: 'validation_failed', field: 'mobile', text: 'Invalid mobile number: use 6–20 digits, optionally starting with +; single spaces or dashes may separate them' },
			{ change: (b) => ({ ...b, source: 'wechat_invite' }), code: 'unknown_field', field: 'source', text: 'The submitted data holds something the server does not accept. Reload the page and try again.' },
		], { saveLabel: 'Save', fixErrors: 'Correct the marked fields, then save again.' });
		assert.doesNotMatch(await dialog.innerText(), /[\u4e00-\u9fff]/, 'nothing Chinese in the English form');
		assert.equal((await listedThroughApi(page, name)).body.items.length, 0);
	});
});

test('address and remark with line breaks save and come back after a reload; CRLF arrives as LF', async () => {
	await withPage('multiline', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		const address = '北京市朝阳区\n建国路 88 号\nSOHO 现代城 A 座';
		const remark = '第一次见面：展会\n\n后续：\n- 寄样品\n- 报价';
		await login(page, DEMO.zhangwei);
		await openContacts(page);

		// Typed into the textareas, sent as the browser sends them.
		let dialog = await openCreateForm(page);
		await dialog.getByLabel('姓名').fill(`多行${suffix}`);
		await dialog.getByLabel('地址').fill(address);
		await dialog.getByLabel('备注').fill(remark);
		let answer = await saveAndWaitForAnswer(page, dialog, '保存');
		assert.equal(answer.status, 201, JSON.stringify(answer.body));
		assert.equal(answer.body.address, address);
		assert.equal(answer.body.remark, remark);
		await dialog.waitFor({ state: 'hidden' });

		// The same text sent with CRLF (as other clients do) is stored with LF.
		dialog = await openCreateForm(page);
		await dialog.getByLabel('姓名').fill(`换行${suffix}`);
		await dialog.getByLabel('地址').fill(address);
		await dialog.getByLabel('备注').fill(remark);
		const unroute = await rewriteCreateBody(page, (b) => ({ ...b, address: b.address.replace(/\n/g, '\r\n'), remark: b.remark.replace(/\n/g, '\r\n') }));
		answer = await saveAndWaitForAnswer(page, dialog, '保存');
		await unroute();
		assert.equal(answer.status, 201, JSON.stringify(answer.body));
		await dialog.waitFor({ state: 'hidden' });

		await page.reload();
		await page.getByRole('heading', { level: 1, name: '外部互联' }).waitFor();
		for (const name of [`多行${suffix}`, `换行${suffix}`]) {
			await page.locator('.ec-contact', { hasText: name }).waitFor();
			const listed = await listedThroughApi(page, name);
			assert.equal(listed.body.items.length, 1, name);
			const full = await page.evaluate(async (url) => (await fetch(url)).json(), `${API}/contacts/${listed.body.items[0].id}`);
			assert.equal(full.address, address, `${name}: address`);
			assert.equal(full.remark, remark, `${name}: remark`);
		}
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
			const r = await client.post(`${API}/contacts`, { name: `联系人${String(i).padStart(2, '0')}`, company, mobile: `139${companies.indexOf(company)}000${String(i).padStart(4, '0')}` });
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
