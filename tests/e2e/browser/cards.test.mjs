// Browser test of the contact cards on the 外部互联 page (SPEC R6.1, R6.2, R6.6):
// small card, large card with tabs, edit with optimistic concurrency, delete.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';
import { API, createContact, pluginApi, showContacts, showContactsInEnglish } from '../lib/contacts-ui.mjs';

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

const row = (page, id) => page.locator(`.ec-contact[data-id="${id}"]`);
const focusedId = (page) => page.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.className));

async function openLargeCard(page, contact) {
	await row(page, contact.id).getByRole('button', { name: contact.name, exact: true }).click();
	await page.locator('#ec-popover').getByRole('button', { name: '查看详情' }).click();
	const card = page.getByRole('dialog', { name: contact.name });
	await card.getByRole('tab', { name: '基本信息' }).waitFor();
	return card;
}

test('small card: click or Enter opens it, Escape closes it and focus returns to the name', async () => {
	await withPage('small-card', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		await login(page, DEMO.zhangwei);
		const contact = await createContact(page, {
			name: `周敏${suffix}`, company: `蓝海物流${suffix}`, title: '采购总监', mobile: '139-0000-1111', email: `zhoumin.${suffix}@example.com`,
		});
		await showContacts(page);
		const name = row(page, contact.id).getByRole('button', { name: contact.name, exact: true });
		assert.equal(await name.getAttribute('aria-expanded'), 'false');
		await name.click();
		const popover = page.getByRole('dialog', { name: contact.name });
		await popover.waitFor();
		const text = await popover.innerText();
		for (const part of [contact.name, contact.company, '采购总监', '139-0000-1111', contact.email]) assert.ok(text.includes(part), `${part} in ${text}`);
		assert.equal(await popover.locator('.ec-avatar').innerText(), '周');
		assert.ok(!/null|undefined/.test(text), text);
		await popover.getByRole('button', { name: '编辑' }).waitFor();
		assert.equal(await name.getAttribute('aria-expanded'), 'true');
		await screenshot(page, 'cards-small');
		await page.keyboard.press('Escape');
		await popover.waitFor({ state: 'detached' });
		assert.equal(await page.evaluate(() => document.activeElement.textContent), contact.name, 'focus is back on the name');

		// Keyboard only: Enter opens, the first action has focus, Escape closes.
		await page.keyboard.press('Enter');
		await popover.waitFor();
		assert.equal(await page.evaluate(() => document.activeElement.textContent), '查看详情');
		await page.keyboard.press('Escape');
		await popover.waitFor({ state: 'detached' });
		assert.equal(await name.getAttribute('aria-expanded'), 'false');

		// A click elsewhere on the row opens it too; a click outside closes it.
		await row(page, contact.id).locator('.ec-avatar').click();
		await popover.waitFor();
		await page.getByRole('heading', { level: 1, name: '外部互联' }).click();
		await popover.waitFor({ state: 'detached' });
	});
});

