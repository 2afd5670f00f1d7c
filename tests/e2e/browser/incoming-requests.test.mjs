// Browser test of the 外部联系人申请 page (issue 13: the incoming box as a page,
// not only the bell). A person of 远山贸易 with no requests finds the entry in the
// main nav and sees the empty state. Two members of 星河科技 (张伟 and 李娜) ask
// them; the page lists both with name, org, message, sent at and expires at, newest
// first, two to a page with 加载更多 (keyset paging). 接受 asks first (取消 changes
// nothing), then the row shows 已同意 under 已处理; 拒绝 likewise shows 已拒绝; 待处理
// then says there is nothing left. 张伟's 外部互联 list holds the person (其他组织);
// 李娜's does not. A request answered elsewhere meanwhile shows its state and an
// error line. In English the page speaks English. As an external user of 星河科技
// the person still reaches the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { loggedIn } from '../lib/client.mjs';
import { launchBrowser, withPage as runPage, login as loginPage, screenshot } from '../lib/browser.mjs';
import { API, showContacts, searchContacts } from '../lib/contacts-ui.mjs';

const PASSWORD = 'Incoming-UI-2026!';
const suffix = randomBytes(3).toString('hex');
const asked = { login: `inreq${suffix}`, password: PASSWORD, name: `被申请人${suffix}` };
const late = { login: `inlate${suffix}`, password: PASSWORD, name: `晚到者${suffix}` };
let host;
let browser;
const as = {};

before(async () => {
	host = await startHost();
	browser = await launchBrowser();
	for (const person of [asked, late]) {
		const created = await host.cli(['user', 'create', `--login=${person.login}`, `--name=${person.name}`, `--org=${DEMO.org2.name}`,
			'--password-stdin'], { input: `${person.password}\n` });
		assert.equal(created.code, 0, `user create: ${created.stdout}${created.stderr}`);
	}
	as.zhang = await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password);
	as.lina = await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password);
	as.admin = await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password);
	as.asked = await loggedIn(host.baseUrl, asked.login, asked.password);
	as.late = await loggedIn(host.baseUrl, late.login, late.password);
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

/** Opens 外部联系人申请 from the main nav; waits until the first page has loaded. */
async function openIncoming(page, { nav = '主导航', name = '外部联系人申请' } = {}) {
	await page.getByRole('navigation', { name: nav }).getByRole('link', { name }).click();
	await page.getByRole('heading', { level: 1, name }).waitFor();
	await page.locator('#ir-state .ec-loading').waitFor({ state: 'detached' });
	await page.locator('#ir-pending[aria-busy]').waitFor({ state: 'detached' });
}

// As the dialog does it: the sender's search finds the person, then the request (issue 14).
const sendTo = async (client, person) => {
	const found = await client.get(`${API}/directory/search?orgName=${encodeURIComponent(DEMO.org2.name)}&q=${encodeURIComponent(person.me.user.displayName)}`);
	assert.ok(found.json?.items?.some((i) => i.userId === person.me.user.id), `the search finds the person: ${found.text}`);
	const r = await client.post(`${API}/org-requests`, { orgId: person.me.org.id, userId: person.me.user.id });
	assert.equal(r.status, 201, r.text);
	return r.json;
};

const row = (page, id) => page.locator(`#ir-request-${id}`);
const isAnswer = (r, id, action) => new URL(r.url()).pathname === `${API}/org-requests/${id}/${action}` && r.request().method() === 'POST';

/** Clicks 接受 / 拒绝 on the row, checks the confirmation, confirms → the POST's response. */
async function answer(page, id, action, name) {
	const label = action === 'accept' ? '接受' : '拒绝';
	await row(page, id).getByRole('button', { name: `${label} ${name} 的申请` }).click();
	const confirm = page.getByRole('alertdialog', { name: `${label}申请？` });
	await confirm.waitFor();
	assert.match(await confirm.locator('#ir-confirm-text').innerText(), new RegExp(`${name}（${DEMO.org1.name}）`));
	assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'ir-confirm-cancel', 'focus starts on 取消');
	const [response] = await Promise.all([
		page.waitForResponse((r) => isAnswer(r, id, action)),
		confirm.getByRole('button', { name: label, exact: true }).click(),
	]);
	await confirm.waitFor({ state: 'hidden' });
	return response;
}

