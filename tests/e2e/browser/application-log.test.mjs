// Browser test of the back-office page 账号安全 / 外部账号开通申请
// (account-applications-page.js, R3.6): the empty log; applications set up
// through the API (zhangwei and lina apply, wangfang approves one, the admin
// rejects one with a reason) shown with names and statuses; filters by status,
// keyword, applicant and time range narrow the table; a filter the server
// refuses is named next to its input; the admin approves and rejects from the
// page; a row someone else decided meanwhile says who; 导出 CSV downloads the
// filtered log (UTF-8 BOM, Chinese headers; English headers in en); members
// who are not admins cannot reach the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';

const BASE = '/api/plugins/external-contacts';
const LOG = `${BASE}/admin/applications`;
const PAGE_URL = '/#/admin/p/account-applications';
const ZH_HEADER = '申请编号,联系人,申请人,备注,提交时间（UTC+8）,状态,处理人,处理时间（UTC+8）,意见';
const EN_HEADER = 'Application,Contact,Applicant,Remark,Submitted (UTC+8),Status,Decided by,Decided (UTC+8),Comment';

let host;
let browser;
const as = {};
const suffix = randomBytes(3).toString('hex');
const made = {};

before(async () => {
	host = await startHost();
	browser = await launchBrowser();
	for (const user of ['admin', 'zhangwei', 'lina', 'wangfang']) {
		as[user] = await loggedIn(host.baseUrl, DEMO[user].login, DEMO[user].password);
	}
});

after(async () => {
	if (browser) await browser.close();
	if (host) await host.stop();
});

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

/** Five applications: zhangwei's 甲 (approved by wangfang), 乙 (rejected by the admin), 戊 (pending); lina's 丙 and 丁 (pending). */
async function setUp() {
	if (made.done) return;
	const apply = async (who, key, remark) => {
		const name = `申请${key}${suffix}`;
		const contact = await as[who].post(`${BASE}/contacts`, { name, company: `日志公司${suffix}` });
		assert.equal(contact.status, 201, contact.text);
		const applied = await as[who].post(`${BASE}/contacts/${contact.json.id}/applications`, { remark });
		assert.equal(applied.status, 201, applied.text);
		made[key] = { ...applied.json, name };
	};
	await apply('zhangwei', '甲', '甲的备注');
	await apply('zhangwei', '乙', '乙的备注');
	await apply('lina', '丙', '丙的备注');
	await apply('lina', '丁', '');
	await apply('zhangwei', '戊', '戊的备注');
	let r = await as.wangfang.post(`${BASE}/applications/${made.甲.id}/approve`, {});
	assert.equal(r.status, 200, r.text);
	r = await as.admin.post(`${BASE}/applications/${made.乙.id}/reject`, { reason: '资料不全' });
	assert.equal(r.status, 200, r.text);
	made.done = true;
}

/** 后台管理 → 账号安全 → 外部账号开通申请, through the links. */
async function openPage(page, { section = '账号安全', label = '外部账号开通申请', admin = '后台管理' } = {}) {
	await page.getByRole('link', { name: admin }).click();
	const nav = page.locator('nav.rh-admin-nav');
	await nav.getByRole('heading', { name: section }).waitFor();
	await nav.getByRole('link', { name: label }).click();
	await page.getByRole('heading', { level: 1, name: label }).waitFor();
	await settled(page);
}

async function settled(page) {
	await page.locator('#al-table[aria-busy]').waitFor({ state: 'detached' });
	await page.locator('.al-page .ec-loading').waitFor({ state: 'detached' });
}

const row = (page, key) => page.locator('#al-table tbody tr.al-row', { has: page.locator('th', { hasText: made[key].name }) });
const shownNames = async (page) => page.locator('#al-table tbody tr.al-row th').allInnerTexts();
const names = (...keys) => keys.map((key) => made[key].name);

