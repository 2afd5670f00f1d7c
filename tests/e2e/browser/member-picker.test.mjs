// Browser test of the member picker (member-picker.js) in the large card: a
// type-ahead combobox over GET /members, used with the keyboard only —
// typing, ↓ / ↑, Enter, Escape — in zh-CN and en.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';
import { API, createContact, pluginApi, showContacts } from '../lib/contacts-ui.mjs';

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

const withPage = (name, fn, options) => runPage(browser, host, name, fn, options);

/** Opens the contact's large card with the keyboard (Enter on the name, Enter on 查看详情). */
async function openCard(page, contact, details = '查看详情') {
	const name = page.locator(`.ec-contact[data-id="${contact.id}"]`).getByRole('button', { name: contact.name, exact: true });
	await name.focus();
	await page.keyboard.press('Enter');
	await page.locator('#ec-popover').getByRole('button', { name: details }).waitFor();
	await page.keyboard.press('Enter');
	const card = page.getByRole('dialog', { name: contact.name });
	await card.getByRole('tab').first().waitFor();
	return card;
}

const activeId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

test('共享: lina is found by typing "lin" and added with ↓ and Enter; 丽 finds nobody; Escape closes the list, not the card', async () => {
	await withPage('picker-share', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		await loginPage(page, host, DEMO.zhangwei);
		const contact = await createContact(page, { name: `柯蓝${suffix}`, company: `晨星咨询${suffix}` });
		const searches = [];
		page.on('request', (request) => {
			if (request.url().includes(`${API}/members?`)) searches.push(new URL(request.url()).searchParams.get('q'));
		});
		await page.reload();
		await showContacts(page, { reload: false });
		const card = await openCard(page, contact);
		await card.getByRole('tab', { name: '基本信息' }).focus();
		for (let i = 0; i < 3; i += 1) {
			if ((await card.getByRole('tab', { name: '共享' }).getAttribute('aria-selected')) === 'true') break;
			await page.keyboard.press('ArrowRight');
		}
		await card.getByRole('tab', { name: '共享', selected: true }).waitFor();
		const panel = card.getByRole('tabpanel', { name: '共享' });
		const combo = panel.getByRole('combobox', { name: '添加内部人员' });
		assert.equal(await combo.getAttribute('aria-expanded'), 'false');
		assert.equal(await combo.getAttribute('aria-autocomplete'), 'list');
		const listboxId = await combo.getAttribute('aria-controls');

		await combo.focus();
		await page.keyboard.type('lin');
		const option = panel.getByRole('option', { name: /李娜/ });
		await option.waitFor();
		assert.deepEqual(searches, ['lin'], 'typing is debounced: one search for the three keys');
		assert.equal(await combo.getAttribute('aria-expanded'), 'true');
		assert.equal(await page.locator(`#${listboxId}`).getAttribute('role'), 'listbox');
		assert.equal(await panel.getByRole('option').count(), 1);
		assert.match(await option.innerText(), /李娜\s*lina/, 'display name and login');
		assert.equal(await combo.getAttribute('aria-activedescendant'), null, 'nothing chosen before ↓');
		await panel.locator('#ec-share-pick-status', { hasText: '找到 1 位成员' }).waitFor({ state: 'attached' });

		await page.keyboard.press('ArrowDown');
		assert.equal(await option.getAttribute('aria-selected'), 'true');
		assert.equal(await combo.getAttribute('aria-activedescendant'), await option.getAttribute('id'));
		await screenshot(page, 'picker-lina');
		await page.keyboard.press('Enter');
		await card.locator('.ec-card-notice', { hasText: '已共享给 李娜' }).waitFor();
		await panel.locator('#ec-share-members .ec-member', { hasText: '李娜' }).waitFor();
		assert.equal(await activeId(page), 'ec-share-pick-input', 'focus stays in the picker');
		assert.equal(await combo.inputValue(), '');
		assert.equal(await combo.getAttribute('aria-expanded'), 'false');
		const shares = await pluginApi(page, 'GET', `/contacts/${contact.id}/shares`);
		assert.deepEqual(shares.json.members.map((m) => m.displayName), ['李娜']);

		// 丽 is in nobody's name (lina is 李娜): the empty state, and Enter adds nobody.
		await page.keyboard.type('丽');
		await panel.locator('.ec-picker-empty', { hasText: '没有匹配的成员' }).waitFor();
		assert.equal(await panel.getByRole('option').count(), 0);
		assert.equal(await combo.getAttribute('aria-expanded'), 'false');
		await page.keyboard.press('Enter');
		await panel.locator('#ec-share-pick-error', { hasText: '没有匹配的成员' }).waitFor();
		// Escape closes the popup, then clears the text; the card stays open.
		await page.keyboard.press('Escape');
		await panel.locator('.ec-picker-empty').waitFor({ state: 'hidden' });
		assert.equal(await combo.inputValue(), '丽');
		await page.keyboard.press('Escape');
		assert.equal(await combo.inputValue(), '');
		assert.ok(await card.isVisible(), 'Escape in the picker does not close the card');
		assert.equal(await activeId(page), 'ec-share-pick-input');

		// 李 finds her again, now marked as already on the list and not pickable.
		await page.keyboard.type('李');
		const again = panel.getByRole('option', { name: /李娜/ });
		await again.waitFor();
		assert.equal(await again.getAttribute('aria-disabled'), 'true');
		assert.match(await again.innerText(), /已在列表中/);
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('Enter');
		await panel.locator('#ec-share-pick-error', { hasText: '该人员已在列表中' }).waitFor();
		assert.equal((await pluginApi(page, 'GET', `/contacts/${contact.id}/shares`)).json.members.length, 1);

		// Several matches: ↓ and ↑ move through them and wrap.
		await combo.fill('');
		await page.keyboard.type('a');
		await panel.getByRole('option', { name: /王芳/ }).waitFor();
		const names = await panel.getByRole('option').allInnerTexts();
		assert.equal(names.length, 4, names.join(' | '));
		await page.keyboard.press('ArrowUp');
		assert.equal(await panel.getByRole('option').nth(3).getAttribute('aria-selected'), 'true', '↑ starts at the last');
		await page.keyboard.press('ArrowDown');
		assert.equal(await panel.getByRole('option').nth(0).getAttribute('aria-selected'), 'true', '↓ wraps to the first');
		await page.keyboard.press('Escape');
		await page.keyboard.press('Escape');

		// The last Escape closes the card as always.
		await page.keyboard.press('Escape');
		await card.waitFor({ state: 'hidden' });
	});
});

