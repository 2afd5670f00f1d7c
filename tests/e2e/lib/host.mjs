// Starts a real reference host for one test file and stops it again.
//
//   const host = await startHost({ set: { 'session.idleTimeout': '60' } });
//   ... fetch(`${host.baseUrl}/healthz`) ...
//   await host.stop();
//
// Environment (set by tests/e2e/CMakeLists.txt):
//   EC_BIN_DIR      directory holding the `reference-host` binary
//   EC_PLUGINS_DIR  directory holding the plugin .so files
//   EC_SOURCE_DIR   the source tree (config, sql/, resources/)
//   EC_E2E_DB       sqlite (default) or mysql
//   EC_TEST_MYSQL   for mysql: "host=…;port=…;user=…;password=…;db=…;…" (scripts/test.sh)
//   EC_TEST_TMP     optional base directory for temporary data (removed by scripts/test.sh)
//   EC_E2E_NODES    2: two reference hosts on one MySQL database behind a round-robin
//                   proxy (lib/alternate.mjs), requests alternate between them; default 1
//   EC_E2E_KEEP     set to 1 to keep data dirs and MySQL databases for inspection
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startAlternate } from './alternate.mjs';

/** The logins `--seed-demo` creates (see scripts/run.sh and the host's output). */
export const DEMO = Object.freeze({
	org1: { name: '星河科技' },
	org2: { name: '远山贸易' },
	admin: { login: 'admin', password: 'Demo-Admin-2026!' },
	zhangwei: { login: 'zhangwei', password: 'Demo-Member-2026!' },
	lina: { login: 'lina', password: 'Demo-Member-2026!' },
	wangfang: { login: 'wangfang', password: 'Demo-Maintain-2026!' },
	chenjie: { login: 'chenjie', password: 'Demo-Member-2026!' },
});

const START_TIMEOUT_MS = 30000;
const STOP_TIMEOUT_MS = 15000;
const MAX_OUTPUT = 200000;

function requireEnv(name) {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set; run the e2e tests through CTest or set it (see docs/WEB.md)`);
	return value;
}

/** The database the tests run on: EC_E2E_DB or sqlite. */
export function e2eDb() {
	return (process.env.EC_E2E_DB || 'sqlite').toLowerCase();
}

/** "key=value;key=value" → Map (keys lower-cased, values as written). */
export function parseConnectionString(text) {
	const map = new Map();
	for (const part of String(text).split(';')) {
		const index = part.indexOf('=');
		if (index <= 0) continue;
		map.set(part.slice(0, index).trim().toLowerCase(), part.slice(index + 1).trim());
	}
	return map;
}

/** Same string with db=<name> (added when absent); other keys keep their order and spelling. */
export function withDatabase(text, name) {
	let found = false;
	const parts = String(text).split(';').filter((part) => part.trim() !== '').map((part) => {
		const index = part.indexOf('=');
		if (index > 0 && part.slice(0, index).trim().toLowerCase() === 'db') {
			found = true;
			return `${part.slice(0, index)}=${name}`;
		}
		return part;
	});
	if (!found) parts.push(`db=${name}`);
	return parts.join(';');
}

export async function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function mariadb(connection, sql, extra = []) {
	const args = ['--protocol=tcp', '-h', connection.get('host') || '127.0.0.1', '-P', connection.get('port') || '3306',
		`-u${connection.get('user') || 'root'}`, ...extra, '-e', sql];
	const env = { ...process.env };
	const password = connection.get('password');
	if (password) env.MYSQL_PWD = password;
	return new Promise((resolve, reject) => {
		execFile('mariadb', args, { env, timeout: 30000 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`mariadb ${sql}: ${stderr || error.message}`));
			else resolve(stdout);
		});
	});
}

async function createMysqlDatabase() {
	const text = process.env.EC_TEST_MYSQL;
	if (!text) throw new Error('EC_E2E_DB=mysql needs EC_TEST_MYSQL (scripts/test.sh starts a MariaDB and sets it)');
	const name = `ec_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
	const connection = parseConnectionString(text);
	await mariadb(connection, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
	return {
		name,
		connectionString: withDatabase(text, name),
		drop: () => mariadb(connection, `DROP DATABASE IF EXISTS \`${name}\``),
		query: async (sql) => {
			const out = await mariadb(connection, sql, ['-N', '-B', '-D', name]);
			return out.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
		},
	};
}

async function waitHealthy(baseUrl, child, output) {
	const deadline = Date.now() + START_TIMEOUT_MS;
	let lastProblem = 'no answer yet';
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`reference-host exited (${child.exitCode ?? child.signalCode}) before /healthz answered\n${output()}`);
		}
		try {
			const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
			if (response.status === 200) return;
			lastProblem = `/healthz answered ${response.status}`;
		} catch (error) {
			lastProblem = error.cause ? String(error.cause.code || error.cause.message) : error.message;
		}
		await new Promise((resolve) => setTimeout(resolve, 150));
	}
	throw new Error(`reference-host did not answer /healthz with 200 within ${START_TIMEOUT_MS / 1000} s (${lastProblem})\n${output()}`);
}