/** Waits until the table shows exactly these contacts, in this order. */
async function expectRows(page, keys) {
	const want = names(...keys);
	await page.waitForFunction((expected) => {
		if (document.querySelector('#al-table[aria-busy]')) return false;
		const got = [...document.querySelectorAll('#al-table tbody tr.al-row th')].map((th) => th.textContent);
		return JSON.stringify(got) === JSON.stringify(expected);
	}, want);
	assert.deepEqual(await shownNames(page), want);
}

async function keyword(page, text) {
	await page.getByLabel('关键词').fill(text);
	await page.getByRole('button', { name: '查询' }).click();
}

async function cellText(page, key, cls) {
	return (await row(page, key).locator(`.${cls}`).innerText()).trim();
}

function localDate(offsetDays = 0) {
	const d = new Date();
	d.setDate(d.getDate() + offsetDays);
	const pad = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function download(page, buttonName) {
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: buttonName }).click(),
	]);
	const bytes = await readFile(await file.path());
	return { file, bytes, text: bytes.subarray(3).toString('utf8') };
}

test('an empty log says 暂无申请', async () => {
	const r = await as.admin.get(LOG);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.items, [], 'the demo data has no applications');
	await withPage('al-empty', async (page) => {
		await loginPage(page, host, DEMO.admin);
		await openPage(page);
		await page.locator('.al-empty', { hasText: '暂无申请' }).waitFor();
		assert.equal(await page.locator('.al-table-wrap').isHidden(), true);
		assert.equal(await page.locator('#al-more').isHidden(), true);
	});
});