test('empty state, both requests listed with paging, 接受 and 拒绝 confirmed, the requester gets the contact', async () => {
	await withPage('incoming-requests', async (page) => {
		await login(page, asked);
		await openIncoming(page);
		await page.locator('#ir-empty', { hasText: '还没有收到外部联系人申请' }).waitFor();
		await screenshot(page, 'incoming-requests-empty');

		const fromZhang = await sendTo(as.zhang, as.asked);
		const fromLina = await sendTo(as.lina, as.asked);
		await page.reload();
		await page.getByRole('heading', { level: 1, name: '外部联系人申请' }).waitFor();
		await page.locator('#ir-state .ec-loading').waitFor({ state: 'detached' });
		assert.equal(await page.locator('#ir-empty').count(), 0);
		const items = page.locator('#ir-pending .ir-request');
		assert.equal(await items.count(), 2);
		assert.deepEqual(await items.evaluateAll((rows) => rows.map((r) => r.dataset.id)), [String(fromLina.id), String(fromZhang.id)], 'newest first');
		const zhangRow = row(page, fromZhang.id);
		assert.equal(await zhangRow.locator('.ir-name').innerText(), '张伟');
		assert.equal(await zhangRow.locator('.ir-org').innerText(), DEMO.org1.name);
		assert.match(await zhangRow.locator('.ir-message').innerText(), new RegExp(`张伟（${DEMO.org1.name}）想添加你为外部联系人`));
		assert.match(await zhangRow.locator('.ir-sent').innerText(), /^申请于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
		assert.match(await zhangRow.locator('.ir-expires').innerText(), /^有效期至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
		assert.equal(await zhangRow.locator('.ec-org-state').innerText(), '等待处理');
		assert.equal(await page.locator('#ir-more').isHidden(), true, 'one page holds both');
		await screenshot(page, 'incoming-requests-two');

		// 取消 in the confirmation sends nothing.
		let posts = 0;
		page.on('request', (r) => {
			if (r.method() === 'POST' && new URL(r.url()).pathname.startsWith(`${API}/org-requests/`)) posts += 1;
		});
		await zhangRow.getByRole('button', { name: '接受 张伟 的申请' }).click();
		const confirm = page.getByRole('alertdialog', { name: '接受申请？' });
		await confirm.waitFor();
		await confirm.getByRole('button', { name: '取消' }).click();
		await confirm.waitFor({ state: 'hidden' });
		assert.equal(posts, 0);
		assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('aria-label')), '接受 张伟 的申请', 'focus back on 接受');

		const accepted = await answer(page, fromZhang.id, 'accept', '张伟');
		assert.equal(accepted.status(), 200, await accepted.text());
		await page.locator('#ir-notice', { hasText: '已接受 张伟' }).waitFor();
		await page.locator(`#ir-done #ir-request-${fromZhang.id} .ec-org-state`, { hasText: '已同意' }).waitFor();
		assert.equal(await page.locator(`#ir-request-${fromZhang.id} .ir-accept`).count(), 0, 'no buttons once answered');
		assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.textContent), '张伟', 'focus on the answered request');

		const declined = await answer(page, fromLina.id, 'decline', '李娜');
		assert.equal(declined.status(), 200, await declined.text());
		await page.locator('#ir-notice', { hasText: '已拒绝 李娜' }).waitFor();
		await page.locator(`#ir-done #ir-request-${fromLina.id} .ec-org-state`, { hasText: '已拒绝' }).waitFor();
		// Nothing left to answer.
		await page.locator('#ir-pending-none', { hasText: '没有待处理的申请' }).waitFor();
		assert.equal(await page.locator('#ir-pending .ir-request').count(), 0);
		await screenshot(page, 'incoming-requests-answered');
		// After a reload the same: both answered, nothing pending.
		await page.reload();
		await page.locator('#ir-pending-none').waitFor();
		assert.equal(await page.locator('#ir-done .ir-request').count(), 2);
	});

	// 张伟 now has the person as a contact from another org; 李娜 does not.
	await withPage('incoming-requests-requester', async (page) => {
		await login(page, DEMO.zhangwei);
		await showContacts(page);
		await searchContacts(page, asked.name);
		const contact = page.locator(`section.ec-group[data-group="${DEMO.org2.name}"] .ec-contact`, { hasText: asked.name });
		await contact.waitFor();
		assert.equal(await contact.locator('.ec-tag-other_org').innerText(), '其他组织');
		await screenshot(page, 'incoming-requests-requester');
	});
	const linas = await as.lina.get(`${API}/contacts?scope=mine&q=${encodeURIComponent(asked.name)}`);
	assert.equal(linas.status, 200, linas.text);
	assert.equal(linas.json.items.length, 0);
});

