// The 历史 tab's action labels (issue 13): every audit action the plugin
// writes has a label in the page's zh-CN and en catalogs, and the card shows
// that label, never the raw code. The actions are not listed here: they are
// read from the server's source (plugin/src), so a new action without a label
// fails this test (no host needed; the Chromium check of a real entry is in
// org-requests.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = process.env.EC_SOURCE_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SERVER = path.join(SOURCE, 'plugin/src');
const PLUGIN = path.join(SOURCE, 'resources/web/external-contacts');
const ACTION = /^[a-z][a-z_]*\.[a-z_]+$/;

/** plugin/src/**\/*.{cpp,h} → [{ name, code }], comments blanked out (string literals kept). */
async function serverSources(dir = SERVER) {
	const out = [];
	for (const entry of await readdir(dir, { withFileTypes: true })) {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) out.push(...await serverSources(file));
		else if (/\.(cpp|h)$/.test(entry.name)) out.push({ name: path.relative(SOURCE, file), code: stripComments(await readFile(file, 'utf8')) });
	}
	return out;
}

function stripComments(text) {
	let out = '';
	for (let i = 0; i < text.length; i += 1) {
		const c = text[i];
		if (c === '"' || c === "'") {
			let j = i + 1;
			while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
			out += text.slice(i, j + 1);
			i = j;
		} else if (c === '/' && text[i + 1] === '/') {
			while (i < text.length && text[i] !== '\n') i += 1;
			out += '\n';
		} else if (c === '/' && text[i + 1] === '*') {
			const end = text.indexOf('*/', i + 2);
			out += text.slice(i, end < 0 ? text.length : end + 2).replace(/[^\n]/g, ' ');
			i = end < 0 ? text.length : end + 1;
		} else out += c;
	}
	return out;
}

const literals = (text) => [...text.matchAll(/"([^"\\]*)"/g)].map((m) => m[1]);

/** The text of the balanced (...) that opens at `open`. */
function parenthesized(code, open) {
	let depth = 0;
	for (let i = open; i < code.length; i += 1) {
		if (code[i] === '"') {
			i += 1;
			while (i < code.length && code[i] !== '"') i += code[i] === '\\' ? 2 : 1;
		} else if (code[i] === '(') depth += 1;
		else if (code[i] === ')' && (depth -= 1) === 0) return code.slice(open + 1, i);
	}
	return code.slice(open + 1);
}

/**
 * The audit actions the server writes, read from plugin/src:
 *  - the values of its AUDIT_* constants (`X::AUDIT_Y("contact.create")`, `= "..."`);
 *  - action literals where an AuditEntry's action is set (`entry.action = "account.disable"`)
 *    or passed to the helpers that build and write entries (auditEntry, auditAccount,
 *    auditOf, insertNew);
 *  - any "contact.*" literal in the code (comments left out).
 * Every `.action = X` (outside store/) must be a literal, an AUDIT_* constant or a `const std::string&`
 * parameter of that file, and every AUDIT_* named there must be defined: a write the
 * scan cannot read fails the test instead of being missed.
 */