test('the log shows names and statuses, and the filters narrow it', async () => {
	await setUp();
	await withPage('al-filters', async (page) => {
		await loginPage(page, host, DEMO.admin);
		await openPage(page);
		await expectRows(page, ['戊', '丁', '丙', '乙', '甲']);
		const table = page.getByRole('table', { name: '开通申请记录（按提交时间从新到旧）' });
		assert.deepEqual(await table.getByRole('columnheader').allInnerTexts(),
			['联系人', '申请人', '备注', '提交时间', '状态', '处理人', '处理时间', '意见', '操作']);
		assert.equal(await page.locator('#al-count').innerText(), '已显示 5 条申请');

		assert.equal(await cellText(page, '甲', 'al-applicant-cell'), '张伟');
		assert.equal(await cellText(page, '甲', 'al-status'), '已同意');
		assert.equal(await cellText(page, '甲', 'al-decider'), '王芳');
		assert.equal(await cellText(page, '甲', 'al-remark'), '甲的备注');
		assert.equal(await cellText(page, '乙', 'al-status'), '已驳回');
		assert.equal(await cellText(page, '乙', 'al-decider'), as.admin.me.user.displayName);
		assert.equal(await cellText(page, '乙', 'al-comment'), '资料不全');
		assert.equal(await cellText(page, '丙', 'al-applicant-cell'), '李娜');
		assert.equal(await cellText(page, '丙', 'al-status'), '待审批');
		assert.equal(await cellText(page, '丙', 'al-decider'), '—');
		assert.equal(await cellText(page, '丁', 'al-remark'), '—');
		// Times in the browser's local time.
		const submitted = await row(page, '丙').locator('.al-submitted time').getAttribute('datetime');
		assert.equal(new Date(submitted).getTime(), made.丙.submittedAt);
		assert.equal(await row(page, '丙').locator('.al-submitted').innerText(), new Date(made.丙.submittedAt).toLocaleString('zh-CN'));
		// Approve / reject only on pending rows.
		assert.equal(await row(page, '甲').getByRole('button').count(), 0);
		await row(page, '丙').getByRole('button', { name: `同意 ${made.丙.name} 的开通申请` }).waitFor();
		await row(page, '丙').getByRole('button', { name: `驳回 ${made.丙.name} 的开通申请` }).waitFor();
		await screenshot(page, 'application-log', { fullPage: true });

		// Keyword (contact name or remark).
		await keyword(page, made.丙.name);
		await expectRows(page, ['丙']);
		assert.equal(await page.locator('#al-count').innerText(), '已显示 1 条申请');
		await page.getByLabel('关键词').fill('戊的备注');
		await expectRows(page, ['戊']); // debounced, without 查询
		await keyword(page, suffix);
		await expectRows(page, ['戊', '丁', '丙', '乙', '甲']);

		// Status.
		await page.getByLabel('状态', { exact: true }).selectOption({ label: '已驳回' });
		await expectRows(page, ['乙']);
		await page.getByLabel('状态', { exact: true }).selectOption({ label: '待审批' });
		await expectRows(page, ['戊', '丁', '丙']);
		await page.getByLabel('状态', { exact: true }).selectOption({ label: '全部' });
		await expectRows(page, ['戊', '丁', '丙', '乙', '甲']);

		// Applicant, with the member picker.
		const combo = page.getByRole('combobox', { name: '申请人' });
		await combo.focus();
		await page.keyboard.type('lina');
		await page.getByRole('listbox').getByRole('option', { name: /李娜/ }).waitFor();
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('Enter');
		await page.locator('#al-applicant-chosen', { hasText: '申请人：李娜' }).waitFor();
		await expectRows(page, ['丁', '丙']);
		await page.getByRole('button', { name: '清除申请人筛选（李娜）' }).click();
		await expectRows(page, ['戊', '丁', '丙', '乙', '甲']);
		assert.equal(await page.evaluate(() => document.activeElement.id), 'al-applicant-input');

		// Time range: today holds them all, tomorrow none; an end before the start is refused in the page.
		await page.getByLabel('开始日期').fill(localDate(0));
		await page.getByLabel('结束日期').fill(localDate(0));
		await page.getByRole('button', { name: '查询' }).click();
		await expectRows(page, ['戊', '丁', '丙', '乙', '甲']);
		await page.getByLabel('开始日期').fill(localDate(1));
		await page.getByLabel('结束日期').fill(localDate(1));
		await page.getByRole('button', { name: '查询' }).click();
		await page.locator('.al-empty', { hasText: '没有符合筛选条件的申请' }).waitFor();
		assert.equal(await page.locator('.al-table-wrap').isHidden(), true);
		await page.getByLabel('结束日期').fill(localDate(-1));
		await page.getByRole('button', { name: '查询' }).click();
		await page.locator('#al-to-error', { hasText: '结束日期不能早于开始日期。' }).waitFor();
		assert.equal(await page.getByLabel('结束日期').getAttribute('aria-invalid'), 'true');
		assert.equal(await page.evaluate(() => document.activeElement.id), 'al-to');
		await page.getByRole('search', { name: '筛选开通申请' }).getByRole('button', { name: '清除筛选' }).click();
		await expectRows(page, ['戊', '丁', '丙', '乙', '甲']);
		assert.equal(await page.locator('#al-to-error').innerText(), '');

		// A keyword the server refuses (the request is rewritten past the page's maxlength) is named next to the input.
		const handler = (route) => {
			const url = new URL(route.request().url());
			url.searchParams.set('q', 'x'.repeat(51));
			return route.continue({ url: url.toString() });
		};
		await page.route(`**${LOG}?*`, handler);
		const [refused] = await Promise.all([
			page.waitForResponse((r) => r.url().includes(`${LOG}?`)),
			keyword(page, 'abc'),
		]);
		await page.unroute(`**${LOG}?*`, handler);
		assert.equal(refused.status(), 400);
		const body = await refused.json();
		assert.equal(body.error.field, 'q');
		await page.locator('#al-q-error', { hasText: '关键词最多 50 个字符，且不能包含控制字符。' }).waitFor();
		assert.equal(await page.getByLabel('关键词').getAttribute('aria-invalid'), 'true');
		assert.ok(!(await page.locator('.al-page').innerText()).includes(body.error.message));
		await keyword(page, suffix);
		await expectRows(page, ['戊', '丁', '丙', '乙', '甲']);
		assert.equal(await page.locator('#al-q-error').innerText(), '');
	});
});

