// A private, throw-away MariaDB for tests that must hurt their database
// (kill -9, restart) without touching the shared one of `make test`.
//
//   const db = await startPrivateMariadb();           // scripts/mariadb.sh start <tmp> <free port>
//   db.connectionString('ec_x')                        // "host=127.0.0.1;port=…;user=root;password=;db=ec_x;…"
//   await db.sql('CREATE DATABASE ec_x');
//   db.kill9();                                        // SIGKILL to mariadbd, returns at once
//   await db.restart();                                // same data dir and port; resolves once it accepts connections
//   await db.stop();                                   // scripts/mariadb.sh stop, then removes the data dir
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './host.mjs';

function run(command, args, { timeout = 120000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk) => { output += chunk; });
		child.stderr.on('data', (chunk) => { output += chunk; });
		const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolve(output);
			else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}):\n${output}`));
		});
	});
}

/** True when a TCP client can log in and run SELECT 1 (the `mariadb` client, as scripts/mariadb.sh checks). */
function accepts(port) {
	return new Promise((resolve) => {
		execFile('mariadb', ['--protocol=tcp', '-h127.0.0.1', `-P${port}`, '-uroot', '--connect-timeout=2', '-e', 'SELECT 1'],
			{ timeout: 5000 }, (error) => resolve(!error));
	});
}

const started = new Set();
process.on('exit', () => {
	// A crashed test must not leave a mariadbd behind.
	for (const db of started) {
		const pid = db.pid();
		if (pid) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
	}
});

export async function startPrivateMariadb() {
	const sourceDir = process.env.EC_SOURCE_DIR;
	if (!sourceDir) throw new Error('EC_SOURCE_DIR is not set');
	const script = path.join(sourceDir, 'scripts/mariadb.sh');
	const tmpBase = process.env.EC_TEST_TMP && existsSync(process.env.EC_TEST_TMP) ? process.env.EC_TEST_TMP : os.tmpdir();
	const dir = await mkdtemp(path.join(tmpBase, 'ec-e2e-mariadb-'));
	const port = await freePort();
	await run('bash', [script, 'start', dir, String(port)]);

	const db = {
		dir,
		port,
		pid() {
			try {
				const pid = Number(readFileSync(path.join(dir, 'mariadbd.pid'), 'utf8').trim());
				return Number.isInteger(pid) && pid > 0 ? pid : null;
			} catch {
				return null;
			}
		},
		alive() {
			const pid = db.pid();
			if (!pid) return false;
			try {
				process.kill(pid, 0);
				return true;
			} catch {
				return false;
			}
		},
		connectionString(name) {
			return `host=127.0.0.1;port=${port};user=root;password=;db=${name};compress=false;auto-reconnect=false;character-set=utf8mb4`;
		},
		sql(statement) {
			return run('mariadb', ['--protocol=tcp', '-h127.0.0.1', `-P${port}`, '-uroot', '-e', statement], { timeout: 30000 });
		},
		/** SIGKILL to mariadbd; resolves once the process is gone. */
		async kill9() {
			const pid = db.pid();
			if (!pid) throw new Error(`no mariadbd pid in ${dir}`);
			process.kill(pid, 'SIGKILL');
			const deadline = Date.now() + 10000;
			while (Date.now() < deadline) {
				try {
					process.kill(pid, 0);
				} catch {
					return pid;
				}
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			throw new Error(`mariadbd ${pid} still alive 10 s after SIGKILL`);
		},
		/**
		 * Starts mariadbd again on the same data dir and port (crash recovery
		 * included) and resolves with Date.now() of the first moment a client
		 * could log in, measured by polling every 50 ms beside the script.
		 */
		async restart() {
			const script_ = run('bash', [script, 'start', dir, String(port)]);
			let failed = null;
			script_.catch((error) => { failed = error; });
			const deadline = Date.now() + 60000;
			while (Date.now() < deadline && failed === null) {
				if (await accepts(port)) {
					const acceptedAt = Date.now();
					await script_;
					return acceptedAt;
				}
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			await script_;
			throw new Error(`mariadbd on port ${port} did not accept connections within 60 s`);
		},
		async stop() {
			started.delete(db);
			await run('bash', [script, 'stop', dir]).catch(() => {});
			if (process.env.EC_E2E_KEEP !== '1') await rm(dir, { recursive: true, force: true });
		},
	};
	started.add(db);
	return db;
}