test('权限设置: 丽 → nothing, 娜 → 李娜 picked with the keyboard and saved', async () => {
	await withPage('picker-permissions', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		await loginPage(page, host, DEMO.zhangwei);
		const contact = await createContact(page, { name: `纪远${suffix}`, company: `星火传媒${suffix}` });
		await page.reload();
		await showContacts(page, { reload: false });
		const card = await openCard(page, contact);
		await card.getByRole('tab', { name: '权限设置' }).click();
		const panel = card.getByRole('tabpanel', { name: '权限设置' });
		const combo = panel.getByRole('combobox', { name: '添加内部人员' });
		await combo.focus();
		await page.keyboard.type('丽');
		await panel.locator('.ec-picker-empty', { hasText: '没有匹配的成员' }).waitFor();
		await combo.fill('');
		await page.keyboard.type('娜');
		await panel.getByRole('option', { name: /李娜/ }).waitFor();
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('Enter');
		await panel.locator('#ec-perm-members .ec-member', { hasText: '李娜' }).waitFor();
		assert.equal(await activeId(page), 'ec-perm-pick-input');
		await panel.getByRole('button', { name: '保存权限设置' }).click();
		await card.locator('.ec-card-notice', { hasText: '已保存权限设置' }).waitFor();
		const stored = (await pluginApi(page, 'GET', `/contacts/${contact.id}/permissions`)).json;
		assert.deepEqual(stored.visibleMembers.map((m) => m.displayName), ['张伟', '李娜']);
	});
});

test('en: the picker speaks English', async () => {
	await withPage('picker-en', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		await loginPage(page, host, DEMO.zhangwei);
		await page.evaluate(() => localStorage.setItem('rh.locale', 'en'));
		const contact = await createContact(page, { name: `Ada${suffix}`, company: `Acme${suffix}` });
		await page.reload();
		await page.locator('header.rh-header').waitFor();
		await showContacts(page, { reload: false, heading: 'External Contacts', nav: 'Main navigation' });
		const card = await openCard(page, contact, 'View details');
		await card.getByRole('tab', { name: 'Sharing' }).click();
		const panel = card.getByRole('tabpanel', { name: 'Sharing' });
		const combo = panel.getByRole('combobox', { name: 'Add an internal member' });
		await combo.focus();
		await page.keyboard.type('nobody-here');
		await panel.locator('.ec-picker-empty', { hasText: 'No matching members' }).waitFor();
		await combo.fill('');
		await page.keyboard.type('lin');
		await panel.getByRole('option', { name: /李娜/ }).waitFor();
		await page.keyboard.press('Enter'); // the only match
		await panel.locator('#ec-share-members .ec-member', { hasText: '李娜' }).waitFor();
		assert.ok(!/[\u4e00-\u9fff]/.test((await panel.locator('.ec-picker').innerText()).replace(/李娜/g, '')));
	}, { locale: 'en' });
});
