// Browser test of direct account management in the 账号信息 tab (SPEC R6.4, R7.4,
// R8): wangfang (maintain permission) opens a contact zhangwei added, which has a
// pending application, and opens the account directly (approving it); gets the
// one-time link; the contact activates it in a browser of their own and signs in;
// wangfang disables the account (the external user's next request answers 401:
// a reload shows the login page), enables it, resets the password (the new link
// is shown, the old password no longer works). zhangwei, the adder, sees no
// management buttons. Also: the confirmations' keyboard behaviour, a network
// failure with 重试, the 409s explained with the tab reloaded, a 403, and en.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';
import { searchContacts, showContacts, showContactsInEnglish } from '../lib/contacts-ui.mjs';

const API = '/api/plugins/external-contacts';
const PASSWORD = 'Tq8#vLm2!pZr';
const NEW_PASSWORD = 'Second#Good#Pass9';
const MANAGE_NAMES = /直接开通|停用账号|启用账号|重置密码/;

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

/** Shows the 外部互联 page freshly loaded; with search, scope 全部 and the contact's name searched. */
async function openContacts(page, { search = null } = {}) {
	await showContacts(page);
	if (search) {
		await page.getByLabel('范围').selectOption('all');
		await searchContacts(page, search);
	}
}

const row = (page, id) => page.locator(`.ec-contact[data-id="${id}"]`);

/** Opens the large card from the contact's row and selects 账号信息 once it has loaded. */
async function openAccountTab(page, contact) {
	await row(page, contact.id).getByRole('button', { name: contact.name, exact: true }).click();
	await page.locator('#ec-popover').getByRole('button', { name: '查看详情' }).click();
	const card = page.getByRole('dialog', { name: contact.name });
	await card.getByRole('tabpanel', { name: '基本信息' }).getByText(contact.email).first().waitFor();
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
const routeOf = (contact, suffix) => `${API}/contacts/${contact.id}/account${suffix}`;
const isPost = (contact, suffix) => (r) => r.url().endsWith(routeOf(contact, suffix)) && r.request().method() === 'POST';

async function linkState(token) {
	const response = await fetch(`${host.baseUrl}/api/activation/check`, {
		method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ token }),
	});
	return { status: response.status, json: await response.json().catch(() => null) };
}

async function sessionStatus(login, password) {
	return (await new Client(host.baseUrl).request('POST', '/api/session', { login, password })).status;
}

/** The management buttons (by name) the panel shows. */
async function manageButtons(panel) {
	const group = panel.getByRole('group', { name: '账号管理' });
	if (!(await group.count())) return [];
	return group.getByRole('button').allInnerTexts();
}

/** Sets a password with the link in page (a browser of the contact's own) and signs in. */
async function activateAndSignIn(page, link, login, password) {
	await page.goto(link.startsWith('http') ? link : `${host.baseUrl}${link}`);
	await page.getByRole('heading', { level: 1, name: '激活账号' }).waitFor();
	await page.getByLabel('新密码', { exact: true }).fill(password);
	await page.getByLabel('再次输入新密码').fill(password);
	await page.getByRole('button', { name: '激活账号' }).click();
	await page.locator('.rh-notice').filter({ hasText: `账号 ${login} 已激活` }).waitFor();
	await signIn(page, login, password);
}

async function signIn(page, login, password) {
	await page.getByLabel('登录名').fill(login);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	await page.locator('header.rh-header .rh-tag-external').first().waitFor();
}

/** Reloads the external user's page: the shell asks /api/me, gets 401 and shows the login page. */
async function reloadToLogin(page) {
	const [me] = await Promise.all([
		page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me'),
		page.reload(),
	]);
	assert.equal(me.status(), 401, 'the external user\'s next request answers 401');
	await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
	assert.equal(await page.locator('header.rh-header').count(), 0);
}

