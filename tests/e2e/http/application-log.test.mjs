// The back-office log of account applications (R3.6) over HTTP: filters by
// status, time range, applicant and keyword; keyset paging; who may read
// it; bad parameters named; and the CSV export (UTF-8 with BOM, quoting,
// formulas neutralised, zh-CN and en headers).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startHost, DEMO } from '../lib/host.mjs';
import { Client, loggedIn } from '../lib/client.mjs';

const BASE = '/api/plugins/external-contacts';
const LOG = `${BASE}/admin/applications`;
let host;
let as;
const suffix = randomBytes(3).toString('hex');
const made = {};

before(async () => {
	host = await startHost();
	as = {
		admin: await loggedIn(host.baseUrl, DEMO.admin.login, DEMO.admin.password),
		wang: await loggedIn(host.baseUrl, DEMO.wangfang.login, DEMO.wangfang.password),
		zhang: await loggedIn(host.baseUrl, DEMO.zhangwei.login, DEMO.zhangwei.password),
		lina: await loggedIn(host.baseUrl, DEMO.lina.login, DEMO.lina.password),
		chen: await loggedIn(host.baseUrl, DEMO.chenjie.login, DEMO.chenjie.password),
	};
	// Five applications: two by zhangwei (one approved, one rejected), three by lina (pending).
	const apply = async (who, name, remark) => {
		const contact = await who.post(`${BASE}/contacts`, { name, company: `日志公司${suffix}` });
		assert.equal(contact.status, 201, contact.text);
		const applied = await who.post(`${BASE}/contacts/${contact.json.id}/applications`, { remark });
		assert.equal(applied.status, 201, applied.text);
		return applied.json;
	};
	made.approved = await apply(as.zhang, `日志甲${suffix}`, '普通备注');
	made.rejected = await apply(as.zhang, `=日志乙${suffix}`, '=HYPERLINK("http://x","点我")');
	made.start = Date.now();
	made.p1 = await apply(as.lina, `日志丙${suffix}`, '第一行\n第二行, 带逗号');
	made.p2 = await apply(as.lina, `日志丁${suffix}`, '@SUM(1)');
	made.p3 = await apply(as.lina, `日志戊${suffix}`, '-2+3');
	assert.equal((await as.wang.post(`${BASE}/applications/${made.approved.id}/approve`, {})).status, 200);
	assert.equal((await as.admin.post(`${BASE}/applications/${made.rejected.id}/reject`, { reason: '+资料不全' })).status, 200);
});

after(async () => {
	await host?.stop();
});

const ids = (r) => r.json.items.map((a) => a.id);

