// Browser test of the back-office page 外部互联 / 审计日志 (audit-log-page.js,
// R10, issue 13): changes made through the API (zhangwei creates, edits and
// deletes contacts; wangfang creates one) are listed newest first with actor,
// action label, contact (a deleted one marked 已删除) and the changed fields;
// filters by action, actor, period and "只看此联系人" narrow the table; a bad
// filter is named next to its input; 加载更多 pages on; 导出 CSV downloads the
// filtered log (BOM, Chinese headers, formulas neutralised); English labels;
// members who are not admins cannot reach the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';

const BASE = '/api/plugins/external-contacts';
const LOG = `${BASE}/admin/audit`;
const PAGE_URL = '/#/admin/p/audit-log';
const ZH_HEADER = '编号,时间（UTC+8）,操作人,操作人编号,操作,联系人,联系人编号,联系人已删除,来源地址,变更前,变更后';

let host;
let browser;
const as = {};
const suffix = randomBytes(3).toString('hex');
const made = {};

before(async () => {
	host = await startHost();
	browser = await launchBrowser();
	for (const user of ['admin', 'zhangwei', 'wangfang']) {
		as[user] = await loggedIn(host.baseUrl, DEMO[user].login, DEMO[user].password);
	}
	const create = async (who, name) => {
		const r = await as[who].post(`${BASE}/contacts`, { name, company: `审计公司${suffix}` });
		assert.equal(r.status, 201, r.text);
		return r.json;
	};
	made.gone = await create('zhangwei', `=审计删${suffix}`);
	made.kept = await create('zhangwei', `审计留${suffix}`);
	const edited = await as.zhangwei.patch(`${BASE}/contacts/${made.kept.id}`, { version: made.kept.version, title: '采购经理' });
	assert.equal(edited.status, 200, edited.text);
	assert.equal((await as.zhangwei.del(`${BASE}/contacts/${made.gone.id}`)).status, 204);
	made.wang = await create('wangfang', `审计王${suffix}`);
});

after(async () => {
	if (browser) await browser.close();
	if (host) await host.stop();
});

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

/** 后台管理 → 外部互联 → 审计日志, through the links. */
async function openPage(page, { section = '外部互联', label = '审计日志', admin = '后台管理' } = {}) {
	await page.getByRole('link', { name: admin }).click();
	const nav = page.locator('nav.rh-admin-nav');
	await nav.getByRole('heading', { name: section }).waitFor();
	await nav.getByRole('link', { name: label }).click();
	await page.getByRole('heading', { level: 1, name: label }).waitFor();
	await settled(page);
}

async function settled(page) {
	await page.locator('#au-table[aria-busy]').waitFor({ state: 'detached' });
	await page.locator('.au-page .ec-loading').waitFor({ state: 'detached' });
}

/** The rows shown as "action label | contact name" (contact cell's name only). */
async function shownRows(page) {
	return page.locator('#au-table tbody tr.au-row').evaluateAll((rows) => rows.map((row) =>
		`${row.querySelector('.au-action').textContent}|${row.querySelector('.au-contact-name')?.textContent || ''}`));
}

