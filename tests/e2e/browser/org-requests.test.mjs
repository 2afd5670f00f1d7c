// Browser test of 从其他组织添加 (SPEC R5) with two people in two browser contexts:
// the requester (张伟, 星河科技) opens 【新建】 → 从其他组织添加; a search with only one
// of the two fields is refused in the dialog before anything is sent; an unknown
// org and a name nobody has get their empty states; 远山贸易 + the person's name
// shows them with masked contact data, 【添加】 sends the request (the row says
// 已发送申请, a second 添加 says 已申请，等待对方处理). The person (陈杰, 远山贸易)
// accepts from 外部联系人申请 in the bell; the requester's list then holds the
// contact with source 其他组织 under the group 远山贸易, 我发出的申请 says 已同意 and
// a further 添加 says 已是外部联系人 with a link to the card. The person's org
// switcher shows 星河科技 tagged 外部, and switching into it shows only what is
// open to external users. A decline shows 已拒绝 to the requester; 撤回 (confirmed
// first) shows 已撤回 and marks the person's notification handled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';
import { API, showContacts, searchContacts, pluginApi, showContactsInEnglish } from '../lib/contacts-ui.mjs';

const PASSWORD = 'Org-Request-UI-2026!';
const suffix = randomBytes(3).toString('hex');
const decliner = { login: `odecl${suffix}`, password: PASSWORD, name: `拒绝者${suffix}` };
const withdrawn = { login: `ocanc${suffix}`, password: PASSWORD, name: `撤回对象${suffix}` };
const CHEN_EMAIL = `chenjie.${suffix}@yuanshan.example`;
let host;
let browser;
let chenEmailBound = false;
let contactId; // 陈杰's contact, made by the acceptance

/** The last verification code the host's SQLite outbox holds for `to`. */
function codeSentTo(to) {
	const sql = `SELECT params_json FROM outbox WHERE template = 'verification_code' AND recipient = '${to.replace(/'/g, "''")}' ORDER BY id DESC LIMIT 1;`;
	const out = execFileSync('sqlite3', [path.join(host.dataDir, 'reference-host.db'), sql], { encoding: 'utf8' }).trim();
	return JSON.parse(out).code;
}

