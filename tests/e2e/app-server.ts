import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

/*
 * Extra app servers for the scale-out and fault tests: the real built server (`node scripts/serve.js`),
 * started and killed by the test, on PostgreSQL when DATABASE_URL is set, else on PGlite in a
 * folder (so a restart finds the same data).
 *
 * Servers on one database must share their photo storage, as a deployment's do: each one's
 * finishing job takes any server's waiting photos, and drops one whose file it cannot find.
 */

/** The test server's photo folder (playwright.config.ts), the extra servers' too unless said. */
const sharedUploadDir = process.env.E2E_UPLOAD_DIR || 'data/e2e-uploads';

/** The port of the extra server (the test server's port + 10). */
export const extraPort = Number(process.env.E2E_PORT || 4173) + 10;

export interface AppServer {
	url: string;
	child: ChildProcess;
	/** Ends the server (SIGTERM, or SIGKILL for a crash) and waits until it has exited. */
	stop(signal?: NodeJS.Signals): Promise<void>;
	/** The last 4000 characters the server wrote (stdout and stderr), for a failure's report. */
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
			UPLOAD_DIR: sharedUploadDir,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	// A test that times out must not leave its server behind.
	const reap = () => child.kill('SIGKILL');
	process.once('exit', reap);
	child.once('exit', () => process.removeListener('exit', reap));
	let output = '';
	// Both streams, in the order written: the jobs log to stdout, failures to stderr.
	for (const stream of [child.stdout!, child.stderr!])
		stream.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
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
				return { url, child, stop, logs: () => output };
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	await stop('SIGKILL');
	throw new Error(`the app server on ${url} did not start:\n${output}`);
}

/**
 * A database of the extra servers' own, apart from the test server's: a PGlite folder, or on
 * PostgreSQL a fresh database beside DATABASE_URL's. Fault tests need one: their servers keep
 * photos elsewhere (a full disk, a failing S3), where the test server could not find them.
 */
export interface OwnDatabase {
	/** The environment that points an extra server at it. */
	env: Record<string, string>;
	/** PostgreSQL's URL, or the PGlite folder. */
	location: string;
	drop(): Promise<void>;
}

export async function ownDatabase(): Promise<OwnDatabase> {
	const shared = process.env.DATABASE_URL;
	if (!shared) {
		const dir = await mkdtemp(join(tmpdir(), 'jx-extra-db-'));
		return {
			env: { PGLITE_DIR: dir },
			location: dir,
			drop: () => rm(dir, { recursive: true, force: true })
		};
	}
	const name = `jx_extra_${randomUUID().slice(0, 8)}`;
	const admin = new URL(shared);
	admin.pathname = '/postgres';
	const url = new URL(shared);
	url.pathname = `/${name}`;
	await adminSql(admin.href, `create database ${name}`);
	return {
		env: { DATABASE_URL: url.href },
		location: url.href,
		drop: () => adminSql(admin.href, `drop database if exists ${name} with (force)`)
	};
}

async function adminSql(url: string, text: string) {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	try {
		await sql.unsafe(text);
	} finally {
		await sql.end();
	}
}

/** SQL against an extra servers' database. On PGlite, only while no server holds it. */
export async function query<T>(
	database: OwnDatabase,
	text: string,
	values: unknown[] = []
): Promise<T[]> {
	if (database.env.DATABASE_URL) {
		const sql = postgres(database.location, { max: 1, onnotice: () => {} });
		try {
			return (await sql.unsafe(text, values as never[])) as unknown as T[];
		} finally {
			await sql.end();
		}
	}
	const db = await PGlite.create(database.location, { extensions: { btree_gist, pg_trgm } });
	try {
		return (await db.query<T>(text, values)).rows;
	} finally {
		await db.close();
	}
}