async function expectRows(page, want) {
	await page.waitForFunction((expected) => {
		if (document.querySelector('#au-table[aria-busy]')) return false;
		const got = [...document.querySelectorAll('#au-table tbody tr.au-row')].map((row) =>
			`${row.querySelector('.au-action').textContent}|${row.querySelector('.au-contact-name')?.textContent || ''}`);
		return JSON.stringify(got) === JSON.stringify(expected);
	}, want).catch(() => {});
	assert.deepEqual(await shownRows(page), want);
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

const ALL = () => [
	`新建了联系人|审计王${suffix}`,
	`删除了联系人|=审计删${suffix}`,
	`修改了基本信息|审计留${suffix}`,
	`新建了联系人|审计留${suffix}`,
	`新建了联系人|=审计删${suffix}`,
];

test('the log lists every change newest first; filters narrow it; 只看此联系人 shows a deleted contact\'s history', async () => {
	await withPage('au-list', async (page) => {
		await loginPage(page, host, DEMO.admin);
		await openPage(page);
		// The demo org has no other change of today before ours: the newest five are ours.
		const rows = await shownRows(page);
		assert.deepEqual(rows.slice(0, 5), ALL());
		const deleted = page.locator('#au-table tbody tr.au-row', { has: page.locator('.au-action', { hasText: '删除了联系人' }) });
		await deleted.locator('.au-deleted', { hasText: '已删除' }).waitFor();
		assert.equal((await deleted.locator('.au-actor').innerText()).trim(), as.zhangwei.me.user.displayName);
		// The edit shows only the field that changed.
		const edit = page.locator('#au-table tbody tr.au-row', { has: page.locator('.au-action', { hasText: '修改了基本信息' }) });
		await edit.getByText('查看 ', { exact: false }).click();
		const changed = await edit.locator('details tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
		assert.ok(changed.some(([key, , after]) => key === 'title' && after === '采购经理'), JSON.stringify(changed));
		assert.ok(!changed.some(([key]) => key === 'name'), 'an unchanged field is not listed');

		// Action filter.
		await page.getByLabel('操作', { exact: true }).selectOption('contact.create');
		await settled(page);
		assert.deepEqual((await shownRows(page)).slice(0, 3), [ALL()[0], ALL()[3], ALL()[4]]);
		assert.ok((await shownRows(page)).every((row) => row.startsWith('新建了联系人|')));

		// 只看此联系人 on the deleted contact: its whole history, whatever the action filter was.
		await page.getByLabel('操作', { exact: true }).selectOption('');
		await settled(page);
		await deleted.getByRole('button', { name: `只看联系人 =审计删${suffix} 的记录` }).click();
		await expectRows(page, [ALL()[1], ALL()[4]]);
		assert.equal(await page.getByLabel('联系人编号').inputValue(), String(made.gone.id));
		await page.locator('#au-notice', { hasText: `正在显示 =审计删${suffix} 的记录` }).waitFor();

		// Actor filter through the member picker, combined with the period (today).
		await page.getByRole('button', { name: '重置' }).click();
		await settled(page);
		const picker = page.getByRole('combobox', { name: '操作人' });
		await picker.fill(as.wangfang.me.user.displayName);
		await page.getByRole('option', { name: new RegExp(as.wangfang.me.user.displayName) }).first().click();
		await page.locator('.au-chosen-name', { hasText: as.wangfang.me.user.displayName }).waitFor();
		await page.getByLabel('开始日期').fill(localDate(0));
		await page.getByLabel('结束日期').fill(localDate(0));
		await page.getByRole('button', { name: '查询' }).click();
		await expectRows(page, [ALL()[0]]);
		// A future period: the empty state with a way back.
		await page.getByLabel('开始日期').fill(localDate(2));
		await page.getByLabel('结束日期').fill(localDate(3));
		await page.getByRole('button', { name: '查询' }).click();
		await page.locator('.au-empty', { hasText: '没有符合条件的记录' }).waitFor();
		await screenshot(page, 'audit-log-empty');
	});
});

test('bad filters are named next to their inputs; 加载更多 pages on', async () => {
	await withPage('au-paging', async (page) => {
		await loginPage(page, host, DEMO.admin);
		await openPage(page);
		await page.getByLabel('联系人编号').fill('12a');
		await page.getByRole('button', { name: '查询' }).click();
		await page.locator('#au-contact-error', { hasText: '联系人编号须为正整数' }).waitFor();
		assert.equal(await page.getByLabel('联系人编号').getAttribute('aria-invalid'), 'true');
		assert.equal(await page.evaluate(() => document.activeElement.id), 'au-contact');
		await page.getByLabel('开始日期').fill(localDate(1));
		await page.getByLabel('结束日期').fill(localDate(0));
		await page.getByLabel('联系人编号').fill('');
		await page.getByRole('button', { name: '查询' }).click();
		await page.locator('#au-to-error', { hasText: '结束日期不能早于开始日期' }).waitFor();
		await page.getByRole('button', { name: '重置' }).click();
		await settled(page);

		// 60 more changes so the log has more than one page (50 a page).
		for (let i = 0; i < 30; i += 1) {
			const r = await as.wangfang.post(`${BASE}/contacts`, { name: `审计批量${i}${suffix}` });
			assert.equal(r.status, 201, r.text);
			assert.equal((await as.wangfang.del(`${BASE}/contacts/${r.json.id}`)).status, 204);
		}
		await page.getByRole('button', { name: '查询' }).click();
		await settled(page);
		assert.equal(await page.locator('#au-table tbody tr.au-row').count(), 50);
		await page.locator('#au-count', { hasText: '已显示 50 条，还有更多' }).waitFor();
		await page.getByRole('button', { name: '加载更多' }).click();
		await page.waitForFunction(() => document.querySelectorAll('#au-table tbody tr.au-row').length > 50);
		const ids = await page.locator('#au-table tbody tr.au-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.id)));
		assert.equal(new Set(ids).size, ids.length, 'no row twice');
		const api = [];
		let cursor = '';
		do {
			const r = await as.admin.get(`${LOG}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			api.push(...r.json.items.map((e) => e.id));
			cursor = r.json.nextCursor;
		} while (cursor && api.length < ids.length);
		assert.deepEqual(ids, api.slice(0, ids.length), 'the page shows the log in the server\'s order');
	});
});

test('导出 CSV downloads the filtered log with the BOM and the Chinese headers', async () => {
	await withPage('au-export', async (page) => {
		await loginPage(page, host, DEMO.admin);
		await openPage(page);
		await page.getByLabel('联系人编号').fill(String(made.gone.id));
		await page.getByRole('button', { name: '查询' }).click();
		await expectRows(page, [ALL()[1], ALL()[4]]);
		const { file, bytes, text } = await download(page, '导出 CSV');
		assert.match(file.suggestedFilename(), /^external-contacts-audit-\d{4}-\d{2}-\d{2}\.csv$/);
		assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
		const lines = text.split('\r\n').filter(Boolean);
		assert.equal(lines[0], ZH_HEADER);
		assert.equal(lines.length, 3, text);
		assert.ok(lines[1].includes(',contact.delete,'), lines[1]);
		assert.ok(lines[1].includes(`,'=审计删${suffix},${made.gone.id},是,`), `the = name is neutralised: ${lines[1]}`);
		await page.locator('#au-notice', { hasText: '已导出' }).waitFor();
	});
});

test('English: headings, columns and labels', async () => {
	await withPage('au-en', async (page) => {
		await loginPage(page, host, DEMO.admin);
		await page.evaluate(() => localStorage.setItem('rh.locale', 'en'));
		await page.reload();
		await page.locator('header.rh-header').waitFor();
		await openPage(page, { section: 'External contacts', label: 'Audit log', admin: 'Back office' });
		await page.getByRole('table', { name: 'Audit entries, newest first' }).waitFor();
		assert.deepEqual(await page.locator('#au-table > thead > tr > th').allInnerTexts(),
			['Time', 'Actor', 'Action', 'Contact', 'From address', 'Changes']);
		await page.getByLabel('Action', { exact: true }).selectOption('contact.delete');
		await settled(page);
		const first = page.locator('#au-table tbody tr.au-row').first();
		assert.equal((await first.locator('.au-action').innerText()).trim(), 'deleted the contact');
		await first.locator('.au-deleted', { hasText: 'Deleted' }).waitFor();
		await screenshot(page, 'audit-log-en', { fullPage: true });
	}, { locale: 'en' });
});

test('members who are not admins cannot reach the page', async () => {
	await withPage('au-denied', async (page) => {
		await loginPage(page, host, DEMO.wangfang);
		await page.getByRole('navigation', { name: '主导航' }).waitFor();
		assert.equal(await page.getByRole('link', { name: '后台管理' }).count(), 0);
		await page.goto(`${host.baseUrl}${PAGE_URL}`);
		await page.getByRole('heading', { name: '没有权限' }).waitFor();
		assert.equal(await page.locator('.au-page').count(), 0);
	});
	assert.equal((await as.wangfang.get(LOG)).status, 403);
});
