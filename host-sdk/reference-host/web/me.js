// 个人设置 (#/me, R7.3): every logged-in user, member or external, edits
// their profile (PUT /api/me/profile), changes their password (POST
// /api/me/password; every other session ends) and binds an email address
// or mobile number with a 6-digit code sent to it (POST
// /api/me/contact-bindings, then .../confirm). Errors are localized by code
// and field, shown in role=alert next to the form, and focus goes to the
// first invalid field. Plugins add bindings of their own (e.g. 绑定微信) as
// menu items of location me.bindings: each module is mounted in a section
// below (mount.js).
import { h } from './dom.js';
import { mountModule } from './mount.js';

export const MIN_PASSWORD = 12;
export const MAX_NAME = 100;

const PASSWORD_TEXT = {
	too_short: (t) => t('activate.password_too_short', { min: MIN_PASSWORD }),
	too_long: (t) => t('activate.password_too_long'),
	too_simple: (t) => t('activate.password_too_simple'),
	contains_login: (t) => t('activate.password_contains_login'),
	too_common: (t) => t('activate.password_too_common'),
	invalid: (t) => t('activate.password_invalid'),
};

/** One form with an error line; fail(text, input) marks the input and focuses it. */
function formParts(id, titleKey, t) {
	const error = h('p', { id: `${id}-error`, class: 'rh-form-error', role: 'alert', 'aria-live': 'assertive' });
	const form = h('form', { id, class: 'rh-me-form', novalidate: true, 'aria-labelledby': `${id}-heading` },
		h('h2', { id: `${id}-heading` }, t(titleKey)));
	const inputs = [];
	const field = (name, labelKey, attrs = {}, hint = null) => {
		const input = h('input', { id: `${id}-${name}`, name, 'aria-describedby': [hint ? `${id}-${name}-hint` : null, `${id}-error`].filter(Boolean).join(' '), ...attrs });
		inputs.push(input);
		form.append(h('div', { class: 'rh-field' }, h('label', { for: input.id }, t(labelKey)), input,
			hint ? h('p', { id: `${id}-${name}-hint`, class: 'rh-hint' }, hint) : null));
		return input;
	};
	const fail = (text, input) => {
		error.textContent = text || '';
		for (const each of inputs) each.removeAttribute('aria-invalid');
		if (input) {
			input.setAttribute('aria-invalid', 'true');
			input.focus();
		}
	};
	const busy = (on, button) => {
		button.disabled = on;
		if (on) form.setAttribute('aria-busy', 'true');
		else form.removeAttribute('aria-busy');
	};
	return { form, error, field, fail, busy };
}

function profileForm(shell, onMe) {
	const { t, me } = shell;
	const p = formParts('me-profile', 'me.profile', t);
	const name = p.field('displayName', 'me.displayName', { type: 'text', required: true, maxlength: String(MAX_NAME), autocomplete: 'name', value: me.user.displayName || '' });
	const title = p.field('title', 'me.jobTitle', { type: 'text', maxlength: String(MAX_NAME), autocomplete: 'organization-title', value: me.user.title || '' });
	// Whether members of other organizations may find this user (从其他组织添加); on unless turned off.
	const discoverable = h('input', { type: 'checkbox', id: 'me-profile-discoverable', name: 'discoverable', checked: me.user.discoverable !== false });
	p.form.append(h('div', { class: 'rh-field rh-field-check' }, discoverable,
		h('label', { for: discoverable.id }, t('me.discoverable'))));
	const submit = h('button', { type: 'submit', class: 'rh-button rh-button-primary' }, t('me.save'));
	p.form.append(p.error, submit);
	p.form.addEventListener('submit', async (event) => {
		event.preventDefault();
		const displayName = name.value.trim();
		if (displayName.length === 0) return p.fail(t('me.displayNameRequired'), name);
		if ([...displayName].length > MAX_NAME) return p.fail(t('me.tooLong', { max: MAX_NAME }), name);
		if ([...title.value.trim()].length > MAX_NAME) return p.fail(t('me.tooLong', { max: MAX_NAME }), title);
		p.fail('');
		p.busy(true, submit);
		try {
			const updated = await shell.api('PUT', '/api/me/profile', { displayName, title: title.value.trim(), discoverable: discoverable.checked });
			onMe(updated);
			shell.toast(t('me.saved'));
		} catch (failure) {
			if (failure.status === 401) return;
			const input = failure.field === 'title' ? title : failure.field === 'displayName' ? name : null;
			p.fail(shell.errorText(failure, { fields: { displayName: t('me.displayNameInvalid'), title: t('me.tooLong', { max: MAX_NAME }) } }), input);
		} finally {
			p.busy(false, submit);
		}
	});
	return p.form;
}