test('wangfang opens the account directly, disables, enables and resets it; the contact feels each step; the adder sees no management', async () => {
	const suffix = randomBytes(3).toString('hex');
	const zhangwei = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const created = await zhangwei.post(`${API}/contacts`, { name: `直开${suffix}`, company: `直开公司${suffix}`, email: `mgmt.${suffix}@example.com` });
	assert.equal(created.status, 201, created.text);
	const contact = created.json;

	// The adder: 申请开通, no management.
	await withPage('mgmt-adder-apply', async (page) => {
		await login(page, DEMO.zhangwei);
		await openContacts(page);
		const { panel } = await openAccountTab(page, contact);
		await panel.getByRole('button', { name: '申请开通' }).waitFor();
		assert.deepEqual(await manageButtons(panel), []);
		assert.doesNotMatch(await panel.innerText(), MANAGE_NAMES);
	});
	const applied = await zhangwei.post(`${API}/contacts/${contact.id}/applications`, { remark: '请开通' });
	assert.equal(applied.status, 201, applied.text);

	let link;
	let externalLogin;
	await withPage('mgmt-wangfang', async (page) => {
		await login(page, DEMO.wangfang);
		await openContacts(page, { search: contact.name });
		let { card, panel } = await openAccountTab(page, contact);
		await panel.locator('#ec-acct-pending').waitFor();
		assert.deepEqual(await manageButtons(panel), ['直接开通']);
		const assign = panel.getByRole('button', { name: '直接开通' });
		assert.equal(await assign.getAttribute('aria-haspopup'), 'dialog');

		// The confirmation says the pending application is approved by her; Escape backs out.
		await assign.click();
		const dialog = page.getByRole('alertdialog', { name: '直接开通账号' });
		await dialog.waitFor();
		const text = await dialog.locator('#ec-acct-confirm-text').innerText();
		assert.match(text, new RegExp(`为 ${contact.name} 直接开通外部账号`));
		assert.match(text, /待审批的开通申请（张伟 提交），直接开通即由你同意该申请/);
		assert.equal(await focusedId(page), 'ec-acct-confirm-ok');
		await screenshot(page, 'mgmt-assign-confirm');
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });
		assert.equal(await card.isVisible(), true, 'Escape closed only the confirmation');
		assert.equal(await focusedId(page), 'ec-acct-assign');

		await assign.click();
		const [assigned] = await Promise.all([
			page.waitForResponse(isPost(contact, '')),
			dialog.getByRole('button', { name: '确认开通' }).click(),
		]);
		assert.equal(assigned.status(), 201, await assigned.text());
		assert.deepEqual(JSON.parse(assigned.request().postData()), {});
		externalLogin = (await assigned.json()).account.login;
		await dialog.waitFor({ state: 'hidden' });
		await card.locator('.ec-card-notice', { hasText: `已同意开通申请并开通账号，登录名 ${externalLogin}` }).waitFor();
		await panel.locator('#ec-acct-status', { hasText: '待激活' }).waitFor();
		assert.equal(await panel.locator('#ec-acct-login').innerText(), externalLogin);
		assert.equal(await focusedId(page), 'ec-acct-link-get', 'focus goes to 获取激活链接');
		assert.equal(await panel.locator('#ec-acct-pending').count(), 0);
		const decided = panel.locator(`.ec-acct-application[data-id="${applied.json.id}"]`);
		assert.equal(await decided.getAttribute('data-status'), 'approved');
		assert.match(await decided.innerText(), /王芳 同意/);
		assert.deepEqual(await manageButtons(panel), ['停用账号'], 'a pending account: 停用 only (the link replaces a reset)');

		// 获取激活链接 as before.
		await panel.getByRole('button', { name: '获取激活链接' }).click();
		const input = panel.getByLabel('激活链接');
		await input.waitFor();
		link = await input.inputValue();
		assert.match(link, /\/#\/activate\/[0-9a-f]{64}$/);

		// The adder meanwhile: 获取激活链接, still no management.
		await withPage('mgmt-adder-link', async (adder) => {
			await login(adder, DEMO.zhangwei);
			await openContacts(adder);
			const tab = await openAccountTab(adder, contact);
			await tab.panel.getByRole('button', { name: '获取激活链接' }).waitFor();
			assert.deepEqual(await manageButtons(tab.panel), []);
			assert.doesNotMatch(await tab.panel.innerText(), MANAGE_NAMES);
		});

		// The contact activates the account in a browser of their own and signs in.
		await withPage('mgmt-external', async (external) => {
			await activateAndSignIn(external, link, externalLogin, PASSWORD);

			// wangfang sees it active: 重置密码 and 停用账号.
			await closeCard(card);
			({ card, panel } = await openAccountTab(page, contact));
			await panel.locator('#ec-acct-status', { hasText: '已激活' }).waitFor();
			assert.deepEqual(await manageButtons(panel), ['重置密码', '停用账号']);

			// 停用账号: the confirmation says the sign-out is immediate; focus on 取消.
			const disable = panel.getByRole('button', { name: '停用账号' });
			await disable.click();
			const confirmDisable = page.getByRole('alertdialog', { name: '停用账号' });
			await confirmDisable.waitFor();
			assert.equal(await focusedId(page), 'ec-acct-confirm-cancel');
			assert.match(await confirmDisable.innerText(), new RegExp(`登录名 ${externalLogin.replace(/\./g, '\\.')}）会立即退出登录`));
			await confirmDisable.getByRole('button', { name: '取消' }).click();
			await confirmDisable.waitFor({ state: 'hidden' });
			assert.equal(await focusedId(page), 'ec-acct-disable');

			// The network fails once: the dialog stays with the error and 重试.
			await disable.click();
			await page.route(`**${routeOf(contact, '/disable')}`, (route) => route.abort('internetdisconnected'), { times: 1 });
			await confirmDisable.getByRole('button', { name: '确认停用' }).click();
			await confirmDisable.locator('#ec-acct-confirm-error', { hasText: '无法连接服务器' }).waitFor();
			assert.equal(await confirmDisable.locator('#ec-acct-confirm-error').getAttribute('role'), 'alert');
			assert.equal(await focusedId(page), 'ec-acct-confirm-ok');
			await screenshot(page, 'mgmt-disable-retry');
			const [disabled] = await Promise.all([
				page.waitForResponse(isPost(contact, '/disable')),
				confirmDisable.getByRole('button', { name: '重试' }).click(),
			]);
			assert.equal(disabled.status(), 200, await disabled.text());
			await confirmDisable.waitFor({ state: 'hidden' });
			await card.locator('.ec-card-notice', { hasText: '已停用账号，对方已退出登录' }).waitFor();
			assert.equal(await card.locator('.ec-card-notice').getAttribute('role'), 'status', 'results are said in a live region');
			await panel.locator('#ec-acct-status', { hasText: '已停用' }).waitFor();
			assert.deepEqual(await manageButtons(panel), ['启用账号']);
			assert.match(await panel.innerText(), /账号已停用，对方不能登录。 启用账号后才能重置密码。/);
			assert.equal(await focusedId(page), 'ec-acct-enable');

			// The external user's next request answers 401; the password is refused.
			await reloadToLogin(external);
			assert.equal(await sessionStatus(externalLogin, PASSWORD), 401, 'a disabled account cannot log in');

			// 启用账号 runs at once; a network failure offers 重试 in the tab.
			await page.route(`**${routeOf(contact, '/enable')}`, (route) => route.abort('internetdisconnected'), { times: 1 });
			await panel.getByRole('button', { name: '启用账号' }).click();
			await panel.locator('#ec-acct-error', { hasText: '无法连接服务器' }).waitFor();
			assert.equal(await focusedId(page), 'ec-acct-retry');
			const [enabled] = await Promise.all([
				page.waitForResponse(isPost(contact, '/enable')),
				panel.getByRole('button', { name: '重试' }).click(),
			]);
			assert.equal(enabled.status(), 200, await enabled.text());
			assert.deepEqual(await enabled.json(), { status: 'active' });
			await card.locator('.ec-card-notice', { hasText: '已启用账号，对方可以登录' }).waitFor();
			await panel.locator('#ec-acct-status', { hasText: '已激活' }).waitFor();
			assert.equal(await panel.locator('#ec-acct-error').innerText(), '');
			assert.equal(await panel.getByRole('button', { name: '重试' }).count(), 0);
			assert.deepEqual(await manageButtons(panel), ['重置密码', '停用账号']);

			// Signed in again with the same password.
			await signIn(external, externalLogin, PASSWORD);

			// 重置密码: confirmation, then the new one-time link like 获取激活链接.
			await panel.getByRole('button', { name: '重置密码' }).click();
			const confirmReset = page.getByRole('alertdialog', { name: '重置密码' });
			await confirmReset.waitFor();
			assert.equal(await focusedId(page), 'ec-acct-confirm-cancel');
			assert.match(await confirmReset.innerText(), /当前的密码立即失效，已登录的会话全部结束/);
			const [reset] = await Promise.all([
				page.waitForResponse(isPost(contact, '/reset')),
				confirmReset.getByRole('button', { name: '确认重置' }).click(),
			]);
			assert.equal(reset.status(), 200, await reset.text());
			const answer = await reset.json();
			await confirmReset.waitFor({ state: 'hidden' });
			await card.locator('.ec-card-notice', { hasText: '已重置密码：请复制新的激活链接发给该联系人。' }).waitFor();
			const newInput = panel.getByLabel('激活链接');
			await newInput.waitFor();
			assert.equal(await focusedId(page), 'ec-acct-link');
			assert.equal(await newInput.getAttribute('readonly'), '');
			const newLink = await newInput.inputValue();
			assert.equal(newLink, answer.url || `${host.baseUrl}${answer.path}`);
			assert.notEqual(newLink, link);
			const note = await panel.locator('#ec-acct-link-note').innerText();
			assert.match(note, /链接只能使用一次；重新获取后，之前的链接即失效。/);
			assert.match(note, /有效期至 \S/);
			await panel.getByRole('button', { name: '复制' }).waitFor();
			await panel.locator('#ec-acct-status', { hasText: '待激活' }).waitFor();
			assert.deepEqual(await manageButtons(panel), ['停用账号']);
			assert.doesNotMatch(await panel.innerText(), /null|undefined|NaN/);
			await screenshot(page, 'mgmt-reset-link');

			// The old password is gone and the session ended; the new link is live.
			await reloadToLogin(external);
			assert.equal(await sessionStatus(externalLogin, PASSWORD), 401, 'the old password no longer logs in');
			await external.getByLabel('登录名').fill(externalLogin);
			await external.getByLabel('密码').fill(PASSWORD);
			await external.getByRole('button', { name: '登录' }).click();
			await external.locator('#login-error', { hasText: '登录名或密码错误' }).waitFor();
			assert.equal((await linkState(tokenOf(newLink))).status, 200);
			assert.equal((await linkState(tokenOf(link))).status, 410);
			link = newLink;
		});
	});

	// The contact sets a new password with the new link.
	await withPage('mgmt-external-again', async (page) => {
		await activateAndSignIn(page, link, externalLogin, NEW_PASSWORD);
	});

	// The adder: the account active again, 获取激活链接 gone, still no management; disabled: no 启用.
	await withPage('mgmt-adder-after', async (page) => {
		await login(page, DEMO.zhangwei);
		await openContacts(page);
		let { card, panel } = await openAccountTab(page, contact);
		await panel.locator('#ec-acct-status', { hasText: '已激活' }).waitFor();
		assert.deepEqual(await manageButtons(panel), []);
		assert.doesNotMatch(await panel.innerText(), MANAGE_NAMES);
		const wangfang = await loggedIn(host.baseUrl, DEMO.wangfang.login, DEMO.wangfang.password);
		assert.equal((await wangfang.post(routeOf(contact, '/disable'), {})).status, 200);
		await closeCard(card);
		({ card, panel } = await openAccountTab(page, contact));
		await panel.locator('#ec-acct-status', { hasText: '已停用' }).waitFor();
		assert.deepEqual(await manageButtons(panel), []);
		const text = await panel.innerText();
		assert.match(text, /账号已停用，对方不能登录。/);
		assert.doesNotMatch(text, /启用账号后才能重置密码|启用账号|重置密码/);
	});
});