test('large card: tabs with arrow keys, all basic fields, the 账号信息 tab with 申请开通; Escape returns focus', async () => {
	await withPage('large-card', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		await login(page, DEMO.zhangwei);
		const contact = await createContact(page, {
			name: `吴刚${suffix}`, company: `远山科技${suffix}`, title: '经理', department: '采购部',
			mobile: '13800001234', email: `wugang.${suffix}@example.com`, address: '杭州市\n西湖区', remark: '老客户', tags: ['重点', '华东'],
		});
		await showContacts(page);
		const card = await openLargeCard(page, contact);
		const basic = card.getByRole('tab', { name: '基本信息' });
		assert.equal(await basic.getAttribute('aria-selected'), 'true');
		const panel = card.getByRole('tabpanel', { name: '基本信息' });
		const text = await panel.innerText();
		for (const part of [contact.company, '经理', '采购部', '13800001234', contact.email, '杭州市\n西湖区', '老客户', '重点', '华东', '新建', '张伟']) {
			assert.ok(text.includes(part), `${part} in ${text}`);
		}
		assert.deepEqual(await card.getByRole('tab').allInnerTexts(), ['基本信息', '权限设置', '账号信息', '共享', '历史'], 'the adder sees every tab');
		await screenshot(page, 'cards-large');

		await basic.focus();
		await page.keyboard.press('ArrowRight');
		assert.equal(await card.getByRole('tab', { name: '权限设置' }).getAttribute('aria-selected'), 'true');
		await page.keyboard.press('ArrowRight');
		const account = card.getByRole('tab', { name: '账号信息' });
		assert.equal(await account.getAttribute('aria-selected'), 'true');
		assert.equal(await page.evaluate(() => document.activeElement.id), 'ec-tab-account');
		const accountPanel = card.getByRole('tabpanel', { name: '账号信息' });
		await accountPanel.getByRole('button', { name: '申请开通' }).waitFor();
		assert.match(await accountPanel.innerText(), /暂未开通账号/);
		assert.ok(await panel.isHidden());
		await page.keyboard.press('ArrowLeft');
		await page.keyboard.press('ArrowLeft');
		await page.keyboard.press('ArrowLeft');
		assert.equal(await card.getByRole('tab', { name: '历史' }).getAttribute('aria-selected'), 'true', 'arrows wrap around');
		await page.keyboard.press('Home');
		assert.equal(await basic.getAttribute('aria-selected'), 'true');
		await page.keyboard.press('End');
		assert.equal(await card.getByRole('tab', { name: '历史' }).getAttribute('aria-selected'), 'true');
		await page.keyboard.press('Home');
		assert.equal(await basic.getAttribute('aria-selected'), 'true');

		await page.keyboard.press('Escape');
		await card.waitFor({ state: 'hidden' });
		assert.equal(await page.evaluate(() => document.activeElement.textContent), contact.name);
	});
});

test('edit and save: the same checks as create, the change is shown and is still there after a reload', async () => {
	await withPage('edit', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		await login(page, DEMO.zhangwei);
		const contact = await createContact(page, { name: `郑洁${suffix}`, company: `星河贸易${suffix}`, title: '专员', tags: ['旧'] });
		await showContacts(page);
		const card = await openLargeCard(page, contact);
		await card.getByRole('button', { name: '编辑' }).click();
		const form = card.locator('#ec-edit-form');
		await form.waitFor();
		assert.equal(await form.getByLabel('姓名').inputValue(), contact.name);
		assert.equal(await form.getByLabel('标签').inputValue(), '旧');

		// validate.js refuses a bad email before anything is sent.
		await form.getByLabel('邮箱').fill('not-an-email');
		await form.getByRole('button', { name: '保存修改' }).click();
		await page.locator('#ec-edit-email-error').filter({ hasText: '邮箱格式不正确' }).waitFor();
		assert.equal(await page.evaluate(() => document.activeElement.id), 'ec-edit-email');
		assert.equal((await pluginApi(page, 'GET', `/contacts/${contact.id}`)).json.version, contact.version);

		await form.getByLabel('邮箱').fill(`zhengjie.${suffix}@example.com`);
		await form.getByLabel('职务').fill('销售总监');
		await form.getByLabel('备注').fill('第二次拜访\n已签约');
		await form.getByLabel('标签').fill('');
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith(`${API}/contacts/${contact.id}`) && r.request().method() === 'PATCH'),
			form.getByRole('button', { name: '保存修改' }).click(),
		]);
		assert.equal(response.status(), 200);
		const sent = JSON.parse(response.request().postData());
		assert.deepEqual(sent, { version: contact.version, email: `zhengjie.${suffix}@example.com`, title: '销售总监', remark: '第二次拜访\n已签约', tags: [] }, 'only the changed fields and the version');
		await card.locator('.ec-card-notice', { hasText: '已保存修改' }).waitFor();
		const panel = card.getByRole('tabpanel', { name: '基本信息' });
		assert.match(await panel.innerText(), /销售总监/);
		await card.getByRole('button', { name: '关闭' }).click();
		await card.waitFor({ state: 'hidden' });
		await row(page, contact.id).filter({ hasText: '销售总监' }).waitFor();

		await showContacts(page);
		const again = await openLargeCard(page, contact);
		const text = await again.getByRole('tabpanel', { name: '基本信息' }).innerText();
		assert.ok(text.includes('销售总监') && text.includes('第二次拜访\n已签约') && text.includes(`zhengjie.${suffix}@example.com`), text);
		assert.ok(!text.includes('旧'), 'the cleared tag is gone');

		// 历史: who changed what, before and after.
		await again.getByRole('tab', { name: '历史' }).click();
		const history = again.getByRole('tabpanel', { name: '历史' });
		const update = history.locator('.ec-history-entry[data-action="contact.update"]');
		await update.waitFor();
		assert.match(await update.locator('.ec-history-head').innerText(), /张伟\s*修改了基本信息/);
		const titleChange = update.locator('tr[data-field="title"]');
		assert.equal(await titleChange.locator('.ec-history-before').innerText(), '专员');
		assert.equal(await titleChange.locator('.ec-history-after').innerText(), '销售总监');
		assert.equal(await update.locator('tr[data-field="tags"] .ec-history-before').innerText(), '旧');
		await history.locator('.ec-history-entry[data-action="contact.create"]').waitFor();
		await screenshot(page, 'cards-history');
		const stored = (await pluginApi(page, 'GET', `/contacts/${contact.id}`)).json;
		assert.equal(stored.version, contact.version + 1);
		assert.deepEqual(stored.tags, []);
	});
});