function passwordForm(shell) {
	const { t, me } = shell;
	const p = formParts('me-password', 'me.password', t);
	// The login name travels with the form so password managers store the pair.
	p.form.append(h('input', { type: 'text', name: 'username', autocomplete: 'username', value: me.user.login, hidden: true, readonly: true }));
	const current = p.field('currentPassword', 'me.currentPassword', { type: 'password', required: true, autocomplete: 'current-password' });
	const next = p.field('newPassword', 'activate.password', { type: 'password', required: true, autocomplete: 'new-password', minlength: String(MIN_PASSWORD) },
		t('activate.rules', { min: MIN_PASSWORD }));
	const repeat = p.field('repeatPassword', 'activate.repeat', { type: 'password', required: true, autocomplete: 'new-password' });
	const submit = h('button', { type: 'submit', class: 'rh-button rh-button-primary' }, t('me.changePassword'));
	p.form.append(h('p', { class: 'rh-hint' }, t('me.passwordSessions')), p.error, submit);
	p.form.addEventListener('submit', async (event) => {
		event.preventDefault();
		if (!current.value) return p.fail(t('me.currentRequired'), current);
		if ([...next.value].length < MIN_PASSWORD) return p.fail(PASSWORD_TEXT.too_short(t), next);
		if (next.value !== repeat.value) return p.fail(t('activate.mismatch'), repeat);
		p.fail('');
		p.busy(true, submit);
		try {
			await shell.api('POST', '/api/me/password', { currentPassword: current.value, newPassword: next.value });
			for (const input of [current, next, repeat]) input.value = '';
			shell.toast(t('me.passwordChanged'));
		} catch (failure) {
			if (failure.status === 401) return;
			const code = String(failure.code || '');
			const reason = code.startsWith('password_') ? code.slice('password_'.length) : '';
			if (code === 'invalid_credentials') p.fail(t('me.currentWrong'), current);
			else if (PASSWORD_TEXT[reason]) p.fail(PASSWORD_TEXT[reason](t), next);
			else p.fail(shell.errorText(failure), null);
		} finally {
			p.busy(false, submit);
		}
	});
	return p.form;
}

