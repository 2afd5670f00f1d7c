// The back office's org-wide audit log (R10, issue 13) over HTTP: every change
// of the org newest first with the actor, the contact (deleted ones too) and
// before / after; filters by actor, action, contact and period; keyset paging;
// admins only (members 403, external users and anonymous callers 404 / 401);
// bad parameters named; the CSV export (UTF-8 with BOM, formulas neutralised,
// zh-CN and en headers, the same filters).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
const LOG = `${BASE}/admin/audit`;
const PASSWORD = 'Audit-Guest-2026!';
let host;
let as;
const suffix = randomBytes(3).toString('hex');
const made = {};

before(async () => {
	host = await startHost();
	const guest = await host.cli(['user', 'create', '--login=audit.guest', '--name=审计访客', `--org=${DEMO.org1.name}`,
		'--external', '--password-stdin'], { input: `${PASSWORD}\n` });
	assert.equal(guest.code, 0, guest.stdout + guest.stderr);
	as = {
		admin: await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password),
		wang: await loggedIn(host.baseUrl, DEMO.wangfang.login, DEMO.wangfang.password),
		zhang: await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password),
		chen: await loggedIn(host.baseUrl, DEMO.chenjie.login, DEMO.chenjie.password),
		guest: await loggedIn(host.baseUrl, 'audit.guest', PASSWORD),
	};
	made.start = Date.now();
	const create = async (who, body) => {
		const r = await who.post(`${BASE}/contacts`, body);
		assert.equal(r.status, 201, r.text);
		return r.json;
	};
	// zhangwei creates two contacts (one named like a formula), edits one and deletes the other;
	// wangfang creates one; chenjie (another org) creates one, which this org never sees.
	made.formula = await create(as.zhang, { name: `=HYPERLINK("http://x","审计${suffix}")`, company: `审计公司${suffix}` });
	made.kept = await create(as.zhang, { name: `审计甲${suffix}`, company: `审计公司${suffix}` });
	const edited = await as.zhang.patch(`${BASE}/contacts/${made.kept.id}`, { version: made.kept.version, title: '+采购经理' });
	assert.equal(edited.status, 200, edited.text);
	assert.equal((await as.zhang.del(`${BASE}/contacts/${made.formula.id}`)).status, 204);
	made.wang = await create(as.wang, { name: `审计乙${suffix}` });
	made.other = await create(as.chen, { name: `审计别家${suffix}` });
});

after(async () => {
	await host?.stop();
});

const since = () => `from=${made.start}`;
const actions = (r) => r.json.items.map((e) => `${e.action}:${e.contact ? e.contact.id : '-'}`);

test('newest first, with actor, contact and before / after; another org never shows', async () => {
	const r = await as.admin.get(`${LOG}?${since()}`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.headers.get('cache-control'), 'no-store');
	assert.deepEqual(actions(r), [
		`contact.create:${made.wang.id}`,
		`contact.delete:${made.formula.id}`,
		`contact.update:${made.kept.id}`,
		`contact.create:${made.kept.id}`,
		`contact.create:${made.formula.id}`,
	]);
	const [created, deleted, updated] = r.json.items;
	assert.equal(created.actor.id, as.wang.me.user.id);
	assert.equal(created.actor.displayName, as.wang.me.user.displayName);
	assert.equal(created.actor.system, false);
	assert.equal(deleted.contact.deleted, true, 'a deleted contact keeps its history, marked');
	assert.equal(deleted.contact.name, made.formula.name);
	assert.equal(updated.contact.deleted, false);
	assert.ok(!updated.before.title, 'before: no title yet');
	assert.equal(updated.after.title, '+采购经理');
	assert.ok(updated.at >= made.start && updated.at <= Date.now());
	assert.equal(typeof updated.remoteAddr, 'string');
	assert.ok(!JSON.stringify(r.json).includes(`审计别家${suffix}`), 'another org\'s change is not listed');
	assert.equal(r.json.nextCursor, null);
});

