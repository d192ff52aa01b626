import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import postgres from 'postgres';

/*
 * Extra app servers for the scale-out and fault tests: the real built server (`node scripts/serve.js`),
 * started and killed by the test, on PostgreSQL when DATABASE_URL is set, else on PGlite in a
 * folder (so a restart finds the same data).
 */

/** The port of the extra server (the test server's port + 10). */
export const extraPort = Number(process.env.E2E_PORT || 4173) + 10;

export interface AppServer {
	url: string;
	child: ChildProcess;
	/** Ends the server (SIGTERM, or SIGKILL for a crash) and waits until it has exited. */
	stop(signal?: NodeJS.Signals): Promise<void>;
	/** The last 4000 characters the server wrote to stderr, for a failure's report. */
	logs(): string;
}

export async function startApp(env: Record<string, string> = {}): Promise<AppServer> {
	const port = Number(env.PORT ?? extraPort);
	const url = `http://localhost:${port}`;
	const child = spawn('node', ['scripts/serve.js'], {
		env: {
			...process.env,
			PORT: String(port),
			ORIGIN: url,
			SEED_DEMO: '1',
			BODY_SIZE_LIMIT: '70M',
			SHUTDOWN_TIMEOUT: '1',
			APP_SECRET: process.env.APP_SECRET || 'e2e-secret-not-for-production',
			...env
		},
		stdio: ['ignore', 'ignore', 'pipe']
	});
	// A test that times out must not leave its server behind.
	const reap = () => child.kill('SIGKILL');
	process.once('exit', reap);
	child.once('exit', () => process.removeListener('exit', reap));
	let stderr = '';
	child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
	const exited = once(child, 'exit');
	const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill(signal);
		// A graceful stop that takes too long becomes a kill: the test waits for a free port.
		const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
		await exited;
		clearTimeout(timer);
	};
	for (let i = 0; i < 120; i++) {
		if (child.exitCode !== null) break;
		try {
			if ((await fetch(`${url}/api/v1/categories`)).ok)
				return { url, child, stop, logs: () => stderr };
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	await stop('SIGKILL');
	throw new Error(`the app server on ${url} did not start:\n${stderr}`);
}

/** SQL against the database the extra servers use. On PGlite, only while no server holds it. */
export async function query<T>(
	pgliteDir: string,
	text: string,
	values: unknown[] = []
): Promise<T[]> {
	if (process.env.DATABASE_URL) {
		const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
		try {
			return (await sql.unsafe(text, values as never[])) as unknown as T[];
		} finally {
			await sql.end();
		}
	}
	const db = await PGlite.create(pgliteDir, { extensions: { btree_gist, pg_trgm } });
	try {
		return (await db.query<T>(text, values)).rows;
	} finally {
		await db.close();
	}
}

/** The environment that points an extra server at the test's database. */
export function databaseEnv(pgliteDir: string): Record<string, string> {
	return process.env.DATABASE_URL ? {} : { PGLITE_DIR: pgliteDir };
}
