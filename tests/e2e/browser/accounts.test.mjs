// Browser test of the 账号信息 tab of the large contact card (SPEC R3, R6.4, R8),
// the whole path: the adder applies with a remark, a maintain-holder approves
// from the notification bell, the adder gets the one-time activation link, the
// contact activates the account in a fresh browser and signs in as an external
// user. Also: a rejection from the tab with a reason, applying again, the 409s
// (already pending, already handled by someone else), and no tab for a member
// the contact is only shared with.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';
import { API, pluginApi, searchContacts, showContacts, showContactsInEnglish } from '../lib/contacts-ui.mjs';

const PASSWORD = 'Tq8#vLm2!pZr';

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

async function login(page, user) {
	await loginPage(page, host, user);
	await page.getByRole('navigation', { name: '主导航' }).waitFor();
}

const row = (page, id) => page.locator(`.ec-contact[data-id="${id}"]`);

/** Opens the large card from the contact's row and selects 账号信息 once it has loaded. */
async function openAccountTab(page, contact) {
	await row(page, contact.id).getByRole('button', { name: contact.name, exact: true }).click();
	await page.locator('#ec-popover').getByRole('button', { name: '查看详情' }).click();
	const card = page.getByRole('dialog', { name: contact.name });
	await card.getByRole('tabpanel', { name: '基本信息' }).getByText(contact.email || contact.name).first().waitFor();
	await card.getByRole('tab', { name: '账号信息' }).click();
	const panel = card.getByRole('tabpanel', { name: '账号信息' });
	await panel.locator('#ec-acct-title').waitFor();
	return { card, panel };
}

async function closeCard(card) {
	await card.getByRole('button', { name: '关闭' }).click();
	await card.waitFor({ state: 'hidden' });
}

const focusedId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);
const tokenOf = (link) => link.match(/#\/activate\/([0-9a-f]{64})$/)[1];

async function linkState(token) {
	const response = await fetch(`${host.baseUrl}/api/activation/check`, {
		method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ token }),
	});
	return { status: response.status, json: await response.json().catch(() => null) };
}