test('the admin approves and rejects from the page; a row decided meanwhile says who', async () => {
	await setUp();
	await withPage('al-decide', async (page) => {
		const adminName = as.admin.me.user.displayName;
		await loginPage(page, host, DEMO.admin);
		await openPage(page);
		await keyword(page, suffix);
		await page.getByLabel('状态', { exact: true }).selectOption({ label: '待审批' });
		await expectRows(page, ['戊', '丁', '丙']);

		// 同意
		await row(page, '丙').getByRole('button', { name: `同意 ${made.丙.name} 的开通申请` }).click();
		await page.locator('#al-notice', { hasText: `已同意 ${made.丙.name} 的开通申请` }).waitFor();
		await row(page, '丙').locator('.al-status', { hasText: '已同意' }).waitFor();
		assert.equal(await cellText(page, '丙', 'al-decider'), adminName);
		assert.notEqual(await cellText(page, '丙', 'al-decided'), '—');
		assert.equal(await row(page, '丙').getByRole('button').count(), 0);
		assert.equal(await page.evaluate(() => document.activeElement.closest('tr')?.dataset.id), String(made.丙.id));

		// 驳回 with a reason; Escape first leaves the form.
		const rejectButton = row(page, '丁').getByRole('button', { name: `驳回 ${made.丁.name} 的开通申请` });
		await rejectButton.click();
		const reason = page.getByLabel('驳回原因（选填）');
		await reason.waitFor();
		assert.equal(await page.evaluate(() => document.activeElement.id), 'al-reject-reason');
		assert.equal(await rejectButton.getAttribute('aria-expanded'), 'true');
		await page.keyboard.press('Escape');
		await reason.waitFor({ state: 'detached' });
		assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), `驳回 ${made.丁.name} 的开通申请`);
		await rejectButton.click();
		await reason.fill('请补充公司信息');
		await page.locator('#al-reject-count', { hasText: '7/500 字' }).waitFor();
		await screenshot(page, 'application-log-reject');
		await page.getByRole('button', { name: '确认驳回' }).click();
		await page.locator('#al-notice', { hasText: `已驳回 ${made.丁.name} 的开通申请` }).waitFor();
		await row(page, '丁').locator('.al-status', { hasText: '已驳回' }).waitFor();
		assert.equal(await cellText(page, '丁', 'al-decider'), adminName);
		assert.equal(await cellText(page, '丁', 'al-comment'), '请补充公司信息');
		assert.equal(await page.locator('#al-reject-form').count(), 0);

		// wangfang approves 戊 while the page still shows it pending.
		const r = await as.wangfang.post(`${BASE}/applications/${made.戊.id}/approve`, {});
		assert.equal(r.status, 200, r.text);
		await row(page, '戊').getByRole('button', { name: `同意 ${made.戊.name} 的开通申请` }).click();
		await page.locator('#al-alert', { hasText: '该申请已由 王芳 处理。' }).waitFor();
		await row(page, '戊').locator('.al-status', { hasText: '已同意' }).waitFor();
		assert.equal(await cellText(page, '戊', 'al-decider'), '王芳');
		assert.equal(await row(page, '戊').getByRole('button').count(), 0);
		await screenshot(page, 'application-log-decided', { fullPage: true });

		// As stored.
		const stored = await as.admin.get(`${LOG}?q=${encodeURIComponent(suffix)}`);
		const byId = new Map(stored.json.items.map((item) => [item.id, item]));
		assert.equal(byId.get(made.丙.id).status, 'approved');
		assert.equal(byId.get(made.丙.id).decidedBy.id, as.admin.me.user.id);
		assert.equal(byId.get(made.丁.id).status, 'rejected');
		assert.equal(byId.get(made.丁.id).comment, '请补充公司信息');
		assert.equal(byId.get(made.戊.id).decidedBy.id, as.wangfang.me.user.id);

		// After a reload only decided rows: 待审批 is empty now.
		await page.getByRole('button', { name: '查询' }).click();
		await page.locator('.al-empty', { hasText: '没有符合筛选条件的申请' }).waitFor();
	});
});

