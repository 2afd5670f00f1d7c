// Browser test of who is offered 编辑 on the small card (R6.2, R8): the adder,
// admins, maintain-holders and the maintainers of the contact's group — not a
// member the contact is only shared with. A group maintainer (set by the admin
// through PUT /admin/group-maintainers) finds their groups' contacts through
// the scope switch, which the page offers them once the server lets them list
// scope=all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';
import { showContacts } from '../lib/contacts-ui.mjs';

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


const row = (page, contact) => page.locator(`.ec-contact[data-id="${contact.id}"]`);

/** Opens the contact's small card and waits until it knows whether to offer 编辑. */
async function smallCard(page, contact) {
	await row(page, contact).getByRole('button', { name: contact.name, exact: true }).click();
	const popover = page.locator('#ec-popover');
	await popover.getByRole('button', { name: '查看详情' }).waitFor();
	await page.locator('#ec-popover:is([data-edit-rights="yes"], [data-edit-rights="no"])').waitFor();
	return popover;
}

test('small card: a group maintainer is offered 编辑 on their group\'s contact, a shared-with member is not', async () => {
	const suffix = randomBytes(3).toString('hex');
	const group = `维护组${suffix}`;
	const zhang = await loggedIn(host.baseUrl, 'zhangwei', DEMO.zhangwei.password);
	const admin = await loggedIn(host.baseUrl, 'admin', DEMO.admin.password);
	const lina = await loggedIn(host.baseUrl, 'lina', DEMO.lina.password);
	const linaId = lina.me.user.id;
	const maintained = (await zhang.post(`${API}/contacts`, { name: `郑航${suffix}`, company: group, title: '经理' })).json;
	const shared = (await zhang.post(`${API}/contacts`, { name: `冯雪${suffix}`, company: `共享组${suffix}` })).json;
	assert.equal((await zhang.put(`${API}/contacts/${shared.id}/shares`, { members: [linaId] })).status, 200);

	// Before she maintains anything: no scope switch, the shared contact without 编辑.
	await withPage('rights-before', async (page) => {
		await loginPage(page, host, DEMO.lina);
		await showContacts(page, { reload: false });
		assert.equal(await page.locator('#ec-scope').isVisible(), false, 'no scope switch for a plain member');
		const popover = await smallCard(page, shared);
		assert.equal(await popover.getByRole('button', { name: '编辑' }).count(), 0);
	});

	const set = await admin.put(`${API}/admin/group-maintainers`, { group, maintainers: [linaId] });
	assert.equal(set.status, 200, set.text);

	await withPage('rights-maintainer', async (page) => {
		await loginPage(page, host, DEMO.lina);
		await showContacts(page, { reload: false });
		// 我的: only the contact shared with her, and no 编辑 on it.
		assert.equal(await row(page, maintained).count(), 0);
		let popover = await smallCard(page, shared);
		assert.equal(await popover.getAttribute('data-edit-rights'), 'no');
		assert.equal(await popover.getByRole('button', { name: '编辑' }).count(), 0, 'a shared-with member may not edit');
		await page.keyboard.press('Escape');

		// Her groups through the scope switch: 编辑 on the small card.
		const scope = page.getByLabel('范围');
		await scope.waitFor();
		assert.deepEqual(await scope.locator('option').allInnerTexts(), ['我的外部联系人', '我维护的分组的外部联系人']);
		await scope.selectOption('all');
		await row(page, maintained).waitFor();
		await page.locator('.ec-list[aria-busy]').waitFor({ state: 'detached' });
		assert.equal(await row(page, shared).count(), 0, 'scope all of a maintainer is their groups only');
		popover = await smallCard(page, maintained);
		assert.equal(await popover.getAttribute('data-edit-rights'), 'yes');
		const edit = popover.getByRole('button', { name: '编辑' });
		await edit.waitFor();
		await screenshot(page, 'rights-maintainer-small-card');

		// 编辑 opens the large card straight in the edit form; the change is saved.
		await edit.click();
		const card = page.getByRole('dialog', { name: maintained.name });
		await card.locator('#ec-edit-form').waitFor();
		await card.getByLabel('职务').fill('总经理');
		await card.getByRole('button', { name: '保存修改' }).click();
		await card.locator('.ec-card-notice', { hasText: '已保存修改' }).waitFor();
		const stored = await lina.get(`${API}/contacts/${maintained.id}`);
		assert.equal(stored.json.title, '总经理');
	});

	// The adder sees 编辑 at once, from what ctx.me tells.
	await withPage('rights-adder', async (page) => {
		await loginPage(page, host, DEMO.zhangwei);
		await showContacts(page, { reload: false });
		const popover = await smallCard(page, shared);
		assert.equal(await popover.getAttribute('data-edit-rights'), 'yes');
		await popover.getByRole('button', { name: '编辑' }).waitFor();
	});

	// Taken off the maintainers, she loses the scope switch and the group's contact.
	assert.equal((await admin.put(`${API}/admin/group-maintainers`, { group, maintainers: [] })).status, 200);
	await withPage('rights-after', async (page) => {
		await loginPage(page, host, DEMO.lina);
		await showContacts(page, { reload: false });
		assert.equal(await page.locator('#ec-scope').isVisible(), false);
		assert.equal(await row(page, maintained).count(), 0);
	});
});
