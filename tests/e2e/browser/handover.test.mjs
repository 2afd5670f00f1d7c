// Browser test of the hand-over (R9) as the new holder sees it: after the
// admin removed a member, the maintainer of the group finds the contact
// under 我的 and its 历史 tab says who handed it over from whom to whom,
// naming the member who left.
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

test('the new holder sees the handed-over contact and its 历史 entry naming the member who left', async () => {
	const suffix = randomBytes(3).toString('hex');
	const leaverName = `离职者${suffix}`;
	const created = await host.cli(['user', 'create', `--login=leaver${suffix}`, `--name=${leaverName}`, '--org=1', '--password-stdin'],
		{ input: 'Leaver-Pass-2026!\n' });
	assert.equal(created.code, 0, created.stderr);
	const leaver = await loggedIn(host.baseUrl, `leaver${suffix}`, 'Leaver-Pass-2026!');
	const admin = await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password);
	const lina = await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password);
	const group = `转交公司${suffix}`;
	const contact = await leaver.post(`${API}/contacts`, { name: `转交${suffix}`, company: group });
	assert.equal(contact.status, 201, contact.text);
	assert.equal((await admin.put(`${API}/admin/group-maintainers`, { group, maintainers: [lina.me.user.id] })).status, 200);
	assert.equal((await admin.del(`/api/admin/members/${leaver.me.user.id}`)).status, 204);

	await runPage(browser, host, 'handover-history', async (page) => {
		await login(page, host, DEMO.lina);
		await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '外部互联' }).click();
		await page.getByRole('heading', { level: 1, name: '外部互联' }).waitFor();
		await page.locator('.ec-list[aria-busy]').waitFor({ state: 'detached' });
		const row = page.locator(`.ec-contact[data-id="${contact.json.id}"]`);
		await row.waitFor();
		await row.getByRole('button', { name: contact.json.name, exact: true }).click();
		await page.locator('#ec-popover').getByRole('button', { name: '查看详情' }).click();
		const card = page.getByRole('dialog', { name: contact.json.name });
		await card.getByRole('tab', { name: '历史' }).click();
		const entry = card.getByRole('tabpanel', { name: '历史' }).locator('.ec-history-entry').first();
		await entry.waitFor();
		assert.equal(await entry.getAttribute('data-action'), 'contact.handover');
		assert.equal(await entry.locator('.ec-history-action').innerText(), '因添加人离开组织，转交了联系人');
		assert.equal(await entry.locator('.ec-history-actor').innerText(), admin.me.user.displayName);
		const adder = entry.locator('tr[data-field="addedBy"]');
		assert.equal(await adder.locator('.ec-history-before').innerText(), leaverName);
		assert.equal(await adder.locator('.ec-history-after').innerText(), lina.me.user.displayName);
		await screenshot(page, 'handover-history');
	});
});