test('导出 CSV downloads the filtered log with the BOM and the Chinese headers', async () => {
	await setUp();
	await withPage('al-export', async (page) => {
		await loginPage(page, host, DEMO.admin);
		await openPage(page);
		await keyword(page, suffix);
		await expectRows(page, ['戊', '丁', '丙', '乙', '甲']);
		let { file, bytes, text } = await download(page, '导出 CSV');
		assert.match(file.suggestedFilename(), /\.csv$/);
		assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
		let lines = text.split('\r\n').filter(Boolean);
		assert.equal(lines[0], ZH_HEADER);
		assert.equal(lines.length, 6, text);
		assert.ok(lines[1].startsWith(`${made.戊.id},${made.戊.name},张伟,`), lines[1]);
		await page.locator('#al-notice', { hasText: '已导出 CSV 文件' }).waitFor();

		// The same filters as the table.
		await page.getByLabel('状态', { exact: true }).selectOption({ label: '已驳回' });
		({ text } = await download(page, '导出 CSV'));
		lines = text.split('\r\n').filter(Boolean);
		assert.equal(lines[0], ZH_HEADER);
		assert.deepEqual(lines.slice(1).map((line) => line.split(',')[1]).sort(), [made.乙.name].concat(
			(await as.admin.get(`${LOG}?q=${encodeURIComponent(suffix)}&status=rejected`)).json.items
				.filter((item) => item.id !== made.乙.id).map((item) => item.contactName)).sort());
		assert.ok(lines.every((line, i) => i === 0 || line.includes('已驳回')));
	});
});

test('English: headings, columns and the export headers', async () => {
	await setUp();
	await withPage('al-en', async (page) => {
		await loginPage(page, host, DEMO.admin);
		await page.evaluate(() => localStorage.setItem('rh.locale', 'en'));
		await page.reload();
		await page.locator('header.rh-header').waitFor();
		await openPage(page, { section: 'Account security', label: 'External account applications', admin: 'Back office' });
		await page.getByRole('table', { name: 'Account applications (newest first)' }).waitFor();
		assert.deepEqual(await page.getByRole('columnheader').allInnerTexts(),
			['Contact', 'Applicant', 'Remark', 'Submitted', 'Status', 'Decided by', 'Decided', 'Comment', 'Actions']);
		await page.getByLabel('Keyword').fill(suffix);
		await page.getByRole('button', { name: 'Search' }).click();
		await expectRows(page, ['戊', '丁', '丙', '乙', '甲']);
		assert.equal(await cellText(page, '甲', 'al-status'), 'Approved');
		await page.getByRole('combobox', { name: 'Applicant' }).waitFor();
		await page.getByLabel('Status', { exact: true }).waitFor();
		await page.getByLabel('From').waitFor();
		await page.getByLabel('To', { exact: true }).waitFor();
		const text = await page.locator('.al-page').innerText();
		const withoutData = text.split(suffix).join('').replace(/申请[甲乙丙丁戊]|[甲乙丙丁戊]的备注|张伟|李娜|王芳|资料不全|请补充公司信息/g, '');
		assert.ok(!/[\u4e00-\u9fff]/.test(withoutData.replace(new RegExp(as.admin.me.user.displayName, 'g'), '')), withoutData);
		await screenshot(page, 'application-log-en', { fullPage: true });
		const { text: csv } = await download(page, 'Export CSV');
		assert.equal(csv.split('\r\n')[0], EN_HEADER);
	}, { locale: 'en' });
});

test('members who are not admins cannot reach the page', async () => {
	await withPage('al-denied', async (page) => {
		await loginPage(page, host, DEMO.zhangwei);
		await page.getByRole('navigation', { name: '主导航' }).waitFor();
		assert.equal(await page.getByRole('link', { name: '后台管理' }).count(), 0);
		await page.goto(`${host.baseUrl}${PAGE_URL}`);
		await page.getByRole('heading', { name: '没有权限' }).waitFor();
		assert.equal(await page.getByRole('heading', { name: '外部账号开通申请' }).count(), 0);
		assert.equal(await page.locator('.al-page').count(), 0);
	});
	assert.equal((await as.zhangwei.get(LOG)).status, 403);
	assert.equal((await as.zhangwei.get(`${LOG}/export`)).status, 403);
});
