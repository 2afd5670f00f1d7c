// The login page: POST /api/session {login, password}.
import { h, clear } from './dom.js';
import { languageSwitcher } from './header.js';
import { errorText } from './errors.js';

export function renderLogin(root, shell, { message, onLoggedIn }) {
	const { t } = shell;
	clear(root);
	const error = h('p', { id: 'login-error', class: 'rh-form-error', role: 'alert', 'aria-live': 'assertive' });
	const notice = h('p', { class: 'rh-notice', role: 'status' }, message || '');
	if (!message) notice.hidden = true;
	const login = h('input', {
		id: 'login', name: 'login', type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false',
		required: true, 'aria-describedby': 'login-error',
	});
	const password = h('input', {
		id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true,
		'aria-describedby': 'login-error',
	});
	const submit = h('button', { type: 'submit', class: 'rh-button rh-button-primary rh-login-submit' }, t('login.submit'));
	const form = h('form', { class: 'rh-login-form', novalidate: true, 'aria-labelledby': 'rh-login-title' },
		h('div', { class: 'rh-field' }, h('label', { for: 'login' }, t('login.login')), login),
		h('div', { class: 'rh-field' }, h('label', { for: 'password' }, t('login.password')), password),
		error,
		submit);

	const setError = (text, field) => {
		error.textContent = text;
		for (const input of [login, password]) input.removeAttribute('aria-invalid');
		if (field) {
			field.setAttribute('aria-invalid', 'true');
			field.focus();
		}
	};

	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		const name = login.value.trim();
		if (!name) return setError(t('login.missingLogin'), login);
		if (!password.value) return setError(t('login.missingPassword'), password);
		setError('');
		submit.disabled = true;
		form.setAttribute('aria-busy', 'true');
		try {
			const me = await shell.api('POST', '/api/session', { login: name, password: password.value }, { allowUnauthenticated: true });
			password.value = '';
			await onLoggedIn(me);
		} catch (failure) {
			password.value = '';
			if (failure.status === 401) setError(t('login.invalid'), password);
			else if (failure.status === 429) {
				setError(failure.retryAfter !== null ? t('login.tooMany', { seconds: failure.retryAfter }) : t('login.tooManyNoTime'), password);
			} else setError(errorText(t, failure), null);
			submit.disabled = false;
			form.removeAttribute('aria-busy');
		}
	});

	root.append(h('main', { id: 'main', class: 'rh-login', tabindex: '-1' },
		h('div', { class: 'rh-login-card' },
			h('div', { class: 'rh-login-brand' }, h('span', { class: 'rh-logo', 'aria-hidden': 'true' }), t('app.name')),
			h('h1', { id: 'rh-login-title', class: 'rh-login-title' }, t('login.title')),
			notice,
			form,
			h('div', { class: 'rh-login-footer' }, languageSwitcher(shell, 'rh-login-lang')))));
	login.focus();
}
