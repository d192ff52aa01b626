// node bench/prepared-queries.js: the app's own database layer (src/lib/server/db) running the same
// small queries with every query prepared (the default) and with DATABASE_PREPARE=0 (drizzle's own
// unprepared queries: Parse and Describe, a wait, then Bind and Execute). Each side runs in its own
// process pinned to the server core, alternating, on a database made for the run; records queries
// per second and the Node process's CPU time per query in bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { alternate, median, psql, record, SERVER_CORE } from './lib.js';

const QUERIES = Number(process.env.BENCH_QUERIES || 20000);
const CONCURRENCY = 50;
const server = (process.env.BENCH_PG || 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');

if (process.argv[2] === '--child') {
	const { loadApp } = await import('./app.js');
	const app = await loadApp({ db: '/src/lib/server/db/index.ts', orm: 'drizzle-orm' });
	const { openDatabase, schema } = app.modules.db;
	const { eq } = app.modules.orm;
	const { db, close } = await openDatabase({ databaseUrl: process.argv[3] });
	// Two lookups by key, as a request makes them (its session's user, a category).
	const one = (i) =>
		i % 2
			? db.select().from(schema.categories).where(eq(schema.categories.code, 'street-vendor'))
			: db.select().from(schema.users).where(eq(schema.users.phone, '13800000001'));
	for (let i = 0; i < 200; i++) await one(i);
	let next = 0;
	const cpu = process.cpuUsage();
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < QUERIES) await one(next++);
		})
	);
	const ms = performance.now() - started;
	const used = process.cpuUsage(cpu);
	console.log(
		JSON.stringify({ qps: (QUERIES / ms) * 1000, cpuUs: (used.user + used.system) / QUERIES })
	);
	await close();
	await app.close();
	process.exit(0);
}

const dbName = `jx_prepared_${process.pid}`;
const url = `${server}/${dbName}`;
psql(`${server}/postgres`, `create database ${dbName};`);
try {
	const run = (prepare) => () =>
		JSON.parse(
			execFileSync(
				'taskset',
				['-c', SERVER_CORE, 'node', 'bench/prepared-queries.js', '--child', url],
				{ encoding: 'utf8', env: { ...process.env, DATABASE_PREPARE: prepare } }
			)
				.trim()
				.split('\n')
				.at(-1)
		);
	run('1')(); // migrates the database and warms the disk cache
	const { a, b } = alternate(Number(process.env.BENCH_ROUNDS || 3), run('1'), run('0'));
	const fmt = (runs, key) => runs.map((r) => r[key].toFixed(0)).join(', ');
	const qps = (runs) => median(runs.map((r) => r.qps));
	const cpu = (runs) => median(runs.map((r) => r.cpuUs));
	record('Prepared queries (bench/prepared-queries.js)', [
		'| queries | queries/s median (runs) | Node CPU µs per query median (runs) |',
		'| --- | --- | --- |',
		`| prepared (default) | ${qps(a).toFixed(0)} (${fmt(a, 'qps')}) | ${cpu(a).toFixed(0)} (${fmt(a, 'cpuUs')}) |`,
		`| unprepared (DATABASE_PREPARE=0) | ${qps(b).toFixed(0)} (${fmt(b, 'qps')}) | ${cpu(b).toFixed(0)} (${fmt(b, 'cpuUs')}) |`,
		'',
		`Ratio prepared / unprepared: ${(qps(a) / qps(b)).toFixed(2)}× the queries per second, ${(cpu(a) / cpu(b)).toFixed(2)}× the CPU per query.`,
		'',
		`Method: ${QUERIES} lookups by key (a user by phone, a category by code, alternating) through the app's own \`openDatabase\` and drizzle, ${CONCURRENCY} at a time on a pool of 10 connections; each side in its own Node process pinned to core ${SERVER_CORE}, sides alternating; PostgreSQL 15 on the same machine, not pinned.`
	]);
} finally {
	psql(`${server}/postgres`, `drop database if exists ${dbName} with (force);`);
}