test('apply from the tab, approve from the bell, copy the one-time link; the contact activates and signs in as an external user', async () => {
	const suffix = randomBytes(3).toString('hex');
	const remark = `项目合作需要登录协同平台\n第二期 ${suffix}`;
	let contact;
	let link;
	let externalLogin;
	await withPage('accounts-apply', async (page) => {
		await login(page, DEMO.zhangwei);
		const created = await pluginApi(page, 'POST', '/contacts', { name: `开通${suffix}`, company: `账号公司${suffix}`, email: `ext.${suffix}@example.com` });
		assert.equal(created.status, 201, JSON.stringify(created.json));
		contact = created.json;
		await showContacts(page);
		let { card, panel } = await openAccountTab(page, contact);
		await panel.locator('#ec-acct-none', { hasText: '暂未开通账号' }).waitFor();
		assert.match(await panel.innerText(), /暂无已处理的申请/);
		const apply = panel.getByRole('button', { name: '申请开通' });

		// The dialog: focus in the remark, a live count, Escape closes it and focus returns.
		await apply.click();
		const dialog = page.getByRole('dialog', { name: '申请开通账号' });
		await dialog.waitFor();
		assert.equal(await focusedId(page), 'ec-apply-remark');
		assert.match(await dialog.innerText(), new RegExp(`为 ${contact.name} 申请开通外部账号`));
		const remarkInput = dialog.getByLabel('备注（选填）');
		const count = dialog.locator('#ec-apply-remark-count');
		assert.equal(await count.innerText(), '0/500 字');
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });
		assert.equal(await focusedId(page), 'ec-acct-apply', 'focus is back on 申请开通');
		assert.equal(await card.isVisible(), true, 'Escape closed only the application dialog');

		// Over 500 characters is refused next to the field, nothing is sent.
		let posts = 0;
		page.on('request', (request) => {
			if (request.method() === 'POST' && request.url().endsWith(`${API}/contacts/${contact.id}/applications`)) posts += 1;
		});
		await apply.click();
		await dialog.waitFor();
		await remarkInput.fill('长'.repeat(501));
		assert.equal(await count.innerText(), '501/500 字');
		await dialog.getByRole('button', { name: '提交' }).click();
		await dialog.locator('#ec-apply-remark-error', { hasText: '不能超过 500 个字符' }).waitFor();
		assert.equal(await remarkInput.getAttribute('aria-invalid'), 'true');
		assert.equal(await dialog.locator('#ec-apply-error').innerText(), '请修改标出的内容后再提交。');
		assert.equal(await dialog.locator('#ec-apply-error').getAttribute('role'), 'alert');
		assert.equal(posts, 0);

		await remarkInput.fill(remark);
		assert.equal(await count.innerText(), `${[...remark].length}/500 字`);
		assert.equal(await remarkInput.getAttribute('aria-invalid'), null, 'the error goes once the text fits');
		assert.equal(await dialog.locator('#ec-apply-error').innerText(), '');
		await screenshot(page, 'accounts-apply-dialog');
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith(`${API}/contacts/${contact.id}/applications`) && r.request().method() === 'POST'),
			dialog.getByRole('button', { name: '提交' }).click(),
		]);
		assert.equal(response.status(), 201);
		assert.deepEqual(JSON.parse(response.request().postData()), { remark });
		await dialog.waitFor({ state: 'hidden' });
		await card.locator('.ec-card-notice', { hasText: '已提交开通申请，等待审批' }).waitFor();
		const pending = panel.locator('#ec-acct-pending');
		await pending.waitFor();
		assert.equal(await focusedId(page), 'ec-acct-pending-title');
		assert.equal(await pending.locator('.ec-acct-applicant').innerText(), '张伟');
		assert.equal(await pending.locator('.ec-acct-remark').innerText(), remark);
		assert.match(await pending.innerText(), /待审批/);
		assert.match(await pending.innerText(), /等待审批人/, 'the adder is no approver: no 同意 / 驳回');
		assert.equal(await panel.getByRole('button', { name: '同意' }).count(), 0);
		assert.equal(await apply.count(), 0, 'a second application is not offered');
		assert.doesNotMatch(await panel.innerText(), /null|undefined/);
		await screenshot(page, 'accounts-pending');

		// The server refuses a second one too.
		const again = await pluginApi(page, 'POST', `/contacts/${contact.id}/applications`, { remark: '再来一次' });
		assert.equal(again.status, 409, JSON.stringify(again.json));
		assert.equal(again.json.error.code, 'application_pending');
		await closeCard(card);

		// wangfang holds external_contacts.maintain: the bell brings the application, 同意 decides it.
		await withPage('accounts-approve-bell', async (approver) => {
			await login(approver, DEMO.wangfang);
			await approver.locator('#rh-bell').click();
			const panelBell = approver.locator('#rh-notif-panel');
			const item = panelBell.locator('.rh-notif', { hasText: contact.name }).filter({ hasText: '外部联系人账号开通申请' });
			await item.waitFor();
			assert.match(await item.innerText(), new RegExp(`张伟 申请为外部联系人 ${contact.name} 开通账号`));
			await screenshot(approver, 'accounts-bell');
			const [decision] = await Promise.all([
				approver.waitForResponse((r) => /\/api\/notifications\/[^/]+\/actions\/approve$/.test(new URL(r.url()).pathname)),
				item.getByRole('button', { name: '同意' }).click(),
			]);
			assert.equal(decision.status(), 200, await decision.text());
			await panelBell.locator('.rh-notif', { hasText: contact.name }).filter({ hasText: '外部联系人账号开通申请' })
				.locator('.rh-tag', { hasText: '已处理' }).waitFor();
		});

		// Back with the adder: the account waits for activation and the decision is listed.
		await showContacts(page);
		({ card, panel } = await openAccountTab(page, contact));
		await panel.locator('#ec-acct-status', { hasText: '待激活' }).waitFor();
		externalLogin = await panel.locator('#ec-acct-login').innerText();
		assert.match(externalLogin, new RegExp(`^ext\\.${suffix}`), `the login comes from the email: ${externalLogin}`);
		assert.equal(await panel.locator('#ec-acct-pending').count(), 0);
		const decided = panel.locator('.ec-acct-application[data-status="approved"]');
		assert.equal(await decided.count(), 1);
		assert.match(await decided.innerText(), /已同意/);
		assert.match(await decided.innerText(), /王芳 同意/);
		assert.match(await decided.innerText(), /张伟 申请/);
		assert.equal(await decided.locator('.ec-acct-remark').innerText(), `备注：${remark}`);
		assert.equal(await panel.getByRole('button', { name: '申请开通' }).count(), 0);

		// 获取激活链接: the full link, read-only, with 复制, once-only and expiry noted.
		await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.baseUrl });
		const [linkResponse] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith(`${API}/contacts/${contact.id}/account/activation-link`)),
			panel.getByRole('button', { name: '获取激活链接' }).click(),
		]);
		assert.equal(linkResponse.status(), 200);
		const answer = await linkResponse.json();
		const input = panel.getByLabel('激活链接');
		await input.waitFor();
		assert.equal(await focusedId(page), 'ec-acct-link');
		assert.equal(await input.getAttribute('readonly'), '');
		const first = await input.inputValue();
		assert.equal(first, answer.url || `${host.baseUrl}${answer.path}`);
		assert.match(first, /\/#\/activate\/[0-9a-f]{64}$/);
		const note = await panel.locator('#ec-acct-link-note').innerText();
		assert.match(note, /链接只能使用一次；重新获取后，之前的链接即失效。/);
		assert.match(note, /有效期至 \S/);
		await card.locator('.ec-card-notice', { hasText: '已生成激活链接' }).waitFor();
		await panel.getByRole('button', { name: '复制' }).click();
		const copied = panel.locator('#ec-acct-link-status');
		await copied.filter({ hasText: /已复制激活链接|链接已选中/ }).waitFor();
		if ((await copied.innerText()).includes('已复制')) {
			assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first);
		} else {
			// No clipboard in this browser: the link is selected for Ctrl+C.
			assert.equal(await focusedId(page), 'ec-acct-link');
			assert.equal(await page.evaluate(() => {
				const el = document.activeElement;
				return el.value.slice(el.selectionStart, el.selectionEnd);
			}), first);
		}
		assert.doesNotMatch(await panel.innerText(), /null|undefined|NaN/);
		await screenshot(page, 'accounts-link');

		// A new link replaces the first one.
		await panel.getByRole('button', { name: '重新获取激活链接' }).click();
		await page.waitForFunction((old) => {
			const el = document.querySelector('#ec-acct-link');
			return el && el.value && el.value !== old;
		}, first);
		link = await input.inputValue();
		assert.equal((await linkState(tokenOf(first))).status, 410, 'the earlier link stopped working');
		const live = await linkState(tokenOf(link));
		assert.equal(live.status, 200);
		assert.equal(live.json.login, externalLogin);

		// 历史 names the account steps.
		await card.getByRole('tab', { name: '历史' }).click();
		const history = card.getByRole('tabpanel', { name: '历史' });
		await history.locator('.ec-history-entry[data-action="account.approve"]').waitFor();
		assert.equal(await history.locator('.ec-history-entry[data-action="account.approve"] .ec-history-action').innerText(), '同意了账号开通申请');
		assert.equal(await history.locator('.ec-history-entry[data-action="account.apply"] .ec-history-action').innerText(), '申请开通账号');
		assert.doesNotMatch(await history.innerText(), /account\.|undefined|null/);
	});

	// The contact opens the link in a browser of their own, sets a password, signs in.
	await withPage('accounts-activate', async (page) => {
		await page.goto(link.startsWith('http') ? link : `${host.baseUrl}${link}`);
		await page.getByRole('heading', { level: 1, name: '激活账号' }).waitFor();
		const who = await page.locator('.rh-activate-who').innerText();
		assert.ok(who.includes(`你的登录名是 ${externalLogin}`), who);
		assert.ok(who.startsWith(contact.name), who);
		await page.getByLabel('新密码', { exact: true }).fill(PASSWORD);
		await page.getByLabel('再次输入新密码').fill(PASSWORD);
		await page.getByRole('button', { name: '激活账号' }).click();
		await page.locator('.rh-notice').filter({ hasText: `账号 ${externalLogin} 已激活` }).waitFor();
		await page.getByLabel('登录名').fill(externalLogin);
		await page.getByLabel('密码').fill(PASSWORD);
		await page.getByRole('button', { name: '登录' }).click();
		await page.locator('header.rh-header .rh-tag-external').first().waitFor();
		assert.match(await page.locator('header.rh-header').innerText(), /外部/);
		await screenshot(page, 'accounts-external-shell');
		// Only the apps opened to external users: none yet, so no 外部互联 in the main nav…
		const nav = page.getByRole('navigation', { name: '主导航' });
		assert.equal(await nav.getByRole('link', { name: '外部互联' }).count(), 0);
		// …until the admin opens it in 应用管理 / 对外开放 (then the next load shows it).
		const admin = await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password);
		const opened = await admin.put('/api/admin/menus/external-contacts/external-contacts', { openToExternal: true });
		assert.equal(opened.status, 200, opened.text);
		await page.reload();
		await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '外部互联' }).waitFor();
		const closed = await admin.put('/api/admin/menus/external-contacts/external-contacts', { openToExternal: null });
		assert.equal(closed.status, 200, closed.text);
		await page.reload();
		await page.locator('header.rh-header .rh-tag-external').first().waitFor();
		assert.equal(await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '外部互联' }).count(), 0);
	});

	// The back-office log shows the application with its decision.
	await withPage('accounts-log', async (page) => {
		await login(page, DEMO.admin);
		await page.goto(`${host.baseUrl}/#/admin/p/account-applications`);
		await page.getByLabel('关键词').fill(contact.name);
		await page.getByRole('button', { name: '查询' }).click();
		const row = page.locator('#al-table tbody tr.al-row', { has: page.locator('th', { hasText: contact.name }) });
		await row.locator('.al-status', { hasText: '已同意' }).waitFor();
		assert.equal((await row.locator('.al-decider').innerText()).trim(), '王芳');
		assert.equal((await row.locator('.al-applicant-cell').innerText()).trim(), '张伟');
	});

	// The adder sees the account active; no link to get any more.
	await withPage('accounts-active', async (page) => {
		await login(page, DEMO.zhangwei);
		await showContacts(page);
		const { panel } = await openAccountTab(page, contact);
		await panel.locator('#ec-acct-status', { hasText: '已激活' }).waitFor();
		assert.equal(await panel.getByRole('button', { name: /激活链接/ }).count(), 0);
		assert.equal(await panel.getByRole('button', { name: '申请开通' }).count(), 0);
	});
});

