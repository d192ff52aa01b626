import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { is } from 'drizzle-orm';
import { PgTransaction, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres, PostgresJsSession } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { mkdirSync } from 'node:fs';
import postgres from 'postgres';
import { config } from '../config';
import * as schema from './schema';

export { schema };

/** A database handle or a transaction: domain functions accept either. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * Runs `work` in the caller's transaction when `db` is one, else in a new one. A savepoint per
 * call would cost two more round trips, and the caller's transaction or savepoint already decides.
 */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
	return is(db, PgTransaction) ? work(db) : db.transaction(work);
}

/** The rows of `db.execute`: postgres.js gives an array, PGlite an object holding them. */
export function rowsOf<T>(result: unknown): T[] {
	return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
}

export interface Database {
	db: Db;
	kind: 'pglite' | 'postgres';
	close(): Promise<void>;
}

export interface OpenOptions {
	databaseUrl?: string;
	pgliteDir?: string;
	migrationsDir?: string;
}

/**
 * Settings of every app connection to PostgreSQL, measured on a million cases (bench/queue-bench.js):
 * - JIT off: short queries on big tables have high cost estimates, and compiling them took longer
 *   than running them (600 ms of a 670 ms dashboard query);
 * - random_page_cost 1.1, as for SSDs and a cached working set: at the default 4 the planner
 *   scanned all cases rather than look up a month's closures by key;
 * - work_mem 16 MB: the month's hotspot grouping sorted on disk at the default 4 MB.
 */
export const connectionSettings = { jit: 'off', random_page_cost: '1.1', work_mem: '16MB' };

/**
 * How long a pool connection waits before it tries again after failing to connect. postgres.js
 * grows this with the pool's failures up to 20 s, so after a 5 s restart the app answered 503 for
 * 4 to 9 s more (`npm run faults`); capped at 1 s, a failover ends for the app when it ends.
 */
export const reconnectDelaySeconds = (failures: number) =>
	(0.5 + Math.random() / 2) * Math.min(3 ** failures / 100, 1);

let preparing = false;

/**
 * drizzle-orm 0.45 runs ordinary queries on postgres.js unprepared (drizzle-team/drizzle-orm#6096),
 * and postgres.js sends an unprepared query with parameters as Parse and Describe, waits for the
 * answer, then sends Bind and Execute: two round trips and three socket writes per query. Prepared,
 * postgres.js keeps each statement per connection and sends Bind and Execute only. drizzle prepares
 * when a query has a name; this gives every query one (postgres.js makes the statement's own name).
 */
function prepareEveryQuery(): void {
	if (preparing) return;
	preparing = true;
	const session = PostgresJsSession.prototype as unknown as {
		prepareQuery: (query: unknown, fields: unknown, name?: string, ...rest: unknown[]) => unknown;
	};
	const unnamed = session.prepareQuery;
	session.prepareQuery = function (query, fields, name, ...rest) {
		return unnamed.call(this, query, fields, name ?? '', ...rest);
	};
}

/** Opens the database named by the options (or the environment) and brings its schema up to date. */
export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
	// An empty string forces the embedded database even when DATABASE_URL is set.
	const databaseUrl = options.databaseUrl ?? config.databaseUrl;
	const migrationsFolder = options.migrationsDir ?? config.migrationsDir;
	if (databaseUrl) {
		// One short-lived connection holds an advisory lock so concurrent servers migrate once.
		const migrator = postgres(databaseUrl, { max: 1, onnotice: () => {} });
		try {
			await migrator`select pg_advisory_lock(72201)`;
			await migratePostgres(drizzlePostgres(migrator), { migrationsFolder });
			await migrator`select pg_advisory_unlock(72201)`;
		} finally {
			await migrator.end();
		}
		// DATABASE_PREPARE=0 for a pooler that cannot keep prepared statements (PgBouncer before
		// 1.21 in transaction mode).
		const prepare = process.env.DATABASE_PREPARE !== '0';
		if (prepare) prepareEveryQuery();
		const client = postgres(databaseUrl, {
			prepare,
			backoff: reconnectDelaySeconds,
			max: Number(process.env.DATABASE_POOL_SIZE || 10),
			onnotice: () => {},
			connection: connectionSettings
		});
		const db = drizzlePostgres(client, { schema }) as unknown as Db;
		return { db, kind: 'postgres', close: () => client.end() };
	}
	const dir = options.pgliteDir ?? config.pgliteDir;
	if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
	const client = await PGlite.create(dir, { extensions: { btree_gist, pg_trgm } });
	const pglite = drizzlePglite(client, { schema });
	await migratePglite(pglite, { migrationsFolder });
	return { db: pglite as unknown as Db, kind: 'pglite', close: () => client.close() };
}

let guarded = false;

/**
 * postgres.js 3.4.9 can throw from a timer when PostgreSQL drops a connection while a write is
 * queued (porsager/postgres#1154, #1208), which would end the whole server on a database restart.
 * That query has already failed with CONNECTION_CLOSED (a 503), so the server carries on; any other
 * uncaught exception still ends it as Node would. For the app server only, not for test runners.
 */
export function surviveDriverWriteRace(): void {
	if (guarded) return;
	guarded = true;
	process.on('uncaughtException', (error) => {
		if (
			error instanceof TypeError &&
			error.message.includes("reading 'write'") &&
			error.stack?.includes('postgres/src/connection.js')
		) {
			console.error('[db] a connection closed while a write was queued; the server goes on');
			return;
		}
		console.error(error);
		process.exit(1);
	});
}

let opening: Promise<Database> | undefined;

/** The app's one database, opened and migrated once per process. */
export function database(): Promise<Database> {
	opening ??= openDatabase();
	return opening;
}

/** Shortcut for route code: the app's database handle. */
export async function getDb(): Promise<Db> {
	return (await database()).db;
}
