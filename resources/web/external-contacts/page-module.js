// What a page module exports to the shell (docs/WEB.md): mount(root, ctx) and
// unmount(), one page at a time.
import { translator } from './i18n.js';

/**
 * createPage(root, ctx, { tr, signal }) → { start(): promise, destroy() }; tr: the
 * translator of ctx.locale; signal: aborted when the page goes (after its destroy()).
 * Returns { mount, unmount }: mount destroys the page shown before, creates the new one
 * and starts it.
 */
export function pageModule(createPage) {
	let current = null;

	function unmount() {
		if (!current) return;
		const { page, controller } = current;
		current = null;
		page.destroy();
		controller.abort();
	}

	async function mount(root, ctx) {
		unmount();
		const controller = new AbortController();
		const page = createPage(root, ctx, { tr: translator(ctx.locale), signal: controller.signal });
		current = { page, controller };
		await page.start();
	}

	return { mount, unmount };
}
