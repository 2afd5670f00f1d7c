// 绑定微信 in 个人设置 (R7.3): the host mounts this module (menu location
// me.bindings) for every logged-in user, member or external. It shows the
// bound WeChat (nickname, avatar) with 解除绑定, or 绑定微信, which asks the
// plugin for WeChat's authorization page (POST /me/wechat/authorize) and goes
// there; WeChat sends the user back to /me/wechat/callback, a page that says
// how it went and links back here.
import { h } from './dom.js';
import { translator } from './i18n.js';
import { request, BASE } from './api.js';


export async function mount(container, ctx) {
	const tr = translator(ctx.locale);
	const heading = h('h2', { id: 'wechat-binding-heading' }, tr('wxbind.title'));
	const status = h('div', { class: 'ec-wechat-binding-state', role: 'status', 'aria-live': 'polite' }, tr('wxbind.loading'));
	const error = h('p', { class: 'rh-form-error', role: 'alert' });
	const button = h('button', { type: 'button', class: 'rh-button rh-button-primary', id: 'wechat-binding-action' });
	container.setAttribute('aria-labelledby', heading.id);
	container.replaceChildren(heading, h('p', { class: 'rh-hint' }, tr('wxbind.intro')), status, error, button);
	let bound = false;

	const show = (state) => {
		bound = Boolean(state && state.bound);
		const name = state && state.nickname;
		status.replaceChildren(
			bound && state.avatarUrl ? h('img', { src: state.avatarUrl, alt: tr('wxbind.avatar'), width: 32, height: 32, referrerpolicy: 'no-referrer' }) : '',
			h('span', {}, bound ? (name ? tr('wxbind.bound', { name }) : tr('wxbind.boundNoName')) : tr('wxbind.unbound')));
		button.textContent = bound ? tr('wxbind.unbind') : tr('wxbind.bind');
		button.disabled = false;
	};
	const fail = (failure) => {
		error.textContent = tr('wxbind.failed', { reason: ctx.errorText(failure) });
		button.disabled = false;
	};

	button.addEventListener('click', async () => {
		error.textContent = '';
		if (bound) {
			if (!window.confirm(tr('wxbind.confirm'))) return;
			button.disabled = true;
			try {
				show(await request(ctx, 'DELETE', `${BASE}/me/wechat`));
				status.append(h('span', { class: 'rh-hint' }, ` ${tr('wxbind.unboundDone')}`));
			} catch (failure) {
				fail(failure);
			}
			return;
		}
		button.disabled = true;
		try {
			const started = await request(ctx, 'POST', `${BASE}/me/wechat/authorize`, {});
			window.location.assign(started.redirectUrl);
		} catch (failure) {
			fail(failure);
		}
	});

	try {
		show(await request(ctx, 'GET', `${BASE}/me/wechat`));
	} catch (failure) {
		status.textContent = '';
		fail(failure);
	}
}

export function unmount(container) {
	container.replaceChildren();
}