test('newest first, with names, decisions and paging', async () => {
	const all = await as.admin.get(`${LOG}?q=${encodeURIComponent(suffix)}`);
	assert.equal(all.status, 200, all.text);
	assert.deepEqual(ids(all), [made.p3.id, made.p2.id, made.p1.id, made.rejected.id, made.approved.id]);
	const approved = all.json.items.find((a) => a.id === made.approved.id);
	assert.equal(approved.status, 'approved');
	assert.equal(approved.contactName, `日志甲${suffix}`);
	assert.equal(approved.applicant.id, as.zhang.me.user.id);
	assert.equal(approved.decidedBy.id, as.wang.me.user.id);
	assert.equal(all.json.nextCursor, null);

	const seen = [];
	let cursor = '';
	for (let page = 0; page < 5; page += 1) {
		const r = await as.wang.get(`${LOG}?q=${encodeURIComponent(suffix)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
		assert.equal(r.status, 200, r.text);
		seen.push(...ids(r));
		if (!r.json.nextCursor) break;
		cursor = encodeURIComponent(r.json.nextCursor);
	}
	assert.deepEqual(seen, ids(all), 'pages cover the log once, in order');
});

test('filters: status, applicant, time range, keyword', async () => {
	const q = `q=${encodeURIComponent(suffix)}`;
	assert.deepEqual(ids(await as.admin.get(`${LOG}?${q}&status=pending`)), [made.p3.id, made.p2.id, made.p1.id]);
	assert.deepEqual(ids(await as.admin.get(`${LOG}?${q}&status=rejected`)), [made.rejected.id]);
	assert.deepEqual(ids(await as.admin.get(`${LOG}?${q}&applicant=${as.zhang.me.user.id}`)), [made.rejected.id, made.approved.id]);
	assert.deepEqual(ids(await as.admin.get(`${LOG}?${q}&from=${made.p1.submittedAt}`)), [made.p3.id, made.p2.id, made.p1.id]);
	assert.deepEqual(ids(await as.admin.get(`${LOG}?${q}&to=${made.p1.submittedAt}`)), [made.rejected.id, made.approved.id]);
	assert.deepEqual(ids(await as.admin.get(`${LOG}?q=${encodeURIComponent(`日志丁${suffix}`)}`)), [made.p2.id]);
	assert.deepEqual(ids(await as.admin.get(`${LOG}?${q}&status=pending&applicant=${as.zhang.me.user.id}`)), []);
	// The keyword also finds remarks; % and _ are literal.
	assert.deepEqual(ids(await as.admin.get(`${LOG}?q=${encodeURIComponent('@SUM(1)')}`)).filter((id) => id === made.p2.id), [made.p2.id]);
	assert.deepEqual(ids(await as.admin.get(`${LOG}?q=${encodeURIComponent(`%${suffix}`)}`)), []);
});

test('only admins and maintain-holders read the log; bad parameters are named', async () => {
	for (const who of [as.zhang, as.lina]) {
		const r = await who.get(LOG);
		assert.equal(r.status, 403, r.text);
		assert.equal(r.json.error.code, 'forbidden');
		assert.equal((await who.get(`${LOG}/export`)).status, 403);
	}
	assert.equal((await new Client(host.baseUrl).get(LOG)).status, 401);
	// Another org's admin-less member sees nothing of this org.
	assert.equal((await as.chen.get(LOG)).status, 403);
	for (const [query, field] of [
		['status=open', 'status'], ['from=abc', 'from'], ['to=-1', 'to'], ['applicant=0', 'applicant'],
		['from=100&to=100', 'to'], ['limit=0', 'limit'], ['limit=101', 'limit'], ['cursor=x', 'cursor'],
		['cursor=12.0', 'cursor'], [`q=${'长'.repeat(51)}`, 'q'], ['status=pending&status=approved', 'status'],
	]) {
		const r = await as.admin.get(`${LOG}?${query}`);
		assert.equal(r.status, 400, `${query}: ${r.text}`);
		assert.equal(r.json.error.field, field, query);
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

test('CSV export: BOM, Chinese headers, quoting, formulas neutralised; English headers', async () => {
	const zh = await csv(as.admin, `q=${encodeURIComponent(suffix)}`, 'zh-CN');
	assert.equal(zh.status, 200, zh.text);
	assert.match(zh.headers.get('content-type'), /^text\/csv; charset=utf-8/);
	assert.match(zh.headers.get('content-disposition'), /attachment; filename="external-account-applications\.csv"/);
	assert.deepEqual([...zh.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
	assert.ok(zh.text.endsWith('\r\n'));
	const rows = parseCsv(zh.text.slice(1));
	assert.deepEqual(rows[0], ['申请编号', '联系人', '申请人', '备注', '提交时间（UTC+8）', '状态', '处理人', '处理时间（UTC+8）', '意见']);
	assert.equal(rows.length, 6);
	const byId = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
	const rejected = byId[String(made.rejected.id)];
	assert.equal(rejected[1], `'=日志乙${suffix}`, 'a name starting with = is not a formula');
	assert.equal(rejected[3], `'=HYPERLINK("http://x","点我")`);
	assert.equal(rejected[5], '已驳回');
	assert.equal(rejected[8], "'+资料不全");
	assert.equal(byId[String(made.p1.id)][3], '第一行\n第二行, 带逗号', 'line break and comma survive in one cell');
	assert.equal(byId[String(made.p2.id)][3], "'@SUM(1)");
	assert.equal(byId[String(made.p3.id)][3], "'-2+3");
	assert.match(byId[String(made.approved.id)][4], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
	assert.equal(byId[String(made.approved.id)][5], '已同意');
	assert.equal(byId[String(made.p1.id)][7], '', 'undecided: no decision time');

	const en = await csv(as.wang, `q=${encodeURIComponent(suffix)}&status=pending`, 'en');
	const enRows = parseCsv(en.text.slice(1));
	assert.deepEqual(enRows[0], ['Application', 'Contact', 'Applicant', 'Remark', 'Submitted (UTC+8)', 'Status', 'Decided by', 'Decided (UTC+8)', 'Comment']);
	assert.equal(enRows.length, 4);
	assert.ok(enRows.slice(1).every((r) => r[5] === 'pending'));
});