test('paging with 加载更多, a request settled meanwhile, English, and the page as an external user', async () => {
	// Three requests to 晚到者 from 张伟, 李娜 and the admin: the page holds 20, so ask the API for pages of 2.
	const first = await sendTo(as.zhang, as.late);
	const second = await sendTo(as.lina, as.late);
	const third = await sendTo(as.admin, as.late);
	const page1 = await as.late.get(`${API}/org-requests?box=incoming&limit=2`);
	assert.deepEqual(page1.json.items.map((r) => r.id), [third.id, second.id]);
	const page2 = await as.late.get(`${API}/org-requests?box=incoming&limit=2&cursor=${page1.json.nextCursor}`);
	assert.deepEqual(page2.json.items.map((r) => r.id), [first.id]);

	await withPage('incoming-requests-paging', async (page) => {
		// The page asks for 20 at a time; cut its pages to 2 so 加载更多 is needed.
		await page.route(`**${API}/org-requests?*`, (route) => {
			const url = new URL(route.request().url());
			url.searchParams.set('limit', '2');
			route.continue({ url: url.toString() });
		});
		await login(page, late);
		await openIncoming(page);
		assert.equal(await page.locator('#ir-pending .ir-request').count(), 2);
		const more = page.getByRole('button', { name: '加载更多' });
		await more.click();
		await page.locator(`#ir-request-${first.id}`).waitFor();
		assert.equal(await page.locator('#ir-pending .ir-request').count(), 3);
		await more.waitFor({ state: 'hidden' });

		// 张伟 cancels meanwhile: 接受 answers 409, the row shows 已撤回 and an error line.
		const cancelled = await as.zhang.post(`${API}/org-requests/${first.id}/cancel`, {});
		assert.equal(cancelled.status, 200, cancelled.text);
		const refused = await answer(page, first.id, 'accept', '张伟');
		assert.equal(refused.status(), 409);
		await page.locator('#ir-alert', { hasText: '该申请已处理（已撤回）' }).waitFor();
		await page.locator(`#ir-done #ir-request-${first.id} .ec-org-state`, { hasText: '已撤回' }).waitFor();
	});

	// English; and as an external user of 星河科技 (after accepting 李娜's request) the page is still there.
	const accepted = await as.late.post(`${API}/org-requests/${second.id}/accept`, {});
	assert.equal(accepted.status, 200, accepted.text);
	await withPage('incoming-requests-external', async (page) => {
		await login(page, late);
		await page.evaluate(() => localStorage.setItem('rh.locale', 'en'));
		await page.reload();
		await openIncoming(page, { nav: 'Main navigation', name: 'External contact requests' });
		await page.getByRole('heading', { level: 2, name: 'Pending' }).waitFor();
		assert.match(await row(page, third.id).locator('.ir-message').innerText(), /wants to add you as an external contact/);
		await page.evaluate(() => localStorage.setItem('rh.locale', 'zh-CN'));
		const switched = await page.evaluate(async (orgId) => {
			const me = await (await fetch('/api/me')).json();
			const r = await fetch('/api/me/org', {
				method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken }, body: JSON.stringify({ orgId }),
			});
			return r.status;
		}, as.zhang.me.org.id);
		assert.equal(switched, 200);
		await page.goto(`${host.baseUrl}/#/p/incoming-requests`);
		await page.reload();
		await page.locator('#rh-org-button .rh-tag-external').waitFor();
		await page.getByRole('heading', { level: 1, name: '外部联系人申请' }).waitFor();
		await page.locator('#ir-state .ec-loading').waitFor({ state: 'detached' });
		await row(page, third.id).waitFor();
		const declined = await answer(page, third.id, 'decline', '管理员');
		assert.equal(declined.status(), 200, await declined.text());
		await page.locator('#ir-pending-none').waitFor();
		await screenshot(page, 'incoming-requests-external');
	});
});