test('conflict: the second of two people editing the same contact is told, nothing is overwritten', async () => {
	const suffix = randomBytes(3).toString('hex');
	await withPage('conflict-first', async (first) => {
		await login(first, DEMO.zhangwei);
		const contact = await createContact(first, { name: `冯涛${suffix}`, company: `青松咨询${suffix}`, title: '顾问' });
		await showContacts(first);
		await withPage('conflict-second', async (second) => {
			// wangfang holds external_contacts.maintain and may edit every contact of the org.
			await login(second, DEMO.wangfang);
			await showContacts(second);
			await second.locator('#ec-scope').selectOption('all');
			await second.locator('.ec-list[aria-busy]').waitFor({ state: 'detached' });
			await row(second, contact.id).waitFor();

			const cardA = await openLargeCard(first, contact);
			await cardA.getByRole('button', { name: '编辑' }).click();
			const cardB = await openLargeCard(second, contact);
			await cardB.getByRole('button', { name: '编辑' }).click();

			await cardA.getByLabel('职务').fill('高级顾问');
			await cardA.getByRole('button', { name: '保存修改' }).click();
			await cardA.locator('.ec-card-notice', { hasText: '已保存修改' }).waitFor();

			await cardB.getByLabel('职务').fill('合伙人');
			await cardB.getByRole('button', { name: '保存修改' }).click();
			const conflict = cardB.locator('.ec-conflict');
			await conflict.getByText('该联系人已被他人修改').waitFor();
			const line = conflict.locator('tr[data-field="title"]');
			assert.equal(await line.locator('.ec-conflict-current').innerText(), '高级顾问');
			assert.equal(await line.locator('.ec-conflict-mine').innerText(), '合伙人');
			assert.equal(await second.evaluate(() => document.activeElement.id), 'ec-conflict-reload');
			await screenshot(second, 'cards-conflict');

			const stored = (await pluginApi(second, 'GET', `/contacts/${contact.id}`)).json;
			assert.equal(stored.title, '高级顾问', 'nothing overwritten');
			assert.equal(stored.version, contact.version + 1);

			await conflict.getByRole('button', { name: '载入最新内容' }).click();
			assert.equal(await cardB.getByLabel('职务').inputValue(), '高级顾问');
			await conflict.waitFor({ state: 'hidden' });

			// Keeping one's own change is a choice made knowingly, then saved again.
			await cardB.getByLabel('职务').fill('合伙人');
			await cardB.getByRole('button', { name: '保存修改' }).click();
			await cardB.locator('.ec-card-notice', { hasText: '已保存修改' }).waitFor();
			assert.equal((await pluginApi(second, 'GET', `/contacts/${contact.id}`)).json.title, '合伙人');
		});
	});
});