test('409s explained and the tab reloaded: assigned elsewhere, reset of an account disabled meanwhile; 403 and no_account explained; en', async () => {
	const suffix = randomBytes(3).toString('hex');
	const zhangwei = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	const admin = await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password);
	const created = await zhangwei.post(`${API}/contacts`, { name: `冲突${suffix}`, company: `冲突公司${suffix}`, email: `clash.${suffix}@example.com` });
	assert.equal(created.status, 201, created.text);
	const contact = created.json;

	await withPage('mgmt-conflicts', async (page) => {
		await login(page, DEMO.wangfang);
		await openContacts(page, { search: contact.name });
		let { card, panel } = await openAccountTab(page, contact);
		await panel.locator('#ec-acct-none').waitFor();
		assert.deepEqual(await manageButtons(panel), ['直接开通']);
		// Both are offered to a manager; 直接开通 is the primary one.
		assert.match(await panel.getByRole('button', { name: '直接开通' }).getAttribute('class'), /ec-button-primary/);
		assert.doesNotMatch(await panel.getByRole('button', { name: '申请开通' }).getAttribute('class'), /ec-button-primary/);

		// The admin opens the account while the confirmation is up: 409 account_exists.
		await panel.getByRole('button', { name: '直接开通' }).click();
		const dialog = page.getByRole('alertdialog', { name: '直接开通账号' });
		const text = await dialog.locator('#ec-acct-confirm-text').innerText();
		assert.match(text, new RegExp(`为 ${contact.name} 直接开通外部账号`));
		assert.doesNotMatch(text, /待审批/, 'no application pending: nothing said about one');
		const elsewhere = await admin.post(routeOf(contact, ''), {});
		assert.equal(elsewhere.status, 201, elsewhere.text);
		const [refused] = await Promise.all([
			page.waitForResponse(isPost(contact, '')),
			dialog.getByRole('button', { name: '确认开通' }).click(),
		]);
		assert.equal(refused.status(), 409);
		assert.equal((await refused.json()).error.code, 'account_exists');
		await dialog.waitFor({ state: 'hidden' });
		await panel.locator('#ec-acct-error', { hasText: '该联系人已开通账号。' }).waitFor();
		await panel.locator('#ec-acct-status', { hasText: '待激活' }).waitFor();
		assert.deepEqual(await manageButtons(panel), ['停用账号']);
		assert.equal(await focusedId(page), 'ec-acct-title');

		// Activated elsewhere; wangfang sees it active and asks for a reset while the admin disables it: 409 conflict.
		const linkAnswer = await admin.post(routeOf(contact, '/activation-link'), {});
		assert.equal(linkAnswer.status, 200, linkAnswer.text);
		const activated = await new Client(host.baseUrl).post('/api/activation', { token: linkAnswer.json.path.split('/').pop(), password: PASSWORD });
		assert.equal(activated.status, 204, activated.text);
		await closeCard(card);
		({ card, panel } = await openAccountTab(page, contact));
		await panel.locator('#ec-acct-status', { hasText: '已激活' }).waitFor();
		assert.equal(await panel.locator('#ec-acct-error').innerText(), '', 'the old error went with the other card');
		await panel.getByRole('button', { name: '重置密码' }).click();
		const confirmReset = page.getByRole('alertdialog', { name: '重置密码' });
		await confirmReset.waitFor();
		assert.equal((await admin.post(routeOf(contact, '/disable'), {})).status, 200);
		const [conflict] = await Promise.all([
			page.waitForResponse(isPost(contact, '/reset')),
			confirmReset.getByRole('button', { name: '确认重置' }).click(),
		]);
		assert.equal(conflict.status(), 409);
		assert.equal((await conflict.json()).error.code, 'conflict');
		await confirmReset.waitFor({ state: 'hidden' });
		await panel.locator('#ec-acct-error', { hasText: '账号已停用，请先启用账号，再重置密码。' }).waitFor();
		await panel.locator('#ec-acct-status', { hasText: '已停用' }).waitFor();
		assert.deepEqual(await manageButtons(panel), ['启用账号']);
		await screenshot(page, 'mgmt-reset-conflict');

		// 403 (the right was withdrawn meanwhile) and 409 no_account, answered by a stand-in route.
		await page.route(`**${routeOf(contact, '/enable')}`, (route) => route.fulfill({
			status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'forbidden', message: 'forbidden' } }),
		}), { times: 1 });
		await panel.getByRole('button', { name: '启用账号' }).click();
		await panel.locator('#ec-acct-error', { hasText: '你没有管理该联系人账号的权限' }).waitFor();
		assert.equal(await panel.getByRole('button', { name: '重试' }).count(), 0, 'a refusal is not retried');
		await page.route(`**${routeOf(contact, '/enable')}`, (route) => route.fulfill({
			status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'no_account', message: 'no account' } }),
		}), { times: 1 });
		await panel.getByRole('button', { name: '启用账号' }).click();
		await panel.locator('#ec-acct-error', { hasText: '该联系人还没有账号。' }).waitFor();
		await panel.locator('#ec-acct-status', { hasText: '已停用' }).waitFor();

		// For real now.
		await panel.getByRole('button', { name: '启用账号' }).click();
		await panel.locator('#ec-acct-status', { hasText: '已激活' }).waitFor();
		assert.equal(await panel.locator('#ec-acct-error').innerText(), '');
	});

	// en: the same buttons and dialog in English.
	await withPage('mgmt-en', async (page) => {
		await login(page, DEMO.wangfang);
		await showContactsInEnglish(page);
		await page.getByLabel('Scope').selectOption('all');
		await searchContacts(page, contact.name, { label: 'Search external contacts' });
		await row(page, contact.id).getByRole('button', { name: contact.name, exact: true }).click();
		await page.locator('#ec-popover').getByRole('button', { name: 'View details' }).click();
		const card = page.getByRole('dialog', { name: contact.name });
		await card.getByRole('tab', { name: 'Account' }).click();
		const panel = card.getByRole('tabpanel', { name: 'Account' });
		const group = panel.getByRole('group', { name: 'Account management' });
		await group.waitFor();
		assert.deepEqual(await group.getByRole('button').allInnerTexts(), ['Reset password', 'Disable account']);
		await group.getByRole('button', { name: 'Disable account' }).click();
		const dialog = page.getByRole('alertdialog', { name: 'Disable account' });
		await dialog.waitFor();
		const text = await dialog.innerText();
		assert.match(text, /is signed out at once and cannot sign in until the account is enabled again/);
		assert.ok(!/[\u4e00-\u9fff]{2}/.test(text.replace(contact.name, '')), `no Chinese in ${text}`);
		await dialog.getByRole('button', { name: 'Cancel' }).click();
		await dialog.waitFor({ state: 'hidden' });
		assert.equal(await focusedId(page), 'ec-acct-disable');
	}, { locale: 'en' });
});