test('rejected from the tab with a reason; the adder sees it and may apply again; 409s are explained', async () => {
	const suffix = randomBytes(3).toString('hex');
	const reason = `资料不全，请补充公司信息后再申请 ${suffix}`;
	const zhangwei = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const wangfang = await loggedIn(host.baseUrl, DEMO.wangfang.login, DEMO.wangfang.password);
	const created = await zhangwei.post(`${API}/contacts`, { name: `驳回${suffix}`, company: `驳回公司${suffix}`, email: `rej.${suffix}@example.com` });
	assert.equal(created.status, 201, created.text);
	const contact = created.json;
	const applied = await zhangwei.post(`${API}/contacts/${contact.id}/applications`, { remark: '请开通' });
	assert.equal(applied.status, 201, applied.text);

	await withPage('accounts-reject', async (page) => {
		await login(page, DEMO.admin);
		await showContacts(page);
		await page.getByLabel('范围').selectOption('all');
		await searchContacts(page, contact.name);
		await row(page, contact.id).waitFor();
		const { card, panel } = await openAccountTab(page, contact);
		const pending = panel.locator('#ec-acct-pending');
		await pending.waitFor();
		assert.equal(await pending.locator('.ec-acct-applicant').innerText(), '张伟');
		assert.equal(await pending.locator('.ec-acct-remark').innerText(), '请开通');

		// 驳回 opens a small form; Escape leaves it (not the card) and focus returns.
		await panel.getByRole('button', { name: '驳回' }).click();
		const form = panel.locator('#ec-reject-form');
		await form.waitFor();
		assert.equal(await focusedId(page), 'ec-reject-reason');
		await page.keyboard.press('Escape');
		await form.waitFor({ state: 'detached' });
		assert.equal(await card.isVisible(), true);
		assert.equal(await focusedId(page), 'ec-acct-reject');

		await panel.getByRole('button', { name: '驳回' }).click();
		const reasonInput = form.getByLabel('驳回原因（选填）');
		await reasonInput.fill('x'.repeat(501));
		await form.getByRole('button', { name: '确认驳回' }).click();
		await form.locator('#ec-reject-reason-error', { hasText: '不能超过 500 个字符' }).waitFor();
		assert.equal(await form.locator('#ec-reject-error').innerText(), '请修改标出的内容后再提交。');
		await reasonInput.fill(reason);
		await form.locator('#ec-reject-reason-count', { hasText: `${[...reason].length}/500 字` }).waitFor();
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith(`${API}/applications/${applied.json.id}/reject`)),
			form.getByRole('button', { name: '确认驳回' }).click(),
		]);
		assert.equal(response.status(), 200, await response.text());
		assert.deepEqual(JSON.parse(response.request().postData()), { reason });
		await card.locator('.ec-card-notice', { hasText: '已驳回开通申请' }).waitFor();
		await pending.waitFor({ state: 'detached' });
		const rejected = panel.locator(`.ec-acct-application[data-id="${applied.json.id}"]`);
		assert.equal(await rejected.getAttribute('data-status'), 'rejected');
		assert.match(await rejected.innerText(), /管理员 驳回/);
		assert.equal(await rejected.locator('.ec-acct-reason').innerText(), `驳回原因：${reason}`);
		assert.equal(await focusedId(page), 'ec-acct-history-title');
		assert.doesNotMatch(await panel.innerText(), /null|undefined|NaN/);
		await screenshot(page, 'accounts-rejected');
	});

	await withPage('accounts-reapply', async (page) => {
		await login(page, DEMO.zhangwei);
		await showContacts(page);
		const { panel } = await openAccountTab(page, contact);
		const rejected = panel.locator(`.ec-acct-application[data-id="${applied.json.id}"]`);
		await rejected.waitFor();
		assert.match(await rejected.innerText(), /已驳回/);
		assert.match(await rejected.innerText(), /管理员 驳回/);
		assert.equal(await rejected.locator('.ec-acct-reason').innerText(), `驳回原因：${reason}`);

		// Applying again is offered. Meanwhile the application is sent from elsewhere: 409, explained.
		await panel.getByRole('button', { name: '申请开通' }).click();
		const dialog = page.getByRole('dialog', { name: '申请开通账号' });
		await dialog.getByLabel('备注（选填）').fill('补充了公司信息');
		const elsewhere = await zhangwei.post(`${API}/contacts/${contact.id}/applications`, { remark: '另一处提交' });
		assert.equal(elsewhere.status, 201, elsewhere.text);
		await dialog.getByRole('button', { name: '提交' }).click();
		await dialog.locator('#ec-apply-error', { hasText: '该联系人已有待审批的开通申请。' }).waitFor();
		await panel.locator('#ec-acct-pending .ec-acct-remark', { hasText: '另一处提交' }).waitFor();
		await dialog.getByRole('button', { name: '取消' }).click();
		await dialog.waitFor({ state: 'hidden' });
		assert.equal(await panel.getByRole('button', { name: '申请开通' }).count(), 0);
		assert.equal(await focusedId(page), 'ec-acct-title', 'focus lands on the tab when 申请开通 went away');
	});

	// Two approvers: wangfang decides first, the admin's click is told who did.
	await withPage('accounts-already-decided', async (page) => {
		await login(page, DEMO.admin);
		await showContacts(page);
		await page.getByLabel('范围').selectOption('all');
		await searchContacts(page, contact.name);
		await row(page, contact.id).waitFor();
		const { panel } = await openAccountTab(page, contact);
		await panel.locator('#ec-acct-pending').waitFor();
		const pendingId = await panel.locator('#ec-acct-pending').getAttribute('data-id');
		const first = await wangfang.post(`${API}/applications/${pendingId}/reject`, { reason: '重复申请' });
		assert.equal(first.status, 200, first.text);
		await panel.getByRole('button', { name: '同意' }).click();
		await panel.locator('#ec-acct-error', { hasText: '该申请已由 王芳 处理。' }).waitFor();
		await panel.locator('#ec-acct-pending').waitFor({ state: 'detached' });
		const decided = panel.locator(`.ec-acct-application[data-id="${pendingId}"]`);
		assert.match(await decided.innerText(), /王芳 驳回/);
		assert.equal(await decided.locator('.ec-acct-reason').innerText(), '驳回原因：重复申请');
	});

	// en: the same tab in English.
	await withPage('accounts-en', async (page) => {
		await login(page, DEMO.zhangwei);
		await showContactsInEnglish(page);
		await row(page, contact.id).getByRole('button', { name: contact.name, exact: true }).click();
		await page.locator('#ec-popover').getByRole('button', { name: 'View details' }).click();
		const card = page.getByRole('dialog', { name: contact.name });
		await card.getByRole('tab', { name: 'Account' }).click();
		const panel = card.getByRole('tabpanel', { name: 'Account' });
		await panel.getByRole('button', { name: 'Apply for an account' }).waitFor();
		const text = await panel.innerText();
		for (const part of ['No account yet', 'Applications', 'Rejected', 'Rejected by 管理员', 'Rejected by 王芳', `Reason: ${reason}`]) {
			assert.ok(text.includes(part), `${part} in ${text}`);
		}
		for (const zh of ['暂未开通账号', '申请记录', '已驳回', '驳回原因', '申请开通']) assert.ok(!text.includes(zh), `${zh} in ${text}`);
		await screenshot(page, 'accounts-en');
		await panel.getByRole('button', { name: 'Apply for an account' }).click();
		const dialog = page.getByRole('dialog', { name: 'Apply for an account' });
		assert.equal(await dialog.locator('#ec-apply-remark-count').innerText(), '0/500 characters');
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });
	}, { locale: 'en' });
});