test('delete asks for confirmation; then the contact leaves the list and answers 404', async () => {
	await withPage('delete', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		await login(page, DEMO.zhangwei);
		const contact = await createContact(page, { name: `秦朗${suffix}`, company: `北辰能源${suffix}` });
		await showContacts(page);
		const card = await openLargeCard(page, contact);
		await card.getByRole('button', { name: '删除' }).click();
		const confirm = page.getByRole('alertdialog', { name: '删除外部联系人' });
		await confirm.waitFor();
		assert.match(await confirm.innerText(), new RegExp(`确定删除 ${contact.name}`));
		await screenshot(page, 'cards-delete-confirm');
		await confirm.getByRole('button', { name: '取消' }).click();
		await confirm.waitFor({ state: 'hidden' });
		assert.equal(await page.evaluate(() => document.activeElement.id), 'ec-card-delete');
		assert.equal((await pluginApi(page, 'GET', `/contacts/${contact.id}`)).status, 200, 'cancel deletes nothing');

		await card.getByRole('button', { name: '删除' }).click();
		await confirm.getByRole('button', { name: '删除' }).click();
		await card.waitFor({ state: 'hidden' });
		await row(page, contact.id).waitFor({ state: 'detached' });
		await page.getByText(`已删除外部联系人 ${contact.name}`).waitFor();
		assert.equal((await pluginApi(page, 'GET', `/contacts/${contact.id}`)).status, 404);
		assert.equal(await page.locator(`section.ec-group[data-group="${contact.company}"]`).count(), 0);
	});
});

test('en: the cards speak English', async () => {
	await runPage(browser, host, 'cards-en', async (page) => {
		await login(page, DEMO.zhangwei);
		const suffix = randomBytes(3).toString('hex');
		const contact = await createContact(page, { name: `Li ${suffix}`, company: `Acme ${suffix}` });
		await showContactsInEnglish(page);
		await row(page, contact.id).getByRole('button', { name: contact.name, exact: true }).click();
		await page.locator('#ec-popover').getByRole('button', { name: 'View details' }).click();
		const card = page.getByRole('dialog', { name: contact.name });
		await card.getByRole('tab', { name: 'Basic info' }).waitFor();
		await card.getByRole('tab', { name: 'Permissions' }).waitFor();
		await card.getByRole('tab', { name: 'Sharing' }).waitFor();
		await card.getByRole('tab', { name: 'Account' }).click();
		assert.match(await card.getByRole('tabpanel', { name: 'Account' }).innerText(), /No account yet/);
	});
});

async function memberId(login, password) {
	const client = await loggedIn(host.baseUrl, login, password);
	const me = await client.get('/api/me');
	assert.equal(me.status, 200);
	return me.json.user.id;
}