const running = new Set();
process.on('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

/** How many reference hosts share the database: EC_E2E_NODES (1 or 2; 2 only with mysql). */
export function e2eNodes() {
	const value = process.env.EC_E2E_NODES || '1';
	if (value !== '1' && value !== '2') throw new Error(`EC_E2E_NODES must be 1 or 2, not ${value}`);
	return Number(value);
}

/**
 * Starts one reference-host process and waits for /healthz.
 * → { baseUrl, port, dataDir, label, output(), cli(), stop() }; stop() does not remove the data dir.
 */
async function spawnNode({ binary, argv: baseArgv, dataDir, env, label }) {
	const port = await freePort();
	// set: { 'metrics.port': 'auto' } → a free port of this node's own (node.metricsUrl).
	const metricsPort = baseArgv.includes('--set=metrics.port=auto') ? await freePort() : 0;
	const argv = [baseArgv[0], `--set=http.port=${port}`,
		...baseArgv.slice(1).map((arg) => (arg === '--set=metrics.port=auto' ? `--set=metrics.port=${metricsPort}` : arg))];
	let output = '';
	const child = spawn(binary, argv, { cwd: dataDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	running.add(child);
	const collect = (chunk) => {
		output += chunk.toString('utf8');
		if (output.length > MAX_OUTPUT) output = output.slice(-MAX_OUTPUT);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	const exited = new Promise((resolve) => child.once('close', (code, signal) => {
		running.delete(child);
		resolve({ code, signal });
	}));
	child.once('error', (error) => {
		output += `\nspawn error: ${error.message}`;
	});
	const kill = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
			await exited;
		}
	};
	const baseUrl = `http://127.0.0.1:${port}`;
	const describe = () => `--- reference-host${label ? ` (${label})` : ''} ${argv.join(' ')}\n--- output:\n${output}`;
	try {
		await waitHealthy(baseUrl, child, describe);
	} catch (error) {
		await kill();
		throw error;
	}

	let stopped = null;
	const settingsArgs = argv.filter((arg) => arg.startsWith('--config=') || (arg.startsWith('--set=') && !arg.startsWith('--set=http.')));
	return {
		baseUrl,
		port,
		metricsUrl: metricsPort ? `http://127.0.0.1:${metricsPort}/metrics` : null,
		dataDir,
		label,
		output: () => output,
		/**
		 * Runs an operator command of the binary on this host's data (same config,
		 * data dir and database), e.g. cli(['user', 'create', '--login=x', '--name=X',
		 * '--org=2', '--external', '--password-stdin'], { input: 'Secret-Pass-2026!\n' }).
		 * Resolves to { code, stdout, stderr }.
		 */
		cli(commandArgs, { input = '' } = {}) {
			return new Promise((resolve, reject) => {
				const run = spawn(binary, [...settingsArgs, ...commandArgs], { cwd: dataDir, env: { ...process.env, ...env } });
				let stdout = '';
				let stderr = '';
				run.stdout.on('data', (chunk) => { stdout += chunk; });
				run.stderr.on('data', (chunk) => { stderr += chunk; });
				run.on('error', reject);
				run.on('close', (code) => resolve({ code, stdout, stderr }));
				run.stdin.on('error', () => {});
				run.stdin.end(input);
			});
		},
		/** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves to { code, signal }. */
		stop() {
			if (stopped) return stopped;
			stopped = (async () => {
				if (child.exitCode === null && child.signalCode === null) {
					child.kill('SIGTERM');
					const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
					const result = await exited;
					clearTimeout(timer);
					return result;
				}
				return { code: child.exitCode, signal: child.signalCode };
			})();
			return stopped;
		},
	};
}

/**
 * startHost({ db, set, args, seedDemo, env, nodes, together }) → { baseUrl, port, dataDir, db, nodes, proxy, output(), cli(), sql(), stop() }
 *   db        'sqlite' | 'mysql' (default EC_E2E_DB or sqlite)
 *   set       extra settings: { 'key': 'value' } → --set=key=value (after the defaults, so they win)
 *   args      extra raw arguments
 *   seedDemo  pass --seed-demo (default true)
 *   nodes     1 or 2 (default EC_E2E_NODES or 1; 2 needs mysql and falls back to 1 on sqlite)
 *   together  start the nodes at the same time instead of one after the other (tests of the start-up locks)
 *
 * With two nodes, two reference hosts run on one MariaDB database with the same
 * settings (the second starts after the first is up: migrations and demo data
 * are in place, its own start finds nothing to do) and baseUrl / port are
 * those of a round-robin proxy (lib/alternate.mjs) that sends each request to
 * the next node in turn, so a test's requests alternate between the nodes.
 * host.nodes lists the nodes ({ baseUrl, port, dataDir, output(), cli(), stop() })
 * for requests that must reach one node; host.proxy is the proxy ({ served, pin() }).
 * With one node, host.nodes holds the host itself and host.proxy is null.
 * host.sql(query) (mysql only) runs a query on the host's database with the
 * mariadb client and resolves to its rows as arrays of strings (NULL → 'NULL').
 * host.restart({ set }) stops every node and starts them again on the same data
 * dirs and database with the same arguments, plus `set` (kept for later
 * restarts), as before together or one after the other; baseUrl, port, nodes
 * and proxy then describe the new processes.
 */
export async function startHost({ db = e2eDb(), set = {}, args = [], seedDemo = true, env = {}, nodes = e2eNodes(), together = false } = {}) {
	const binDir = requireEnv('EC_BIN_DIR');
	const sourceDir = requireEnv('EC_SOURCE_DIR');
	const pluginsDir = requireEnv('EC_PLUGINS_DIR');
	const binary = path.join(binDir, 'reference-host');
	if (!existsSync(binary)) throw new Error(`${binary} does not exist; build the reference-host target first`);
	if (db !== 'sqlite' && db !== 'mysql') throw new Error(`unknown database ${db} (sqlite or mysql)`);
	if (nodes !== 1 && nodes !== 2) throw new Error(`nodes must be 1 or 2, not ${nodes}`);
	// Two nodes share a database server; SQLite files are not shared between hosts.
	const nodeCount = db === 'mysql' ? nodes : 1;

	const tmpBase = process.env.EC_TEST_TMP && existsSync(process.env.EC_TEST_TMP) ? process.env.EC_TEST_TMP : os.tmpdir();
	const dataDirs = [];
	let database = null;
	const started = [];
	let proxy = null;
	const keep = process.env.EC_E2E_KEEP === '1';
	let argvs = [];
	const spawnAll = async (list) => {
		argvs = list;
		if (together) {
			const results = await Promise.allSettled(list.map((options) => spawnNode(options)));
			for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
			const failed = results.find((result) => result.status === 'rejected');
			if (failed) throw failed.reason;
		} else {
			// One after the other: the second node finds the schema and the demo data in place.
			for (const options of list) started.push(await spawnNode(options));
		}
		if (list.length > 1) proxy = await startAlternate(started.map((node) => node.baseUrl));
	};
	const cleanup = async () => {
		if (keep) return;
		for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
		if (database) await database.drop().catch(() => {});
	};

	try {
		if (db === 'mysql') database = await createMysqlDatabase();
		const list = [];
		for (let i = 0; i < nodeCount; ++i) {
			const dataDir = await mkdtemp(path.join(tmpBase, 'ec-e2e-host-'));
			dataDirs.push(dataDir);
			const argv = [
				`--config=${path.join(sourceDir, 'resources/config/reference-host.properties')}`,
				'--set=http.host=127.0.0.1',
				`--set=data.dir=${dataDir}`,
				`--set=paths.root=${sourceDir}`,
				`--set=plugins.dir=${pluginsDir}`,
			];
			if (seedDemo) argv.push('--seed-demo');
			if (database) argv.push('--set=db.connector=mysql', `--set=db.connectionString=${database.connectionString}`);
			for (const [key, value] of Object.entries(set)) argv.push(`--set=${key}=${value}`);
			argv.push(...args);
			list.push({ binary, argv, dataDir, env, label: nodeCount > 1 ? `node ${'AB'[i]}` : '' });
		}
		await spawnAll(list);
	} catch (error) {
		if (proxy) await proxy.stop();
		for (const node of started) await node.stop();
		await cleanup();
		throw error;
	}

	const first = started[0];
	let stopped = null;
	const host = {
		baseUrl: proxy ? proxy.baseUrl : first.baseUrl,
		port: proxy ? proxy.port : first.port,
		metricsUrl: first.metricsUrl, // with two nodes, each node's is in host.nodes
		dataDir: first.dataDir,
		db,
		database: database ? database.name : null,
		nodes: [...started],
		proxy,
		/** Every node's output (labelled when there are two). */
		output: () => (started.length === 1 ? started[0].output()
			: started.map((node) => `=== ${node.label} (${node.baseUrl})\n${node.output()}`).join('\n')),
		cli: (commandArgs, options) => started[0].cli(commandArgs, options),
		sql: (query) => {
			if (!database) throw new Error('host.sql needs a mysql host');
			return database.query(query);
		},
		async stop() {
			if (stopped) return stopped;
			stopped = (async () => {
				if (proxy) await proxy.stop();
				const results = await Promise.all(started.map((node) => node.stop()));
				await cleanup();
				return results[0];
			})();
			return stopped;
		},
	};
	const describeNodes = () => {
		const first = started[0];
		host.baseUrl = proxy ? proxy.baseUrl : first.baseUrl;
		host.port = proxy ? proxy.port : first.port;
		host.metricsUrl = first.metricsUrl;
		host.nodes = [...started];
		host.proxy = proxy;
		// host.nodes[0] is the host itself, so tests may use host.nodes in both modes.
		if (started.length === 1) host.nodes[0] = host;
	};
	host.restart = async ({ set: more = {} } = {}) => {
		if (proxy) await proxy.stop();
		for (const node of started) await node.stop();
		started.length = 0;
		proxy = null;
		try {
			const extra = Object.entries(more).map(([key, value]) => `--set=${key}=${value}`);
			await spawnAll(argvs.map((options) => ({ ...options, argv: [...options.argv, ...extra] }))); // fresh ports
		} catch (error) {
			if (proxy) await proxy.stop();
			for (const node of started) await node.stop();
			await cleanup();
			throw error;
		}
		describeNodes();
	};
	describeNodes();
	return host;
}