test('keyset paging covers the log once, in order', async () => {
	const all = await as.admin.get(`${LOG}?${since()}`);
	const seen = [];
	let cursor = '';
	for (let page = 0; page < 10; page += 1) {
		const r = await as.admin.get(`${LOG}?${since()}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		assert.equal(r.status, 200, r.text);
		assert.ok(r.json.items.length <= 2);
		seen.push(...r.json.items.map((e) => e.id));
		if (!r.json.nextCursor) break;
		cursor = r.json.nextCursor;
	}
	assert.deepEqual(seen, all.json.items.map((e) => e.id));
});

test('filters: actor, action, contact (deleted too), period', async () => {
	const q = since();
	assert.deepEqual(actions(await as.admin.get(`${LOG}?${q}&actor=${as.wang.me.user.id}`)), [`contact.create:${made.wang.id}`]);
	assert.deepEqual(actions(await as.admin.get(`${LOG}?${q}&action=contact.create`)),
		[`contact.create:${made.wang.id}`, `contact.create:${made.kept.id}`, `contact.create:${made.formula.id}`]);
	assert.deepEqual(actions(await as.admin.get(`${LOG}?contact=${made.formula.id}`)),
		[`contact.delete:${made.formula.id}`, `contact.create:${made.formula.id}`]);
	assert.deepEqual(actions(await as.admin.get(`${LOG}?${q}&actor=${as.zhang.me.user.id}&action=contact.update`)),
		[`contact.update:${made.kept.id}`]);
	assert.deepEqual(actions(await as.admin.get(`${LOG}?from=${Date.now() + 60000}`)), []);
	assert.deepEqual(actions(await as.admin.get(`${LOG}?from=${made.start - 60000}&to=${made.start}`)), []);
	// Another org's contact id answers an empty page, not that org's history.
	assert.deepEqual(actions(await as.admin.get(`${LOG}?contact=${made.other.id}`)), []);
});

test('admins only; bad parameters are named', async () => {
	for (const who of [as.zhang, as.wang]) {
		const r = await who.get(LOG);
		assert.equal(r.status, 403, r.text);
		assert.equal(r.json.error.code, 'forbidden');
		assert.equal((await who.get(`${LOG}/export`)).status, 403);
	}
	const external = await as.guest.get(LOG);
	assert.equal(external.status, 404, external.text);
	assert.equal((await as.guest.get(`${LOG}/export`)).status, 404);
	assert.equal((await new Client(host.baseUrl).get(LOG)).status, 401);
	assert.equal((await new Client(host.baseUrl).get(`${LOG}/export`)).status, 401);
	for (const [query, field] of [
		['actor=x', 'actor'], ['actor=-1', 'actor'], ['action=Contact.Update', 'action'], ['action=contact', 'action'],
		[`action=${encodeURIComponent("contact.update' OR '1'='1")}`, 'action'], ['contact=0', 'contact'],
		['contact=abc', 'contact'], ['from=abc', 'from'], ['to=-1', 'to'], ['from=100&to=100', 'to'], ['limit=0', 'limit'],
		['limit=101', 'limit'], ['cursor=x', 'cursor'], ['cursor=12.0', 'cursor'], ['actor=1&actor=2', 'actor'],
	]) {
		const r = await as.admin.get(`${LOG}?${query}`);
		assert.equal(r.status, 400, `${query}: ${r.text}`);
		assert.equal(r.json.error.code, 'validation_failed', query);
		assert.equal(r.json.error.field, field, query);
		const exported = await as.admin.get(`${LOG}/export?${query}`);
		if (!['limit', 'cursor'].includes(field)) {
			assert.equal(exported.status, 400, `export ${query}: ${exported.text}`);
			assert.equal(exported.json.error.field, field, `export ${query}`);
		}
	}
	// Writing to the log is not a thing: no unsafe method answers 2xx.
	for (const method of ['POST', 'PUT', 'DELETE']) {
		const r = await as.admin.request(method, LOG, method === 'DELETE' ? undefined : {});
		assert.ok(r.status >= 400, `${method} ${LOG}: ${r.status}`);
	}
});

async function csv(client, query, lang) {
	const response = await fetch(`${host.baseUrl}${LOG}/export?${query}`, {
		headers: { Cookie: client.cookieHeader(), 'Accept-Language': lang },
	});
	const bytes = Buffer.from(await response.arrayBuffer());
	return { status: response.status, headers: response.headers, bytes, text: bytes.toString('utf8') };
}

// A minimal RFC 4180 reader, to check what a spreadsheet would see.
function parseCsv(text) {
	const rows = [];
	let row = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i += 1) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 1; } else field += c;
	}
	return rows;
}

test('CSV export: BOM, headers, formulas neutralised, the page\'s filters', async () => {
	const zh = await csv(as.admin, since(), 'zh-CN');
	assert.equal(zh.status, 200, zh.text);
	assert.match(zh.headers.get('content-type'), /^text\/csv; charset=utf-8/);
	assert.match(zh.headers.get('content-disposition'), /attachment; filename="external-contacts-audit\.csv"/);
	assert.equal(zh.headers.get('cache-control'), 'no-store');
	assert.equal(zh.headers.get('x-export-truncated'), null);
	assert.deepEqual([...zh.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
	const rows = parseCsv(zh.text.slice(1));
	assert.deepEqual(rows[0], ['编号', '时间（UTC+8）', '操作人', '操作人编号', '操作', '联系人', '联系人编号', '联系人已删除',
		'来源地址', '变更前', '变更后']);
	const page = await as.admin.get(`${LOG}?${since()}`);
	assert.deepEqual(rows.slice(1).map((r) => Number(r[0])), page.json.items.map((e) => e.id), 'the same rows as the page');
	const deleted = rows.find((r) => r[4] === 'contact.delete');
	assert.equal(deleted[5], `'=HYPERLINK("http://x","审计${suffix}")`, 'a name starting with = is not a formula');
	assert.equal(deleted[7], '是');
	assert.equal(deleted[2], as.zhang.me.user.displayName);
	assert.match(deleted[1], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
	assert.equal(JSON.parse(deleted[9]).name, made.formula.name, 'before: the JSON snapshot');
	const updated = rows.find((r) => r[4] === 'contact.update');
	assert.equal(JSON.parse(updated[10]).title, '+采购经理');

	const en = await csv(as.admin, `${since()}&actor=${as.wang.me.user.id}`, 'en');
	assert.equal(en.status, 200, en.text);
	const enRows = parseCsv(en.text.slice(1));
	assert.deepEqual(enRows[0], ['Entry', 'Time (UTC+8)', 'Actor', 'Actor id', 'Action', 'Contact', 'Contact id', 'Contact deleted',
		'From address', 'Before', 'After']);
	assert.equal(enRows.length, 2);
	assert.equal(enRows[1][4], 'contact.create');
	// Nothing to export: the header row alone.
	const empty = await csv(as.admin, `from=${Date.now() + 60000}`, 'zh-CN');
	assert.equal(empty.status, 200);
	assert.equal(parseCsv(empty.text.slice(1)).length, 1);
});