before(async () => {
	host = await startHost();
	browser = await launchBrowser();
	for (const person of [decliner, withdrawn]) {
		const created = await host.cli(['user', 'create', `--login=${person.login}`, `--name=${person.name}`, `--org=${DEMO.org2.name}`,
			'--password-stdin'], { input: `${person.password}\n` });
		assert.equal(created.code, 0, `user create: ${created.stdout}${created.stderr}`);
	}
	// 陈杰 binds an email (the code read from the outbox, as in 个人设置): the search shows it masked.
	if (host.db === 'sqlite') {
		const chen = await loggedIn(host.baseUrl, DEMO.chenjie.login, DEMO.chenjie.password);
		const sent = await chen.post('/api/me/contact-bindings', { channel: 'email', value: CHEN_EMAIL });
		assert.ok(sent.status >= 200 && sent.status < 300, sent.text);
		const bound = await chen.post('/api/me/contact-bindings/confirm', { channel: 'email', code: codeSentTo(CHEN_EMAIL) });
		assert.equal(bound.status, 200, bound.text);
		chenEmailBound = true;
	}
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

const focusedId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);
const isSearch = (request) => new URL(request.url()).pathname === `${API}/directory/search`;
const isCreate = (r) => new URL(r.url()).pathname === `${API}/org-requests` && r.request().method() === 'POST';

/** 新建 → 从其他组织添加; waits until 我发出的申请 has loaded. */
async function openFromOrg(page) {
	await page.locator('#ec-new-button').click();
	await page.getByRole('menuitem', { name: '从其他组织添加' }).click();
	const dialog = page.getByRole('dialog', { name: '从其他组织添加' });
	await dialog.waitFor();
	await dialog.locator('#ec-org-outgoing:not([aria-busy])').waitFor({ state: 'attached' });
	await dialog.locator('#ec-org-outgoing-status .ec-loading').waitFor({ state: 'detached' });
	return dialog;
}

/** Fills both fields, clicks 搜索 and waits for the answer (200) → its JSON. */
async function searchFor(dialog, orgName, q) {
	const page = dialog.page();
	await dialog.getByLabel('组织名称').fill(orgName);
	await dialog.getByLabel('姓名、手机或邮箱').fill(q);
	const [answer] = await Promise.all([
		page.waitForResponse((r) => isSearch(r.request())),
		dialog.getByRole('button', { name: '搜索', exact: true }).click(),
	]);
	assert.equal(answer.status(), 200, await answer.text());
	await dialog.locator('#ec-org-search:not([disabled])').waitFor();
	return answer.json();
}

const resultRow = (dialog, name) => dialog.locator('#ec-org-results .ec-org-result', { hasText: name });
const requestRow = (dialog, name) => dialog.locator('#ec-org-outgoing .ec-org-request', { hasText: name });

/** Clicks 添加 on the person's row → the POST's response. */
async function addPerson(dialog, name) {
	const [answer] = await Promise.all([
		dialog.page().waitForResponse(isCreate),
		resultRow(dialog, name).getByRole('button', { name: `添加 ${name}` }).click(),
	]);
	return answer;
}

/** The person's bell: the 外部联系人申请 naming `from`, its action `label` clicked; waits until handled. */
async function answerInBell(page, from, label) {
	await page.locator('#rh-bell').click();
	const panel = page.locator('#rh-notif-panel');
	await panel.waitFor();
	const item = panel.locator('.rh-notif', { has: page.locator('.rh-notif-title', { hasText: /^外部联系人申请$/ }) }).filter({ hasText: from });
	await item.first().waitFor();
	assert.equal(await item.count(), 1, 'one request notification');
	const [done] = await Promise.all([
		page.waitForResponse((r) => /\/api\/notifications\/[^/]+\/actions\//.test(new URL(r.url()).pathname)),
		item.getByRole('button', { name: label, exact: true }).click(),
	]);
	assert.equal(done.status(), 200, await done.text());
	await panel.locator('.rh-notif-handled .rh-notif-title', { hasText: /^外部联系人申请$/ }).first().waitFor();
	return item;
}

test('search needs both fields; 远山贸易 + name shows masked data; 添加 → 同意 in the other browser → 其他组织 contact and the 外部 org', async () => {
	await withPage('org-requests-requester', async (page) => {
		await login(page, DEMO.zhangwei);
		await showContacts(page);
		const dialog = await openFromOrg(page);
		assert.equal(await dialog.getAttribute('aria-modal'), 'true');
		assert.equal(await focusedId(page), 'ec-org-name', 'focus starts in 组织名称');
		assert.match(await dialog.locator('#ec-org-intro').innerText(), /两项都需要填写，这里不能浏览其他组织的通讯录/);
		await dialog.locator('#ec-org-outgoing-empty', { hasText: '还没有发出过申请' }).waitFor();

		// Keyboard: Tab stays inside, Escape closes, focus is back on 新建.
		for (let i = 0; i < 8; i += 1) {
			await page.keyboard.press('Tab');
			assert.equal(await page.evaluate(() => Boolean(document.activeElement && document.activeElement.closest('#ec-org-dialog'))), true, `Tab ${i + 1} left the dialog`);
		}
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });
		assert.equal(await focusedId(page), 'ec-new-button');

		// One field alone is refused in the dialog: nothing is sent.
		await openFromOrg(page);
		let searches = 0;
		const count = (request) => {
			if (isSearch(request)) searches += 1;
		};
		page.on('request', count);
		const orgName = dialog.getByLabel('组织名称');
		const q = dialog.getByLabel('姓名、手机或邮箱');
		await orgName.fill(DEMO.org2.name);
		await dialog.getByRole('button', { name: '搜索', exact: true }).click();
		await dialog.locator('#ec-org-q-error', { hasText: '请填写姓名、手机或邮箱' }).waitFor();
		assert.equal(await q.getAttribute('aria-invalid'), 'true');
		assert.match(await q.getAttribute('aria-describedby'), /ec-org-q-error/);
		assert.equal(await orgName.getAttribute('aria-invalid'), null);
		assert.equal(await focusedId(page), 'ec-org-q');
		assert.match(await dialog.locator('#ec-org-error').innerText(), /都需要填写：这里不能浏览其他组织的通讯录/);
		await orgName.fill('');
		await q.fill('陈');
		await dialog.getByRole('button', { name: '搜索', exact: true }).click();
		await dialog.locator('#ec-org-name-error', { hasText: '请填写组织名称' }).waitFor();
		assert.equal(await orgName.getAttribute('aria-invalid'), 'true');
		assert.equal(await q.getAttribute('aria-invalid'), null);
		assert.equal(await focusedId(page), 'ec-org-name');
		assert.equal(await dialog.locator('#ec-org-results-section').isVisible(), false);
		assert.equal(searches, 0, 'a search with one field is not sent');
		page.off('request', count);

		// The server's refusal naming a field (own org) is shown at that field.
		await dialog.getByLabel('组织名称').fill(DEMO.org1.name);
		const [own] = await Promise.all([
			page.waitForResponse((r) => isSearch(r.request())),
			dialog.getByRole('button', { name: '搜索', exact: true }).click(),
		]);
		assert.equal(own.status(), 400);
		assert.equal((await own.json()).error.field, 'orgName');
		await dialog.locator('#ec-org-name-error', { hasText: '不能是本组织' }).waitFor();
		assert.equal(await orgName.getAttribute('aria-invalid'), 'true');

		// An unknown org, then a name nobody in 远山贸易 has: their empty states.
		const unknown = `没有这个组织${suffix}`;
		assert.deepEqual(await searchFor(dialog, unknown, '陈'), { org: null, items: [] });
		await dialog.locator('#ec-org-empty[data-reason="no_org"]', { hasText: `未找到该组织：“${unknown}”` }).waitFor();
		assert.equal(await orgName.getAttribute('aria-invalid'), null, 'a good search clears the field errors');
		const nobody = `查无此人${suffix}`;
		const none = await searchFor(dialog, DEMO.org2.name, nobody);
		assert.equal(none.org.name, DEMO.org2.name);
		assert.deepEqual(none.items, []);
		await dialog.locator('#ec-org-empty[data-reason="no_match"]', { hasText: `在“${DEMO.org2.name}”中没有找到与“${nobody}”匹配的人` }).waitFor();

		// 429: says in how many minutes; the entries stay.
		await page.route(`**${API}/directory/search?**`, (route) => route.fulfill({
			status: 429, headers: { 'Retry-After': '150' }, contentType: 'application/json',
			body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many' }, retryAfterSeconds: 150 }),
		}));
		await dialog.getByRole('button', { name: '搜索', exact: true }).click();
		await dialog.locator('#ec-org-error', { hasText: '请在 3 分钟后再试' }).waitFor();
		assert.equal(await q.inputValue(), nobody);
		await page.unroute(`**${API}/directory/search?**`);

		// 远山贸易 + 陈杰: name, org and masked contact data only.
		const found = await searchFor(dialog, DEMO.org2.name, '陈杰');
		const chen = found.items.find((item) => item.displayName === '陈杰');
		assert.ok(chen, JSON.stringify(found));
		const row = resultRow(dialog, '陈杰');
		await row.waitFor();
		const rowText = await row.innerText();
		assert.match(rowText, new RegExp(DEMO.org2.name));
		if (chenEmailBound) {
			assert.match(chen.emailMasked, /^c\*+@yuanshan\.example$/);
			assert.equal(await row.locator('.ec-org-email').innerText().then((t) => t.includes(chen.emailMasked)), true);
			assert.ok(!rowText.includes(CHEN_EMAIL), 'the full email is never shown');
			assert.ok(!JSON.stringify(found).includes(CHEN_EMAIL), 'nor sent');
		}
		await screenshot(page, 'org-requests-search');

		// 添加: the request goes out, the row says so, 我发出的申请 lists it as 等待处理.
		const created = await addPerson(dialog, '陈杰');
		assert.equal(created.status(), 201, await created.text());
		assert.deepEqual(JSON.parse(created.request().postData()), { orgId: found.org.id, userId: chen.userId });
		const request = await created.json();
		assert.equal(request.status, 'pending');
		await row.locator('.ec-org-sent', { hasText: '已发送申请' }).waitFor();
		assert.equal(await row.getByRole('button', { name: '添加 陈杰' }).count(), 0);
		await requestRow(dialog, '陈杰').locator('.ec-org-state', { hasText: '等待处理' }).waitFor();
		assert.equal(await requestRow(dialog, '陈杰').getAttribute('data-id'), String(request.id));

		// The same person again: 409 request_pending, said on the row.
		await searchFor(dialog, DEMO.org2.name, '陈杰');
		const again = await addPerson(dialog, '陈杰');
		assert.equal(again.status(), 409);
		assert.equal((await again.json()).error.code, 'request_pending');
		await resultRow(dialog, '陈杰').locator('.ec-org-sent', { hasText: '已申请，等待对方处理' }).waitFor();
		assert.equal(await dialog.locator('#ec-org-outgoing .ec-org-request').count(), 1, 'no second request');
		await screenshot(page, 'org-requests-sent');
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });

		// The person, in a browser of their own: 外部联系人申请 in the bell, 同意.
		await withPage('org-requests-person', async (other) => {
			await login(other, DEMO.chenjie);
			const org = other.locator('#rh-org-button');
			assert.match(await org.innerText(), new RegExp(DEMO.org2.name));
			const item = await answerInBell(other, '张伟', '同意');
			assert.match(await item.locator('.rh-notif-body').innerText(), new RegExp(`张伟（${DEMO.org1.name}）想添加你为外部联系人`));
			assert.equal(await item.getByRole('button', { name: '同意', exact: true }).count(), 0, 'handled: no actions left');
			await screenshot(other, 'org-requests-accepted-bell');

			// The org switcher now lists 星河科技, tagged 外部 (the shell reads the orgs at load).
			await other.reload();
			await other.locator('header.rh-header').waitFor();
			await org.click();
			const option = other.locator('#rh-org-list .rh-org-option', { hasText: DEMO.org1.name });
			await option.waitFor();
			assert.match(await option.locator('.rh-tag-external').innerText(), /外部/);
			assert.equal(await other.locator('#rh-org-list .rh-org-option', { hasText: DEMO.org2.name }).locator('.rh-tag-external').count(), 0,
				'their own org is not external');
			await screenshot(other, 'org-requests-switcher');
			await option.click();
			await other.waitForFunction((name) => {
				const button = document.querySelector('#rh-org-button');
				return button && button.textContent.includes(name) && button.querySelector('.rh-tag-external');
			}, DEMO.org1.name);
			// In 星河科技 they are an external user: only what is open to external users.
			const me = await other.evaluate(async () => (await fetch('/api/me')).json());
			assert.equal(me.org.name, DEMO.org1.name);
			assert.equal(me.org.kind, 'external');
			const menus = await other.evaluate(async () => (await (await fetch('/api/menus?location=main.nav')).json()).items);
			assert.ok(!menus.some((m) => m.id === 'external-contacts'), '外部互联 is not opened to external users by default');
			if (menus.length === 0) await other.getByRole('heading', { name: '暂无可用的应用' }).waitFor();
			else await other.getByRole('navigation', { name: '主导航' }).waitFor();
			assert.equal(await other.getByRole('link', { name: '外部互联' }).count(), 0);
			assert.equal(await other.getByRole('link', { name: '后台管理' }).count(), 0);
			const direct = await other.evaluate(async (api) => (await fetch(`${api}/contacts?scope=mine`)).status, API);
			assert.ok(direct === 403 || direct === 404, `the plugin's API refuses an external user (${direct})`);
			await screenshot(other, 'org-requests-person-external');
		});

		// The requester's list: 陈杰 with source 其他组织 under the group 远山贸易.
		await showContacts(page);
		const group = page.locator(`section.ec-group[data-group="${DEMO.org2.name}"]`);
		await group.waitFor();
		const contact = group.locator('.ec-contact', { hasText: '陈杰' });
		await contact.waitFor();
		assert.equal(await contact.locator('.ec-tag-other_org').innerText(), '其他组织');
		await screenshot(page, 'org-requests-contact');

		// 我发出的申请: 已同意; 添加 once more: 已是外部联系人 with a link that opens the card.
		const reopened = await openFromOrg(page);
		await requestRow(reopened, '陈杰').locator('.ec-org-state', { hasText: '已同意' }).waitFor();
		assert.equal(await requestRow(reopened, '陈杰').getByRole('button', { name: /撤回/ }).count(), 0);
		await searchFor(reopened, DEMO.org2.name, '陈杰');
		const already = await addPerson(reopened, '陈杰');
		assert.equal(already.status(), 409);
		const alreadyBody = await already.json();
		assert.equal(alreadyBody.error.code, 'already_contact');
		assert.equal(String(alreadyBody.contactId), await contact.getAttribute('data-id'));
		const alreadyRow = resultRow(reopened, '陈杰');
		await alreadyRow.getByText('已是外部联系人').waitFor();
		await alreadyRow.getByRole('button', { name: '查看联系人 陈杰' }).click();
		await reopened.waitFor({ state: 'hidden' });
		const card = page.locator('dialog[open]').filter({ hasText: '陈杰' });
		await card.first().waitFor();
		await screenshot(page, 'org-requests-open-contact');
		contactId = await contact.getAttribute('data-id');

		// 历史: the entry the acceptance wrote says 陈杰 同意了外部联系人申请, not its code (issue 13).
		await historySays(card.first(), '历史', '陈杰', '同意了外部联系人申请');
		await screenshot(page, 'org-requests-history');

		// 账号信息: 陈杰 logs in with the account of 远山贸易; no 申请开通 here (issue 13).
		const account = await accountTab(card.first());
		await account.locator('#ec-acct-none-hint').filter({ hasText: '使用自己的账号登录，无需开通账号' }).waitFor();
		assert.equal(await account.getByRole('button', { name: '申请开通' }).count(), 0);
	});

	// An admin may open accounts directly, but not for a person who has a login of their own.
	await withPage('org-requests-no-second-login', async (page) => {
		await login(page, DEMO.admin);
		await showContacts(page);
		await page.getByLabel('范围').selectOption('all');
		await searchContacts(page, '陈杰');
		await page.locator(`.ec-contact[data-id="${contactId}"]`).getByRole('button', { name: '陈杰', exact: true }).click();
		await page.locator('#ec-popover').getByRole('button', { name: '查看详情' }).click();
		const account = await accountTab(page.getByRole('dialog', { name: '陈杰' }));
		await account.locator('#ec-acct-none-hint').filter({ hasText: '使用自己的账号登录，无需开通账号' }).waitFor();
		assert.equal(await account.getByRole('button', { name: '直接开通' }).count(), 0, 'no 直接开通 for a linked person');
		assert.equal(await account.getByRole('button', { name: '申请开通' }).count(), 0);
		// The API refuses it as well, with the code the tab explains.
		const refused = await pluginApi(page, 'POST', `/contacts/${contactId}/account`, {});
		assert.equal(refused.status, 409);
		assert.equal(refused.json.error.code, 'person_has_account');
		await screenshot(page, 'org-requests-no-second-login');
	});

	// en: the same entry in English.
	await withPage('org-requests-history-en', async (page) => {
		await login(page, DEMO.zhangwei);
		await showContactsInEnglish(page);
		await page.locator(`.ec-contact[data-id="${contactId}"]`).getByRole('button', { name: '陈杰', exact: true }).click();
		await page.locator('#ec-popover').getByRole('button', { name: 'View details' }).click();
		await historySays(page.getByRole('dialog', { name: '陈杰' }), 'History', '陈杰', 'accepted the external contact request');
	}, { locale: 'en' });
});

