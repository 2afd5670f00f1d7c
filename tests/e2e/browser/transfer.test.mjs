// Browser test of the back-office page 外部互联 / 在职继承 (transfer-page.js):
// the admin picks the giver, ticks contacts (全选本页 too), picks the receiver,
// confirms, follows the progress bar to 100 % and the result; then transfers
// all of a member's contacts; missing choices are shown next to their fields;
// the receiver finds the contacts in 外部互联 and the recent transfers list
// names both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage } from '../lib/browser.mjs';
import { showContacts, searchContacts } from '../lib/contacts-ui.mjs';

const BASE = '/api/plugins/external-contacts';
let host;
let browser;
let as;

before(async () => {
	host = await startHost();
	browser = await launchBrowser();
	as = {
		zhang: await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password),
		lina: await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password),
	};
});

after(async () => {
	if (browser) await browser.close();
	if (host) await host.stop();
});

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

async function openPage(page) {
	await page.getByRole('link', { name: '后台管理' }).click();
	const nav = page.getByRole('navigation', { name: '后台导航' });
	await nav.getByRole('heading', { name: '外部互联' }).waitFor();
	await nav.getByRole('link', { name: '在职继承' }).click();
	await page.getByRole('heading', { level: 1, name: '在职继承' }).waitFor();
}

/** Picks a member in the picker labelled label: type, ↓, Enter. */
async function pick(page, label, text, name) {
	const combo = page.getByRole('combobox', { name: label });
	await combo.focus();
	await page.keyboard.type(text);
	await page.getByRole('listbox').getByRole('option', { name: new RegExp(name) }).waitFor();
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Enter');
}

async function progressReaches100(page) {
	const bar = page.getByRole('progressbar', { name: '转移进度' });
	await bar.waitFor();
	await page.waitForFunction(() => document.querySelector('#tf-progress')?.getAttribute('aria-valuenow') === '100', null, { timeout: 30000 });
	return bar;
}

test('the admin transfers a selection, then all of a member\'s contacts; the receiver sees them', async () => {
	const suffix = randomBytes(3).toString('hex');
	const made = [];
	for (let i = 0; i < 3; i++) {
		const r = await as.zhang.post(`${BASE}/contacts`, { name: `继承${i}${suffix}`, company: `继承公司${suffix}` });
		assert.equal(r.status, 201, r.text);
		made.push(r.json);
	}
	const zhangName = as.zhang.me.user.displayName;
	const linaName = as.lina.me.user.displayName;
	await withPage('transfer', async (page) => {
		await loginPage(page, host, DEMO.admin);
		await openPage(page);

		// Nothing chosen: each missing choice is named next to its field.
		await page.getByRole('button', { name: '转移', exact: true }).click();
		await page.locator('#tf-from-error', { hasText: '请选择转出成员' }).waitFor();
		await page.locator('#tf-to-error', { hasText: '请选择接收成员' }).waitFor();
		await page.locator('#tf-form-error', { hasText: '请修正标出的问题。' }).waitFor();

		await pick(page, '选择转出联系人的成员', DEMO.zhangwei.login, zhangName);
		await page.locator('#tf-from-chosen', { hasText: zhangName }).waitFor();
		await page.locator('#tf-contacts[aria-busy]').waitFor({ state: 'detached' });
		await page.getByRole('checkbox', { name: `选择 继承0${suffix}` }).check();
		await page.getByRole('checkbox', { name: `选择 继承2${suffix}` }).check();
		await page.locator('#tf-selection', { hasText: '已选 2 位' }).waitFor();
		await pick(page, '选择接收联系人的成员', DEMO.lina.login, linaName);
		await page.locator('#tf-to-chosen', { hasText: linaName }).waitFor();

		await page.getByRole('button', { name: '转移', exact: true }).click();
		const confirm = page.getByRole('alertdialog', { name: '确认转移' });
		await confirm.waitFor();
		assert.match(await confirm.innerText(), new RegExp(`将 ${zhangName} 的 2 位外部联系人转给 ${linaName}`));
		await confirm.getByRole('button', { name: '确认转移' }).click();
		const bar = await progressReaches100(page);
		assert.equal(await bar.getAttribute('aria-valuenow'), '100');
		await page.locator('#tf-result', { hasText: `已完成：2 位外部联系人已转给 ${linaName}。` }).waitFor();
		await page.locator('#tf-recent tbody tr[data-status="done"]', { hasText: linaName }).first().waitFor();
		// The list of the giver no longer holds them.
		await page.locator('#tf-contacts[aria-busy]').waitFor({ state: 'detached' });
		assert.equal(await page.getByRole('checkbox', { name: `选择 继承0${suffix}` }).count(), 0);
		await page.getByRole('checkbox', { name: `选择 继承1${suffix}` }).waitFor();

		// Then all of zhangwei's contacts.
		await page.getByLabel(/转移全部/).check();
		await page.locator('#tf-selection', { hasText: /将转移全部 \d+ 位/ }).waitFor();
		await page.getByRole('button', { name: '转移', exact: true }).click();
		await confirm.waitFor();
		await confirm.getByRole('button', { name: '确认转移' }).click();
		// Two finished transfers in the list: this one is done too (the first one's
		// result line is cleared when this one is confirmed).
		await page.waitForFunction(() => document.querySelectorAll('#tf-recent tbody tr[data-status="done"]').length >= 2,
			undefined, { timeout: 30000 });
		await page.locator('#tf-result', { hasText: /已完成：\d+ 位外部联系人已转给/ }).waitFor({ timeout: 30000 });
		assert.equal(await page.locator('#tf-progress').getAttribute('aria-valuenow'), '100');
		await page.locator('#tf-contacts-status', { hasText: '没有可转移的外部联系人' }).waitFor();
	});

	// The receiver finds all three in 外部互联.
	await withPage('transfer-receiver', async (page) => {
		await loginPage(page, host, DEMO.lina);
		await showContacts(page, { reload: false });
		await searchContacts(page, suffix);
		for (const c of made) await page.getByText(c.name).first().waitFor();
	});
	const left = await as.zhang.get(`${BASE}/contacts?q=${suffix}`);
	assert.deepEqual(left.json.items, []);
});
