// Real processes for failure tests: the built app (node build) and a private PostgreSQL server that
// a test may stop and start (initdb + pg_ctl on a port of its own — never the shared one on 5432).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (await check().catch(() => false)) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`timed out waiting for ${what}`);
}

export interface AppProcess {
	origin: string;
	child: ChildProcess;
	/** Everything the process printed so far. */
	output(): string;
	/** Resolves with the exit code once the process has ended. */
	exited: Promise<number | null>;
	stop(): Promise<void>;
}

/** Starts the production build (build/index.js, made by the global set-up) and waits for /healthz. */
export async function startApp(env: Record<string, string>): Promise<AppProcess> {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [path.join(root, 'build/index.js')], {
		cwd: root,
		env: {
			PATH: process.env.PATH ?? '',
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: origin,
			APP_SECRET: 'outage-test-secret',
			SEED_DEMO: 'true',
			WORKER_INTERVAL_MS: '500',
			REGISTRATION_LIMIT_PER_IP: '100000',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	await Promise.race([
		waitFor(async () => (await fetch(`${origin}/healthz`)).ok, `the app on ${origin}`),
		exited.then((code) => {
			throw new Error(`the app exited with ${code} before it was ready:\n${output}`);
		})
	]);
	return {
		origin,
		child,
		output: () => output,
		exited,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
			await exited;
		}
	};
}

export interface PrivatePostgres {
	url: string;
	port: number;
	stop(): void;
	start(): void;
	destroy(): void;
}

function postgresBin(name: string): string {
	const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
	return path.join('/usr/lib/postgresql', versions[0]!, 'bin', name);
}

/**
 * A PostgreSQL server of its own in a temporary directory. initdb refuses to run as root, so as
 * root (CI) the server runs as the `postgres` system user.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-pg-'));
	const data = path.join(dir, 'data');
	const port = await freePort();
	const asRoot = process.getuid?.() === 0;
	if (asRoot) fs.chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
	const run = (bin: string, args: string[]) =>
		execFileSync(asRoot ? 'runuser' : postgresBin(bin), asRoot ? ['-u', 'postgres', '--', postgresBin(bin), ...args] : args, { stdio: 'pipe', cwd: dir });
	run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
	const start = () => {
		run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
	};
	start();
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		port,
		start,
		// -m fast: what an administrator's restart does; open connections are terminated (57P01).
		stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
		destroy() {
			try {
				run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
			} catch {
				// already stopped
			}
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}