test('a member the contact is only shared with sees no 账号信息 tab, and the route answers her 403', async () => {
	const suffix = randomBytes(3).toString('hex');
	const zhangwei = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const lina = await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password);
	const created = await zhangwei.post(`${API}/contacts`, { name: `共享${suffix}`, company: `共享公司${suffix}`, email: `share.${suffix}@example.com` });
	assert.equal(created.status, 201, created.text);
	const contact = created.json;
	assert.equal((await zhangwei.put(`${API}/contacts/${contact.id}/shares`, { members: [lina.me.user.id] })).status, 200);
	assert.equal((await lina.get(`${API}/contacts/${contact.id}/account`)).status, 403);
	assert.equal((await lina.post(`${API}/contacts/${contact.id}/applications`, { remark: '' })).status, 403);

	await withPage('accounts-shared', async (page) => {
		await login(page, DEMO.lina);
		await showContacts(page);
		await row(page, contact.id).getByRole('button', { name: contact.name, exact: true }).click();
		await page.locator('#ec-popover').getByRole('button', { name: '查看详情' }).click();
		const card = page.getByRole('dialog', { name: contact.name });
		await card.getByRole('tabpanel', { name: '基本信息' }).getByText(contact.email).waitFor();
		assert.deepEqual(await card.getByRole('tab').allInnerTexts(), ['基本信息', '权限设置', '共享']);
		assert.equal(await card.getByRole('tab', { name: '账号信息' }).count(), 0);
		assert.equal(await page.locator('#ec-apply-dialog[open]').count(), 0);
		assert.equal(await card.getByRole('button', { name: '申请开通' }).count(), 0);
	});
});
