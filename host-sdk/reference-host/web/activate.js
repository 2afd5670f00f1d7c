// The activation page of an external account (#/activate/<token>): the
// person the link was sent to sees their login name and chooses a password.
// POST /api/activation/check {token}, then POST /api/activation {token, password}.
// The token stays in the URL fragment, so it never reaches a server log.
import { h, clear } from './dom.js';
import { languageSwitcher } from './header.js';
import { errorText } from './errors.js';

const PASSWORD_CODES = ['too_short', 'too_long', 'too_simple', 'contains_login', 'too_common', 'invalid'];

export function activationToken(hash) {
	const match = /^#\/activate\/([0-9a-f]{1,128})$/.exec(hash || '');
	return match ? match[1] : null;
}

export async function renderActivation(root, shell, token, { onActivated }) {
	const { t } = shell;
	clear(root);
	const card = h('div', { class: 'rh-login-card' },
		h('div', { class: 'rh-login-brand' }, h('span', { class: 'rh-logo', 'aria-hidden': 'true' }), t('app.name')),
		h('h1', { id: 'rh-activate-title', class: 'rh-login-title' }, t('activate.title')));
	const main = h('main', { id: 'main', class: 'rh-login', tabindex: '-1' }, card);
	root.append(main);
	const status = h('p', { class: 'rh-loading', role: 'status' }, t('app.loading'));
	card.append(status);

	let pending;
	try {
		pending = await shell.api('POST', '/api/activation/check', { token }, { allowUnauthenticated: true });
	} catch (failure) {
		status.remove();
		const text = failure.code === 'activation_link_expired' ? t('activate.expired')
			: failure.code === 'activation_link_invalid' ? t('activate.invalid') : errorText(t, failure);
		card.append(h('p', { class: 'rh-form-error', role: 'alert' }, text),
			h('p', {}, h('a', { href: '#/', class: 'rh-activate-login' }, t('activate.toLogin'))),
			h('div', { class: 'rh-login-footer' }, languageSwitcher(shell, 'rh-login-lang')));
		main.focus();
		return;
	}
	status.remove();

	const error = h('p', { id: 'activate-error', class: 'rh-form-error', role: 'alert', 'aria-live': 'assertive' });
	const hint = h('p', { id: 'activate-hint', class: 'rh-hint' }, t('activate.rules', { min: pending.minLength }));
	const password = h('input', {
		id: 'new-password', name: 'new-password', type: 'password', autocomplete: 'new-password', required: true,
		minlength: String(pending.minLength), 'aria-describedby': 'activate-hint activate-error',
	});
	const repeat = h('input', {
		id: 'repeat-password', name: 'repeat-password', type: 'password', autocomplete: 'new-password', required: true,
		'aria-describedby': 'activate-error',
	});
	// The login name travels with the form so password managers store the pair.
	const username = h('input', { type: 'text', name: 'username', autocomplete: 'username', value: pending.login, hidden: true, readonly: true });
	const submit = h('button', { type: 'submit', class: 'rh-button rh-button-primary rh-login-submit' }, t('activate.submit'));
	const form = h('form', { class: 'rh-login-form', novalidate: true, 'aria-labelledby': 'rh-activate-title' },
		h('p', { class: 'rh-activate-who' }, t('activate.who', { name: pending.displayName, login: pending.login })),
		username,
		h('div', { class: 'rh-field' }, h('label', { for: 'new-password' }, t('activate.password')), password, hint),
		h('div', { class: 'rh-field' }, h('label', { for: 'repeat-password' }, t('activate.repeat')), repeat),
		error,
		submit);

	const setError = (text, field) => {
		error.textContent = text;
		for (const input of [password, repeat]) input.removeAttribute('aria-invalid');
		if (field) {
			field.setAttribute('aria-invalid', 'true');
			field.focus();
		}
	};

	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		if ([...password.value].length < pending.minLength) return setError(t('activate.password_too_short', { min: pending.minLength }), password);
		if (password.value !== repeat.value) return setError(t('activate.mismatch'), repeat);
		setError('');
		submit.disabled = true;
		form.setAttribute('aria-busy', 'true');
		try {
			await shell.api('POST', '/api/activation', { token, password: password.value }, { allowUnauthenticated: true });
			password.value = '';
			repeat.value = '';
			onActivated(pending.login);
		} catch (failure) {
			const code = String(failure.code || '');
			const reason = code.startsWith('password_') ? code.slice('password_'.length) : '';
			if (PASSWORD_CODES.includes(reason)) setError(t(`activate.password_${reason}`, { min: pending.minLength }), password);
			else if (code === 'activation_link_expired') setError(t('activate.expired'), null);
			else setError(errorText(t, failure), null);
			submit.disabled = false;
			form.removeAttribute('aria-busy');
		}
	});

	card.append(form, h('div', { class: 'rh-login-footer' }, languageSwitcher(shell, 'rh-login-lang')));
	password.focus();
}