test('share with lina: she then sees the contact after logging in, without edit rights; taken off the list she loses it', async () => {
	const suffix = randomBytes(3).toString('hex');
	const linaId = await memberId('lina', DEMO.lina.password);
	let contact;
	await withPage('share-owner', async (page) => {
		await login(page, DEMO.zhangwei);
		contact = await createContact(page, { name: `韩梅${suffix}`, company: `东方航运${suffix}`, mobile: '13700007777' });
		await showContacts(page);
		const card = await openLargeCard(page, contact);
		await card.getByRole('tab', { name: '共享' }).click();
		const panel = card.getByRole('tabpanel', { name: '共享' });
		assert.match(await panel.innerText(), /暂无/);
		const combo = panel.getByRole('combobox', { name: '添加内部人员' });
		await combo.fill('不存在的人');
		await panel.locator('.ec-picker-empty', { hasText: '没有匹配的成员' }).waitFor();
		await combo.press('Enter');
		await panel.locator('#ec-share-pick-error', { hasText: '没有匹配的成员' }).waitFor();
		await combo.fill('lina');
		await panel.getByRole('option', { name: /李娜/ }).waitFor();
		await combo.press('ArrowDown');
		await combo.press('Enter');
		await card.locator('.ec-card-notice', { hasText: '已共享给 李娜' }).waitFor();
		await panel.locator(`#ec-share-members .ec-member[data-id="${linaId}"]`, { hasText: '李娜' }).waitFor();
		assert.equal(await page.evaluate(() => document.activeElement.id), 'ec-share-pick-input');
		await screenshot(page, 'cards-shared');
		const shares = await pluginApi(page, 'GET', `/contacts/${contact.id}/shares`);
		assert.deepEqual(shares.json.members.map((m) => m.id), [linaId]);
	});
	await withPage('share-lina', async (page) => {
		await login(page, DEMO.lina);
		await showContacts(page);
		const name = row(page, contact.id).getByRole('button', { name: contact.name, exact: true });
		await name.click();
		const popover = page.locator('#ec-popover');
		await popover.getByRole('button', { name: '查看详情' }).waitFor();
		await page.locator('#ec-popover[data-edit-rights="no"]').waitFor();
		assert.equal(await popover.getByRole('button', { name: '编辑' }).count(), 0, 'a shared-with member may not edit');
		await popover.getByRole('button', { name: '查看详情' }).click();
		const card = page.getByRole('dialog', { name: contact.name });
		await card.getByRole('tabpanel', { name: '基本信息' }).getByText('13700007777').waitFor();
		assert.equal(await card.getByRole('tab', { name: '账号信息' }).count(), 0, 'R8: no 账号信息 tab for a shared-with member');
		assert.equal(await card.getByRole('tab', { name: '历史' }).count(), 0, 'the history route answers 403: no 历史 tab');
		assert.equal(await card.getByRole('button', { name: '编辑' }).count(), 0);
		assert.equal(await card.getByRole('button', { name: '删除' }).count(), 0);
		assert.ok(!/null|undefined/.test(await card.innerText()));
		await card.getByRole('tab', { name: '共享' }).click();
		assert.equal(await card.getByLabel('添加内部人员').count(), 0, 'she sees the list but may not change it');
	});
	await withPage('share-remove', async (page) => {
		await login(page, DEMO.zhangwei);
		await showContacts(page);
		const card = await openLargeCard(page, contact);
		await card.getByRole('tab', { name: '共享' }).click();
		await card.getByRole('button', { name: '移除 李娜' }).click();
		await card.locator('.ec-card-notice', { hasText: '已取消共享给 李娜' }).waitFor();
		await card.locator('#ec-share-members .ec-member').waitFor({ state: 'detached' });
		assert.match(await card.locator('#ec-share-members').innerText(), /暂无/);
	});
	await withPage('share-lina-gone', async (page) => {
		await login(page, DEMO.lina);
		await showContacts(page);
		assert.equal(await row(page, contact.id).count(), 0);
		assert.equal((await pluginApi(page, 'GET', `/contacts/${contact.id}`)).status, 404);
	});
});