function bindingForm(shell, channel, onMe) {
	const { t, me } = shell;
	const email = channel === 'email';
	const p = formParts(`me-bind-${channel}`, email ? 'me.bindEmail' : 'me.bindMobile', t);
	const currentValue = (email ? me.user.email : me.user.mobile) || '';
	p.form.append(h('p', { class: 'rh-me-current' }, currentValue
		? t(email ? 'me.currentEmail' : 'me.currentMobile', { value: currentValue })
		: t(email ? 'me.noEmail' : 'me.noMobile')));
	const value = p.field('value', email ? 'me.email' : 'me.mobile',
		email ? { type: 'email', required: true, maxlength: '254', autocomplete: 'email' } : { type: 'tel', required: true, maxlength: '21', autocomplete: 'tel', inputmode: 'tel' });
	const send = h('button', { type: 'submit', class: 'rh-button' }, t('me.sendCode'));
	p.form.append(p.error, send);
	const code = p.field('code', 'me.code', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', pattern: '[0-9]{6}' });
	const confirm = h('button', { type: 'button', class: 'rh-button rh-button-primary' }, t('me.confirm'));
	const codeStep = h('div', { class: 'rh-me-code', hidden: true }, code.parentElement, confirm);
	p.form.append(codeStep);
	const status = h('p', { class: 'rh-hint', role: 'status' });
	p.form.append(status);

	const valid = (text) => email ? text.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) : /^\+?[0-9]{6,20}$/.test(text);
	const invalidText = () => t(email ? 'me.emailInvalid' : 'me.mobileInvalid');

	p.form.addEventListener('submit', async (event) => {
		event.preventDefault();
		const text = value.value.trim();
		if (!valid(text)) return p.fail(invalidText(), value);
		p.fail('');
		p.busy(true, send);
		try {
			await shell.api('POST', '/api/me/contact-bindings', { channel, value: text });
			codeStep.hidden = false;
			code.value = '';
			status.textContent = t('me.codeSent', { value: text });
			code.focus();
		} catch (failure) {
			if (failure.status === 401) return;
			p.fail(shell.errorText(failure, { fields: { value: invalidText() } }), failure.field === 'value' ? value : null);
		} finally {
			p.busy(false, send);
		}
	});
	confirm.addEventListener('click', async () => {
		const entered = code.value.trim();
		if (!/^[0-9]{6}$/.test(entered)) return p.fail(t('me.codeFormat'), code);
		p.fail('');
		p.busy(true, confirm);
		try {
			const updated = await shell.api('POST', '/api/me/contact-bindings/confirm', { channel, code: entered });
			codeStep.hidden = true;
			status.textContent = '';
			value.value = '';
			shell.toast(t(email ? 'me.emailBound' : 'me.mobileBound'));
			onMe(updated);
		} catch (failure) {
			if (failure.status === 401) return;
			if (failure.code === 'code_invalid') {
				const left = Number.isInteger(failure.attemptsLeft) ? failure.attemptsLeft : null;
				p.fail(left === null ? t('me.codeWrong') : t('me.codeWrongLeft', { left }), code);
			} else if (failure.code === 'code_expired') {
				p.fail(t('me.codeExpired'), value);
			} else p.fail(shell.errorText(failure), null);
		} finally {
			p.busy(false, confirm);
		}
	});
	code.addEventListener('keydown', (event) => {
		if (event.key === 'Enter') {
			event.preventDefault();
			confirm.click();
		}
	});
	return p.form;
}

/** Renders the page into content; returns { unmount }. */
export function renderPersonalSettings(shell, content) {
	const { t } = shell;
	const page = h('div', { class: 'rh-settings rh-me' });
	// Plugin bindings keep their section across redraws of the host's forms.
	const extras = h('div', { id: 'me-plugin-bindings' });
	const handles = [];
	let alive = true;
	const draw = () => {
		page.replaceChildren(
			h('h1', {}, t('me.title')),
			h('p', { class: 'rh-hint' }, t('me.who', { login: shell.me.user.login })),
			profileForm(shell, onMe),
			passwordForm(shell),
			bindingForm(shell, 'email', onMe),
			bindingForm(shell, 'mobile', onMe),
			extras);
	};
	const mountBindings = async () => {
		let items = [];
		try {
			items = await shell.menus('me.bindings');
		} catch (error) {
			return; // the host's own forms work without them
		}
		for (const item of items) {
			if (!alive || !item.module) continue;
			const section = h('section', { class: 'rh-me-form rh-me-plugin', dataset: { menuId: item.id } });
			extras.append(section);
			const handle = await mountModule(shell, item, section, () => alive, item.id);
			if (handle) handles.push(handle);
		}
	};
	const onMe = (updated) => {
		if (!updated || !updated.user) return;
		shell.me = { ...shell.me, user: updated.user };
		if (shell.header && shell.header.refreshUser) shell.header.refreshUser();
		draw();
	};
	draw();
	content.append(page);
	mountBindings();
	return {
		unmount() {
			alive = false;
			for (const handle of handles) handle.unmount();
			page.remove();
		},
	};
}
