// 绑定微信 in 个人设置 (R7.3): the host mounts this module (menu location
// me.bindings) for every logged-in user, member or external. It shows the
// bound WeChat (nickname, avatar) with 解除绑定, or 绑定微信, which asks the
// plugin for WeChat's authorization page (POST /me/wechat/authorize) and goes
// there; WeChat sends the user back to /me/wechat/callback, a page that says
// how it went and links back here.
import { h } from './dom.js';

const BASE = '/api/plugins/external-contacts';

const TEXT = {
	'zh-CN': {
		title: '绑定微信',
		intro: '绑定后，可以用微信识别你的身份，邀请和通知也能送达你的微信。',
		bound: '已绑定微信：{name}',
		boundNoName: '已绑定微信',
		unbound: '尚未绑定微信',
		bind: '绑定微信',
		unbind: '解除绑定',
		confirm: '确定要解除与微信的绑定吗？',
		unboundDone: '已解除绑定',
		avatar: '微信头像',
		failed: '操作未成功：{reason}',
		loading: '正在加载…',
	},
	en: {
		title: 'WeChat',
		intro: 'Once bound, WeChat can identify you, and invitations and notices can reach your WeChat.',
		bound: 'Bound to WeChat: {name}',
		boundNoName: 'Bound to WeChat',
		unbound: 'WeChat is not bound',
		bind: 'Bind WeChat',
		unbind: 'Unbind',
		confirm: 'Unbind your WeChat?',
		unboundDone: 'WeChat unbound',
		avatar: 'WeChat avatar',
		failed: 'That did not work: {reason}',
		loading: 'Loading…',
	},
};

function texts(locale) {
	const table = TEXT[locale] || TEXT['zh-CN'];
	return (key, params = {}) => String(table[key]).replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

export async function mount(container, ctx) {
	const tr = texts(ctx.locale);
	const heading = h('h2', { id: 'wechat-binding-heading' }, tr('title'));
	const status = h('div', { class: 'ec-wechat-binding-state', role: 'status', 'aria-live': 'polite' }, tr('loading'));
	const error = h('p', { class: 'rh-form-error', role: 'alert' });
	const button = h('button', { type: 'button', class: 'rh-button rh-button-primary', id: 'wechat-binding-action' });
	container.setAttribute('aria-labelledby', heading.id);
	container.replaceChildren(heading, h('p', { class: 'rh-hint' }, tr('intro')), status, error, button);
	let bound = false;

	const show = (state) => {
		bound = Boolean(state && state.bound);
		const name = state && state.nickname;
		status.replaceChildren(
			bound && state.avatarUrl ? h('img', { src: state.avatarUrl, alt: tr('avatar'), width: 32, height: 32, referrerpolicy: 'no-referrer' }) : '',
			h('span', {}, bound ? (name ? tr('bound', { name }) : tr('boundNoName')) : tr('unbound')));
		button.textContent = bound ? tr('unbind') : tr('bind');
		button.disabled = false;
	};
	const fail = (failure) => {
		error.textContent = tr('failed', { reason: ctx.errorText(failure) });
		button.disabled = false;
	};

	button.addEventListener('click', async () => {
		error.textContent = '';
		if (bound) {
			if (!window.confirm(tr('confirm'))) return;
			button.disabled = true;
			try {
				show(await ctx.api('DELETE', `${BASE}/me/wechat`));
				status.append(h('span', { class: 'rh-hint' }, ` ${tr('unboundDone')}`));
			} catch (failure) {
				fail(failure);
			}
			return;
		}
		button.disabled = true;
		try {
			const started = await ctx.api('POST', `${BASE}/me/wechat/authorize`, {});
			window.location.assign(started.redirectUrl);
		} catch (failure) {
			fail(failure);
		}
	});

	try {
		show(await ctx.api('GET', `${BASE}/me/wechat`));
	} catch (failure) {
		status.textContent = '';
		fail(failure);
	}
}

export function unmount(container) {
	container.replaceChildren();
}