test('permission settings: visible members and security level with localized errors, saved and reloaded', async () => {
	await withPage('permissions', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		const linaId = await memberId('lina', DEMO.lina.password);
		await login(page, DEMO.zhangwei);
		const contact = await createContact(page, { name: `魏东${suffix}`, company: `南方电子${suffix}` });
		await showContacts(page);
		let card = await openLargeCard(page, contact);
		await card.getByRole('tab', { name: '权限设置' }).click();
		let panel = card.getByRole('tabpanel', { name: '权限设置' });
		await panel.locator('#ec-perm-members .ec-member', { hasText: '张伟' }).waitFor();
		assert.equal(await panel.getByLabel('安全级别').inputValue(), '0');

		// Out of range: refused in the page, nothing sent.
		for (const value of ['1', '-1000']) {
			await panel.getByLabel('安全级别').fill(value);
			await panel.getByRole('button', { name: '保存权限设置' }).click();
			await panel.locator('#ec-perm-level-error', { hasText: '安全级别必须是范围 -999 至 0 的整数' }).waitFor();
			assert.equal(await panel.getByLabel('安全级别').getAttribute('aria-invalid'), 'true');
			assert.equal(await page.evaluate(() => document.activeElement.id), 'ec-perm-level');
		}
		// The server refuses it too (the request is rewritten past the page's check).
		const url = `**${API}/contacts/${contact.id}/permissions`;
		const rewrite = (route) => (route.request().method() === 'PUT'
			? route.continue({ postData: JSON.stringify({ ...JSON.parse(route.request().postData()), securityLevel: 3 }) })
			: route.fallback());
		await page.route(url, rewrite);
		await panel.getByLabel('安全级别').fill('-5');
		const [refused] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith(`/contacts/${contact.id}/permissions`) && r.request().method() === 'PUT'),
			panel.getByRole('button', { name: '保存权限设置' }).click(),
		]);
		await page.unroute(url, rewrite);
		assert.equal(refused.status(), 400);
		assert.equal((await refused.json()).error.field, 'securityLevel');
		await panel.locator('#ec-perm-level-error', { hasText: '安全级别必须是范围 -999 至 0 的整数' }).waitFor();
		assert.ok(!(await panel.innerText()).includes((await refused.json()).error.message));

		const combo = panel.getByRole('combobox', { name: '添加内部人员' });
		await combo.fill('李娜');
		await panel.getByRole('option', { name: /李娜/ }).click();
		await panel.locator(`#ec-perm-members .ec-member[data-id="${linaId}"]`).waitFor();
		await panel.getByLabel('安全级别').fill('-5');
		await panel.getByRole('button', { name: '保存权限设置' }).click();
		await card.locator('.ec-card-notice', { hasText: '已保存权限设置' }).waitFor();
		await panel.locator('#ec-perm-members .ec-member', { hasText: '李娜' }).waitFor();
		await screenshot(page, 'cards-permissions');

		// The edit that follows starts from the new version: no false conflict.
		await card.getByRole('tab', { name: '基本信息' }).click();
		await card.getByRole('button', { name: '编辑' }).click();
		await card.getByLabel('职务').fill('工程师');
		await card.getByRole('button', { name: '保存修改' }).click();
		await card.locator('.ec-card-notice', { hasText: '已保存修改' }).waitFor();

		await showContacts(page);
		card = await openLargeCard(page, contact);
		await card.getByRole('tab', { name: '权限设置' }).click();
		panel = card.getByRole('tabpanel', { name: '权限设置' });
		await panel.locator('#ec-perm-members .ec-member', { hasText: '李娜' }).waitFor();
		assert.deepEqual(await panel.locator('#ec-perm-members .ec-member-name').allInnerTexts(), ['张伟', '李娜']);
		assert.equal(await panel.getByLabel('安全级别').inputValue(), '-5');
		const stored = (await pluginApi(page, 'GET', `/contacts/${contact.id}/permissions`)).json;
		assert.equal(stored.securityLevel, -5);
		assert.deepEqual(stored.visibleMembers.map((m) => m.displayName), ['张伟', '李娜']);

		// Taking someone off the list is saved as well.
		await panel.getByRole('button', { name: '移除 李娜' }).click();
		await panel.getByRole('button', { name: '保存权限设置' }).click();
		await card.locator('.ec-card-notice', { hasText: '已保存权限设置' }).waitFor();
		assert.deepEqual((await pluginApi(page, 'GET', `/contacts/${contact.id}/permissions`)).json.visibleMembers.map((m) => m.id).includes(linaId), false);
	});
});

test('历史 pages through the entries with 加载更多', async () => {
	await withPage('history-paging', async (page) => {
		const suffix = randomBytes(3).toString('hex');
		await login(page, DEMO.zhangwei);
		let contact = await createContact(page, { name: `陶然${suffix}`, company: `西岭茶业${suffix}` });
		for (let i = 1; i <= 22; i += 1) {
			const answer = await pluginApi(page, 'PATCH', `/contacts/${contact.id}`, { version: contact.version, title: `职务${i}` });
			assert.equal(answer.status, 200, JSON.stringify(answer.json));
			contact = answer.json;
		}
		await showContacts(page);
		const card = await openLargeCard(page, contact);
		await card.getByRole('tab', { name: '历史' }).click();
		const history = card.getByRole('tabpanel', { name: '历史' });
		const entries = history.locator('.ec-history-entry');
		await entries.first().waitFor();
		assert.equal(await entries.count(), 20);
		assert.equal(await entries.first().locator('tr[data-field="title"] .ec-history-after').innerText(), '职务22', 'newest first');
		await history.getByRole('button', { name: '加载更多' }).click();
		await entries.nth(22).waitFor();
		assert.equal(await entries.count(), 23);
		assert.equal(await entries.last().getAttribute('data-action'), 'contact.create');
		assert.equal(await history.getByRole('button', { name: '加载更多' }).count(), 0);
	});
});

