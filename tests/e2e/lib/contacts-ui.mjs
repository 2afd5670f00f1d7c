// Helpers of the browser tests of the 外部互联 page: open it, and call the
// plugin's API with the page's own session.
import assert from 'node:assert/strict';

export const API = '/api/plugins/external-contacts';

/**
 * Opens the 外部互联 page from the main nav and waits until its list and
 * counts have loaded. reload: load the shell again first (after data was
 * made through the API); nav / heading: the names in another language.
 */
export async function showContacts(page, { reload = true, nav = '主导航', heading = '外部互联' } = {}) {
	if (reload) await page.reload();
	await page.getByRole('navigation', { name: nav }).getByRole('link', { name: heading }).click();
	await page.getByRole('heading', { level: 1, name: heading }).waitFor();
	await page.locator('.ec-list[aria-busy]').waitFor({ state: 'detached' });
	await page.locator('.ec-status .ec-loading').waitFor({ state: 'detached' });
}

/**
 * Switches the shell to English (rh.locale) and opens External Contacts,
 * waiting until its list has loaded.
 */
export async function showContactsInEnglish(page) {
	await page.evaluate(() => localStorage.setItem('rh.locale', 'en'));
	await page.reload();
	await page.locator('header.rh-header').waitFor();
	await page.getByRole('link', { name: 'External Contacts' }).click();
	await page.locator('.ec-list[aria-busy]').waitFor({ state: 'detached' });
}

/**
 * Searches the list for text (Enter, no debounce) and waits until the list
 * has reloaded: a row of the old list must not be clicked while the new one
 * is on its way, or the popover it opens is taken away by the reload.
 */
export async function searchContacts(page, text, { label = '搜索外部联系人' } = {}) {
	const search = page.getByLabel(label);
	await search.fill(text);
	await search.press('Enter'); // sets aria-busy at once (keydown handler)
	await page.locator('.ec-list[aria-busy]').waitFor({ state: 'detached' });
	await page.locator('.ec-status .ec-loading').waitFor({ state: 'detached' });
}

/** Calls the plugin API (path below API) with the page's session and CSRF token → {status, json}. */
export function pluginApi(page, method, path, body) {
	return page.evaluate(async ({ method, url, body }) => {
		const me = await (await fetch('/api/me')).json();
		const response = await fetch(url, {
			method,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, json: text ? JSON.parse(text) : null };
	}, { method, url: `${API}${path}`, body });
}

/** Creates a contact as the page's user; fails the test unless 201. */
export async function createContact(page, body) {
	const answer = await pluginApi(page, 'POST', '/contacts', body);
	assert.equal(answer.status, 201, JSON.stringify(answer.json));
	return answer.json;
}
