// Shell catalogs (i18n/<locale>.json) and the UI language choice.

export const LOCALES = ['zh-CN', 'en'];
export const DEFAULT_LOCALE = 'zh-CN';
const STORAGE_KEY = 'rh.locale';
const catalogs = new Map();

export function storedLocale() {
	try {
		const value = localStorage.getItem(STORAGE_KEY);
		return LOCALES.includes(value) ? value : DEFAULT_LOCALE;
	} catch {
		return DEFAULT_LOCALE;
	}
}

export function storeLocale(locale) {
	try {
		localStorage.setItem(STORAGE_KEY, locale);
	} catch {
		// Private mode or storage disabled: the choice lasts for this page only.
	}
}

export async function loadCatalog(locale) {
	if (catalogs.has(locale)) return catalogs.get(locale);
	const response = await fetch(`/assets/i18n/${locale}.json`, { cache: 'no-cache' });
	if (!response.ok) throw new Error(`catalog ${locale}: HTTP ${response.status}`);
	const catalog = await response.json();
	catalogs.set(locale, catalog);
	return catalog;
}

/** t(key, params) with {name} placeholders; an unknown key shows as itself. */
export function makeTranslator(catalog) {
	return function t(key, params) {
		const text = Object.prototype.hasOwnProperty.call(catalog, key) ? catalog[key] : key;
		if (!params) return text;
		return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
	};
}