async function serverActions() {
	const sources = await serverSources();
	const actions = new Map(); // action → where found
	const add = (action, where) => {
		if (!actions.has(action)) actions.set(action, where);
	};
	const constants = new Map();
	for (const { name, code } of sources) {
		for (const m of code.matchAll(/\b(AUDIT_[A-Z0-9_]+)\s*(?:\(|=|\{)\s*"([^"]*)"/g)) {
			constants.set(m[1], m[2]);
			add(m[2], `${name}: ${m[1]}`);
		}
	}
	assert.ok(constants.size > 0, 'no AUDIT_* constant definitions found in plugin/src: has the pattern changed?');
	const problems = [];
	for (const { name, code } of sources) {
		const params = new Set([...code.matchAll(/const std::string&\s*(\w+)/g)].map((m) => m[1]));
		// store/ only reads entries back (AuditStore::forContact: `e.action = actions[i]`);
		// `filter.action = …` is the audit page's filter (AuditFilter), not a write.
		for (const m of name.includes('/store/') ? [] : code.matchAll(/(?<!\bfilter)\.action\s*=\s*([^;]+);/g)) {
			const expr = m[1];
			for (const value of literals(expr)) add(value, `${name}: .action = "${value}"`);
			// Identifiers of the value, without class qualifiers and ternary conditions.
			const names = expr.replace(/"([^"\\]*)"/g, '').replace(/\b\w+::/g, '').replace(/[\w.]+\s*\?/g, '').match(/[A-Za-z_]\w*/g) || [];
			for (const id of names) {
				if (/^AUDIT_/.test(id)) {
					if (!constants.has(id)) problems.push(`${name}: .action = ${expr.trim()} names ${id}, whose value the scan did not find`);
				} else if (!params.has(id)) {
					problems.push(`${name}: .action = ${expr.trim()}: ${id} is neither a literal, an AUDIT_* constant nor a string parameter`);
				}
			}
		}
		for (const m of code.matchAll(/\b(?:auditEntry|auditAccount|auditOf|insertNew)\s*\(/g)) {
			const args = parenthesized(code, m.index + m[0].length - 1);
			for (const value of literals(args).filter((v) => ACTION.test(v))) add(value, `${name}: ${m[0]}"${value}"`);
		}
		for (const m of code.matchAll(/"(contact\.[a-z_]+)"/g)) add(m[1], `${name}: "${m[1]}"`);
	}
	assert.deepEqual(problems, [], 'audit writes the scan cannot read');
	return actions;
}

test('the scan of plugin/src finds the audit actions, the 历史 route\'s documented ones among them', async () => {
	const actions = await serverActions();
	for (const [action, where] of actions) assert.match(action, ACTION, `${action} (${where})`);
	// docs/API.md names the contact.* actions of GET /contacts/{id}/history: the scan must see them all.
	const api = await readFile(path.join(SOURCE, 'docs/API.md'), 'utf8');
	const row = api.split('\n').find((line) => line.includes('/contacts/{id}/history'));
	assert.ok(row, 'docs/API.md has the history route');
	const documented = [...new Set([...row.matchAll(/`(contact\.[a-z_]+)`/g)].map((m) => m[1]))];
	assert.ok(documented.length >= 8, documented.join(', '));
	for (const action of documented) assert.ok(actions.has(action), `${action} (docs/API.md) not found in plugin/src`);
	assert.ok(actions.has('contact.org_request_accepted'));
	assert.ok([...actions.keys()].some((a) => a.startsWith('account.')), 'the account actions are found');
	console.log(`audit actions in plugin/src: ${[...actions.keys()].sort().join(', ')}`);
});

test('every audit action the server writes has a label in zh-CN and en, and the card shows it', async () => {
	const { messages, translator } = await import(path.join(PLUGIN, 'i18n.js'));
	const card = await import(path.join(PLUGIN, 'card-history.js'));
	assert.equal(typeof card.historyActionKey, 'function', 'card-history.js exports historyActionKey(action)');
	assert.equal(typeof card.historyActionText, 'function', 'card-history.js exports historyActionText(tr, action)');
	const actions = await serverActions();
	const missing = [];
	for (const [action, where] of actions) {
		const key = card.historyActionKey(action);
		for (const locale of ['zh-CN', 'en']) {
			const catalog = messages[locale];
			if (!(key in catalog) || typeof catalog[key] !== 'string' || !catalog[key].trim()) {
				missing.push(`${locale} ${key} (${action}, written in ${where})`);
				continue;
			}
			const shown = card.historyActionText(translator(locale), action);
			assert.equal(shown, catalog[key], `${locale}: the card's text for ${action}`);
			assert.notEqual(shown, action, `${locale}: ${action} shown raw`);
			if (locale === 'zh-CN') assert.match(shown, /[\u4e00-\u9fff]/, `zh-CN ${key} is Chinese`);
			else assert.doesNotMatch(shown, /[\u4e00-\u9fff]/, `en ${key} is English`);
		}
	}
	assert.deepEqual(missing, [], 'audit actions without a label');
	// An action the catalogs do not know is shown as it is (not as a catalog key).
	assert.equal(card.historyActionText(translator('en'), 'contact.no_such_action'), 'contact.no_such_action');
	// The 历史 tab renders through historyActionText.
	const text = await readFile(path.join(PLUGIN, 'card-history.js'), 'utf8');
	assert.match(text, /class: 'ec-history-action' \}, historyActionText\(tr, action\)\)/, 'the 历史 entry shows historyActionText(tr, action)');
});
