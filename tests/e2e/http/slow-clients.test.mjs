// Slow clients (issue 14.11): a client that trickles its request, a byte
// every 300 ms, never trips the receive timeout (each receive gets a byte in
// time), yet must not hold a worker for longer than the request's read bound
// (http.requestReadTimeoutMs, here 2 s). Checked through real sockets: for
// the header lines and for the body of a login, the host answers 408 and
// closes the connection within the bound plus slack, long before the trickle
// would end; a request sent at normal speed on a fresh connection is
// answered as usual afterwards, and so is a keep-alive request after a
// think time longer than the bound (the clock starts at a request's first
// byte, not at the previous answer).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startHost } from '../lib/host.mjs';

const BOUND_MS = 2000;
const SLACK_MS = 1500;
const TRICKLE_MS = 300;

let host;

before(async () => {
	host = await startHost({
		nodes: 1,
		set: { 'http.requestReadTimeoutMs': String(BOUND_MS), 'http.receiveTimeoutSeconds': '10', 'http.keepAliveSeconds': '10' },
	});
});

after(async () => {
	if (host) await host.stop();
});

/**
 * Sends head (at once) and then trickle byte by byte every TRICKLE_MS.
 * → { ms: time until the host closed, text: what it answered, sentAll }.
 */
function trickle(head, rest) {
	return new Promise((resolve, reject) => {
		const socket = net.connect(host.port, '127.0.0.1');
		let text = '';
		let index = 0;
		let timer = null;
		const started = Date.now();
		const stopAt = setTimeout(() => {
			socket.destroy();
			reject(new Error(`the host still read the trickle after ${Date.now() - started} ms; answered: ${text}`));
		}, BOUND_MS * 6);
		socket.on('connect', () => {
			socket.write(head);
			timer = setInterval(() => {
				if (index < rest.length && !socket.destroyed) socket.write(rest[index++]);
			}, TRICKLE_MS);
		});
		socket.on('data', (chunk) => { text += chunk.toString('latin1'); });
		socket.on('error', () => {});
		socket.on('close', () => {
			clearInterval(timer);
			clearTimeout(stopAt);
			resolve({ ms: Date.now() - started, text, sentAll: index >= rest.length });
		});
	});
}

function statusOf(text) {
	const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
	return m ? Number(m[1]) : null;
}

test('header lines trickled a byte at a time: 408 and closed within the bound', async () => {
	const headers = `X-Padding: ${'a'.repeat(200)}\r\n\r\n`;
	const r = await trickle('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', headers);
	assert.ok(!r.sentAll, 'the trickle was cut before its end');
	assert.ok(r.ms < BOUND_MS + SLACK_MS, `closed after ${r.ms} ms`);
	assert.ok(r.ms >= BOUND_MS - 200, `not before the bound (${r.ms} ms)`);
	assert.equal(statusOf(r.text), 408, r.text);
	assert.match(r.text, /"code":"request_timeout"/, r.text);
});

test('a body trickled a byte at a time: 408 and closed within the bound', async () => {
	const body = JSON.stringify({ login: 'nobody-slow', password: 'x'.repeat(200) });
	const head = `POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
	const r = await trickle(head, body);
	assert.ok(!r.sentAll, 'the trickle was cut before its end');
	assert.ok(r.ms < BOUND_MS + SLACK_MS, `closed after ${r.ms} ms`);
	assert.equal(statusOf(r.text), 408, r.text);
	assert.match(r.text, /"code":"request_timeout"/, r.text);
	assert.match(r.text, /connection: close/i, r.text);
});

test('normal requests still work, also keep-alive after a pause longer than the bound', async () => {
	const socket = net.connect(host.port, '127.0.0.1');
	await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
	let text = '';
	socket.on('data', (chunk) => { text += chunk.toString('latin1'); });
	const ask = async (count) => {
		socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
		const deadline = Date.now() + 5000;
		while ((text.match(/HTTP\/1\.1 200/g) || []).length < count && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		assert.equal((text.match(/HTTP\/1\.1 200/g) || []).length, count, text);
	};
	try {
		await ask(1);
		await new Promise((resolve) => setTimeout(resolve, BOUND_MS + 500));
		await ask(2);
	} finally {
		socket.destroy();
	}
});