test('duplicate warning on create and edit: visible matches open their card, hidden ones are only counted, 仍然保存 saves', async () => {
	const suffix = randomBytes(3).toString('hex');
	const mobile = `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
	const linaClient = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	const hidden = await linaClient.post(`${API}/contacts`, { name: `隐藏${suffix}`, mobile });
	assert.equal(hidden.status, 201, hidden.text);
	await withPage('duplicate', async (page) => {
		await login(page, DEMO.zhangwei);
		const first = await pluginApi(page, 'POST', '/contacts', { name: `卢平${suffix}`, company: `重复测试${suffix}`, mobile, confirmDuplicate: true });
		assert.equal(first.status, 201, JSON.stringify(first.json));
		const existing = first.json;
		const other = await createContact(page, { name: `蒋凡${suffix}`, company: `重复测试${suffix}` });
		await showContacts(page);

		// Create: the warning names the visible match and counts lina's contact without naming it.
		await page.getByRole('button', { name: '新建', exact: true }).click();
		await page.getByRole('menuitem', { name: '新建', exact: true }).click();
		const dialog = page.getByRole('dialog', { name: '新建外部联系人' });
		const name = `卢平二号${suffix}`;
		await dialog.getByLabel('姓名').fill(name);
		await dialog.getByLabel('手机').fill(mobile);
		await dialog.getByLabel('公司').fill(`重复测试${suffix}`);
		await dialog.getByRole('button', { name: '保存' }).click();
		const warning = dialog.locator('#ec-create-duplicate');
		await warning.getByText('本组织已有手机号相同的外部联系人').waitFor();
		assert.match(await warning.innerText(), /以及 1 位你无权查看的联系人/);
		assert.ok(!(await warning.innerText()).includes(`隐藏${suffix}`), 'the hidden contact is not named');
		assert.equal(await page.evaluate(() => document.activeElement.textContent), '仍然保存');
		assert.equal((await pluginApi(page, 'GET', `/contacts?q=${encodeURIComponent(name)}`)).json.items.length, 0, 'nothing written yet');
		await screenshot(page, 'cards-duplicate-create');

		// The link opens the existing contact's card; closing it returns to the warning.
		const link = warning.getByRole('link', { name: existing.name });
		await link.click();
		const card = page.getByRole('dialog', { name: existing.name });
		await card.getByRole('tabpanel', { name: '基本信息' }).getByText(mobile).waitFor();
		await page.keyboard.press('Escape');
		await card.waitFor({ state: 'hidden' });
		assert.ok(await dialog.isVisible(), 'the create form is still open');
		assert.equal(await page.evaluate(() => document.activeElement.textContent), existing.name);

		const [response] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith(`${API}/contacts`) && r.request().method() === 'POST'),
			warning.getByRole('button', { name: '仍然保存' }).click(),
		]);
		assert.equal(response.status(), 201);
		assert.equal(JSON.parse(response.request().postData()).confirmDuplicate, true);
		await dialog.waitFor({ state: 'hidden' });
		await page.locator('.ec-contact', { hasText: name }).waitFor();

		// Edit: giving another contact the same mobile warns as well.
		const edit = await openLargeCard(page, other);
		await edit.getByRole('button', { name: '编辑' }).click();
		await edit.getByLabel('手机').fill(mobile);
		await edit.getByRole('button', { name: '保存修改' }).click();
		const editWarning = edit.locator('#ec-edit-duplicate');
		await editWarning.getByText('本组织已有手机号相同的外部联系人').waitFor();
		assert.equal(await editWarning.getByRole('link').count(), 2, 'both visible matches');
		assert.match(await editWarning.innerText(), /以及 1 位你无权查看的联系人/);
		assert.equal((await pluginApi(page, 'GET', `/contacts/${other.id}`)).json.mobile, null, 'nothing written yet');
		await editWarning.getByRole('button', { name: '返回修改' }).click();
		assert.equal(await page.evaluate(() => document.activeElement.id), 'ec-edit-mobile');
		await edit.getByRole('button', { name: '保存修改' }).click();
		await editWarning.getByRole('button', { name: '仍然保存' }).click();
		await edit.locator('.ec-card-notice', { hasText: '已保存修改' }).waitFor();
		assert.equal((await pluginApi(page, 'GET', `/contacts/${other.id}`)).json.mobile, mobile);
	});
});
