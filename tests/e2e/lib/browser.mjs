// Chromium through playwright-core for the browser tests.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
const CHROMIUM = process.env.EC_CHROMIUM || '/usr/bin/chromium';

/** Debian's Chromium, headless, with nothing that talks to the network by itself. */
export async function launchBrowser() {
	await mkdir(ARTIFACTS, { recursive: true });
	return chromium.launch({
		executablePath: CHROMIUM,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
}

/**
 * Runs fn(page) in a fresh browser context (own cookies and storage). Uncaught
 * page errors and CSP violations fail the test; on failure a screenshot goes to
 * artifacts/failure-<name>.png and the host's last output joins the error.
 */
export async function withPage(browser, host, name, fn,
	{ locale = 'zh-CN', viewport = { width: 1280, height: 860 }, context: contextOptions = {}, prepare, report } = {}) {
	// contextOptions: more browser-context options (isMobile, userAgent, …);
	// prepare(context): routes and the like before the page opens;
	// report(): more text for a failure's message.
	const context = await browser.newContext({ locale, viewport, ...contextOptions });
	if (prepare) await prepare(context);
	const page = await context.newPage();
	page.setDefaultTimeout(15000);
	const pageErrors = [];
	page.on('pageerror', (error) => pageErrors.push(error.message));
	page.on('console', (message) => {
		// The shell runs under a strict CSP: a violation is a bug, not noise.
		if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
	});
	try {
		await fn(page);
		assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
	} catch (error) {
		await page.screenshot({ path: path.join(ARTIFACTS, `failure-${name}.png`), fullPage: true }).catch(() => {});
		const tail = host.output().split('\n').slice(-40).join('\n');
		error.message += `\n--- page errors: ${JSON.stringify(pageErrors)}${report ? `\n--- ${report()}` : ''}\n--- last host output:\n${tail}`;
		throw error;
	} finally {
		await context.close();
	}
}

/** Logs in through the login page and waits for the shell's header. */
export async function login(page, host, { login: name, password }) {
	await page.goto(`${host.baseUrl}/`);
	await page.getByLabel('登录名').fill(name);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	await page.locator('header.rh-header').waitFor();
}

export function screenshot(page, name, options = {}) {
	return page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), ...options });
}
