// A small round-robin HTTP proxy for the two-node e2e mode (EC_E2E_NODES=2):
// every request (not every connection) goes to the next node in turn, so a
// test's consecutive requests alternate between reference hosts that share
// one database.
//
//   const proxy = await startAlternate(['http://127.0.0.1:4001', 'http://127.0.0.1:4002']);
//   fetch(`${proxy.baseUrl}/healthz`)   // node 0, the next request node 1, …
//   proxy.served  → [n0, n1]            requests answered per node
//   await proxy.stop();
//
// Method, path, query, headers (the Host header included, so Origin checks see
// the address the client used), body, status, status text and response headers
// (every Set-Cookie line) pass through unchanged; only hop-by-hop headers are
// left to node's HTTP stack. Each forwarded request uses its own upstream
// connection (no keep-alive towards the nodes), so a node closing an idle
// connection can never turn into a spurious proxy error. A node that cannot be
// reached answers 502 with a text body naming it.
import http from 'node:http';

// Hop-by-hop headers (RFC 9110 7.6.1): not forwarded, node sets its own.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade',
	'proxy-authenticate', 'proxy-authorization']);

/** rawHeaders [name, value, name, value, …] without hop-by-hop ones (and without `also`). */
function passHeaders(raw, also = []) {
	const result = [];
	for (let i = 0; i + 1 < raw.length; i += 2) {
		const name = raw[i].toLowerCase();
		if (HOP_BY_HOP.has(name) || also.includes(name)) continue;
		result.push(raw[i], raw[i + 1]);
	}
	return result;
}

/**
 * startAlternate(targets) → { baseUrl, port, served, pin(index|null), stop() }
 *   targets  base URLs of the nodes ('http://127.0.0.1:PORT'), used in turn
 *   pin(i)   sends every following request to node i (null: alternate again)
 */
export async function startAlternate(targets) {
	if (!Array.isArray(targets) || targets.length === 0) throw new Error('startAlternate needs at least one target');
	const nodes = targets.map((target) => new URL(target));
	const served = nodes.map(() => 0);
	let next = 0;
	let pinned = null;
	const sockets = new Set();

	const server = http.createServer((req, res) => {
		const index = pinned ?? next;
		if (pinned === null) next = (next + 1) % nodes.length;
		served[index] += 1;
		const node = nodes[index];
		// Without keep-alive towards the node: one connection per request.
		const headers = passHeaders(req.rawHeaders);
		headers.push('Connection', 'close');
		const upstream = http.request({
			host: node.hostname,
			port: node.port,
			method: req.method,
			path: req.url,
			headers,
			agent: false,
			setHost: false,
		});
		let answered = false;
		upstream.on('response', (answer) => {
			answered = true;
			// Transfer-Encoding is hop-by-hop too: node re-frames the body itself
			// (chunked or by Content-Length, which is kept).
			res.writeHead(answer.statusCode, answer.statusMessage, passHeaders(answer.rawHeaders, ['transfer-encoding']));
			answer.pipe(res);
			answer.on('error', () => res.destroy());
		});
		upstream.on('error', (error) => {
			if (answered || res.headersSent) {
				res.destroy();
				return;
			}
			const text = `alternate proxy: node ${index} (${node.host}) failed: ${error.code || error.message}\n`;
			res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
			res.end(text);
		});
		req.on('error', () => upstream.destroy());
		res.on('close', () => {
			// The client went away before the answer was complete: stop the upstream request too.
			if (!res.writableFinished) upstream.destroy();
		});
		req.pipe(upstream);
	});
	// Match the nodes' patience with slow clients rather than node's defaults.
	server.requestTimeout = 60000;
	server.headersTimeout = 30000;
	server.keepAliveTimeout = 5000;
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address();
	let stopped = null;
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		port,
		served,
		pin(index) {
			if (index !== null && (index < 0 || index >= nodes.length)) throw new Error(`no node ${index}`);
			pinned = index;
		},
		stop() {
			if (!stopped) {
				stopped = new Promise((resolve) => {
					server.close(() => resolve());
					for (const socket of sockets) socket.destroy();
				});
			}
			return stopped;
		},
	};
}