/** The card's 账号信息 tab, selected once it has loaded. */
async function accountTab(card) {
	await card.getByRole('tab', { name: '账号信息' }).click();
	const panel = card.getByRole('tabpanel', { name: '账号信息' });
	await panel.locator('#ec-acct-title').waitFor();
	return panel;
}

/** The card's 历史 tab (`tab` its name): the contact.org_request_accepted entry by `actor` reads `label`. */
async function historySays(card, tab, actor, label) {
	await card.getByRole('tab', { name: tab }).click();
	const entry = card.getByRole('tabpanel', { name: tab }).locator('.ec-history-entry[data-action="contact.org_request_accepted"]');
	await entry.waitFor();
	assert.equal(await entry.count(), 1);
	assert.equal(await entry.locator('.ec-history-actor').innerText(), actor);
	const shown = await entry.locator('.ec-history-action').innerText();
	assert.doesNotMatch(shown, /contact\.|org_request/, 'the raw action code is shown');
	assert.equal(shown, label);
}

test('decline: the requester sees 已拒绝; 撤回 (confirmed) shows 已撤回 and the person\'s notification is handled', async () => {
	await withPage('org-requests-decline', async (page) => {
		await login(page, DEMO.lina);
		await showContacts(page);
		const dialog = await openFromOrg(page);
		for (const person of [decliner, withdrawn]) {
			await searchFor(dialog, DEMO.org2.name, person.name);
			const sent = await addPerson(dialog, person.name);
			assert.equal(sent.status(), 201, await sent.text());
			await resultRow(dialog, person.name).locator('.ec-org-sent', { hasText: '已发送申请' }).waitFor();
			await requestRow(dialog, person.name).locator('.ec-org-state', { hasText: '等待处理' }).waitFor();
		}

		// 撤回 asks first; 取消 keeps the request.
		const pendingRow = requestRow(dialog, withdrawn.name);
		await pendingRow.getByRole('button', { name: `撤回对 ${withdrawn.name} 的申请` }).click();
		const confirm = page.getByRole('alertdialog', { name: '撤回申请？' });
		await confirm.waitFor();
		assert.match(await confirm.innerText(), new RegExp(`撤回对 ${withdrawn.name}（${DEMO.org2.name}）的申请`));
		assert.equal(await focusedId(page), 'ec-org-confirm-cancel');
		await confirm.getByRole('button', { name: '取消' }).click();
		await confirm.waitFor({ state: 'hidden' });
		assert.equal(await pendingRow.getAttribute('data-status'), 'pending');
		await pendingRow.getByRole('button', { name: `撤回对 ${withdrawn.name} 的申请` }).click();
		await confirm.waitFor();
		const [cancelled] = await Promise.all([
			page.waitForResponse((r) => /\/org-requests\/\d+\/cancel$/.test(new URL(r.url()).pathname)),
			confirm.getByRole('button', { name: '撤回', exact: true }).click(),
		]);
		assert.equal(cancelled.status(), 200, await cancelled.text());
		await confirm.waitFor({ state: 'hidden' });
		await pendingRow.locator('.ec-org-state', { hasText: '已撤回' }).waitFor();
		assert.equal(await pendingRow.getByRole('button', { name: /撤回对/ }).count(), 0);
		await dialog.locator('#ec-org-notice', { hasText: `已撤回对 ${withdrawn.name} 的申请` }).waitFor();

		// The declining person, in another browser: 拒绝 from the bell.
		await withPage('org-requests-decliner', async (other) => {
			await login(other, decliner);
			await answerInBell(other, '李娜', '拒绝');
			await screenshot(other, 'org-requests-declined-bell');
		});
		// The withdrawn person's notification is handled, without actions.
		await withPage('org-requests-withdrawn', async (other) => {
			await login(other, withdrawn);
			await other.locator('#rh-bell').click();
			const item = other.locator('#rh-notif-panel .rh-notif', { hasText: '李娜' })
				.filter({ has: other.locator('.rh-notif-title', { hasText: /^外部联系人申请$/ }) });
			await item.first().waitFor();
			assert.match(await item.getAttribute('class'), /rh-notif-handled/);
			assert.equal(await item.getByRole('button', { name: '同意', exact: true }).count(), 0);
		});

		// The requester's list, loaded again: 已拒绝 and 已撤回; no 撤回 left.
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });
		const again = await openFromOrg(page);
		await requestRow(again, decliner.name).locator('.ec-org-state', { hasText: '已拒绝' }).waitFor();
		await requestRow(again, withdrawn.name).locator('.ec-org-state', { hasText: '已撤回' }).waitFor();
		assert.equal(await again.locator('#ec-org-outgoing .ec-org-withdraw').count(), 0);
		// The declined person can be asked again.
		await searchFor(again, DEMO.org2.name, decliner.name);
		await resultRow(again, decliner.name).getByRole('button', { name: `添加 ${decliner.name}` }).waitFor();
		await screenshot(page, 'org-requests-declined');
		// 撤回 of a request settled meanwhile: told so, the list reloaded.
		const newer = await addPerson(again, decliner.name);
		assert.equal(newer.status(), 201, await newer.text());
		const newerId = (await newer.json()).id;
		const declinerClient = await loggedIn(host.baseUrl, decliner.login, decliner.password);
		const declined = await declinerClient.post(`${API}/org-requests/${newerId}/decline`, {});
		assert.equal(declined.status, 200, declined.text);
		const stale = again.locator(`#ec-org-outgoing .ec-org-request[data-id="${newerId}"]`);
		await stale.locator('.ec-org-state', { hasText: '等待处理' }).waitFor();
		await stale.getByRole('button', { name: /撤回对/ }).click();
		await confirm.waitFor();
		await confirm.getByRole('button', { name: '撤回', exact: true }).click();
		await again.locator('#ec-org-error', { hasText: '该申请已处理（已拒绝）' }).waitFor();
		await stale.locator('.ec-org-state', { hasText: '已拒绝' }).waitFor();
	});
});
