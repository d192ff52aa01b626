// node bench/generate-reports.js: fills a PostgreSQL database (BENCH_DATABASE_URL, by default
// jx_bench_1m on 127.0.0.1) with the demo data and BENCH_REPORTS (1,000,000) generated cases with
// their timelines, using INSERT … SELECT generate_series, so it takes minutes, not hours.
// Cases spread over two years up to now; open stages are the recent ones, as in real life.
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { BENCH_DATABASE_URL, loadApp } from './app.js';

const count = Number(process.env.BENCH_REPORTS || 1_000_000);
const started = Date.now();
const step = (what) =>
	console.log(`[generate] ${((Date.now() - started) / 1000).toFixed(1)} s ${what}`);

// A new machine has no bench database yet.
{
	const url = new URL(BENCH_DATABASE_URL);
	const name = url.pathname.slice(1);
	url.pathname = '/postgres';
	const admin = postgres(url.href, { max: 1, onnotice: () => {} });
	const [{ exists }] =
		await admin`select exists (select 1 from pg_database where datname = ${name})`;
	if (!exists) await admin.unsafe(`create database "${name.replace(/"/g, '""')}"`);
	await admin.end();
}

const app = await loadApp({
	db: '/src/lib/server/db/index.ts',
	seed: '/src/lib/server/seed/demo.ts'
});
const database = await app.modules.db.openDatabase({ databaseUrl: BENCH_DATABASE_URL });
await app.modules.seed.seedDemo(database.db);
await database.close();
await app.close();
step('migrated and seeded the demo data');

const sql = postgres(BENCH_DATABASE_URL, { max: 1, onnotice: () => {} });
await sql`set synchronous_commit = off`;
await sql`set maintenance_work_mem = '256MB'`;
const [{ existing }] =
	await sql`select count(*)::int as existing from reports where tracking_code like 'B%'`;
// Places: each grid with its community; a case's point is near one of 400 spots, so hotspots exist.
await sql`
	create temp table places as
	select row_number() over (order by g.code) as n, g.id as grid_id, g.community_id
	from grids g`;
await sql`
	create temp table cats as
	select row_number() over (order by code) as n, id, department_id from categories where active`;
const [{ places, cats }] = await sql`
	select (select count(*)::int from places) as places, (select count(*)::int from cats) as cats`;

if (existing < count) {
	// One case per i: a pseudo-random age (0–730 days), place, category and stage from multiplicative hashes.
	await sql`
	insert into reports (id, tracking_code, category_id, stage, priority, description, lat, lng,
		address, community_id, grid_id, department_id, due_at, created_at, updated_at)
	select gen_random_uuid(), 'B' || lpad(to_hex(i), 7, '0'), c.id, s.stage,
		case when i % 20 = 0 then 'urgent' else 'normal' end,
		'生成的案件 ' || i, 31.85 + (i * 7 % 400) * 0.00005 + (i % 13) * 0.00001,
		117.29 + (i * 11 % 400) * 0.00005, '和平路 ' || (i % 400) || ' 号', p.community_id, p.grid_id,
		case when s.stage in ('submitted', 'declined', 'duplicate') then null else c.department_id end,
		a.created_at + interval '72 hours', a.created_at, a.created_at
	from generate_series(1, ${count}::int) i
	cross join lateral (select now() - ((i::bigint * 7919) % (730 * 1440)) * interval '1 minute' as created_at) a
	join places p on p.n = 1 + (i * 31) % ${places}
	join cats c on c.n = 1 + (i * 17) % ${cats}
	cross join lateral (select case
		when a.created_at < now() - interval '20 days' then
			case when (i * 13) % 100 < 88 then 'closed' when (i * 13) % 100 < 94 then 'declined' else 'duplicate' end
		else (array['submitted', 'accepted', 'dispatched', 'in_progress', 'handled', 'closed', 'closed',
			'rework', 'returned', 'declined'])[1 + (i * 13) % 10]
		end as stage) s
	-- Cases arrive in time order, so a month's cases sit together in the table, as in real life.
	order by a.created_at`;
	step(`inserted ${count} cases`);
}

// Timelines: each move a case in its stage has been through, with the deadline then running, in
// one pass over the cases, in time order. A bulk load: no foreign-key triggers (the ids come from reports just
// read) and the secondary indexes rebuilt once afterwards.
const moves = [
	[
		'submit',
		null,
		'submitted',
		0,
		[
			'submitted',
			'accepted',
			'declined',
			'duplicate',
			'dispatched',
			'in_progress',
			'handled',
			'closed',
			'rework',
			'returned'
		]
	],
	[
		'accept',
		'submitted',
		'accepted',
		1,
		['accepted', 'dispatched', 'in_progress', 'handled', 'closed', 'rework', 'returned']
	],
	['decline', 'submitted', 'declined', 1, ['declined']],
	[
		'dispatch',
		'accepted',
		'dispatched',
		2,
		['dispatched', 'in_progress', 'handled', 'closed', 'rework', 'returned']
	],
	['return', 'dispatched', 'returned', 3, ['returned']],
	['start', 'dispatched', 'in_progress', 3, ['in_progress', 'handled', 'closed', 'rework']],
	['handle', 'in_progress', 'handled', 30, ['handled', 'closed', 'rework']],
	['close', 'handled', 'closed', 40, ['closed']],
	['rework', 'handled', 'rework', 41, ['rework']]
];
const [{ done }] = await sql`
	select count(*)::int as done from report_events e join reports r on r.id = e.report_id
	where r.tracking_code like 'B%' and e.action <> 'submit'`;
if (done === 0) {
	await sql`delete from report_events e using reports r
		where r.id = e.report_id and r.tracking_code like 'B%'`;
	step('cleared partial timelines');
	const secondary = await sql`
		select indexname, indexdef from pg_indexes
		where tablename = 'report_events' and indexname <> 'report_events_pkey'`;
	for (const { indexname } of secondary) await sql.unsafe(`drop index ${indexname}`);
	await sql`set session_replication_role = replica`;
	const values = moves.map(
		([action, from, to, hours, stages]) =>
			sql`(${action}, ${from}::text, ${to}, ${hours}::int, ${stages}::text[])`
	);
	await sql`
		insert into report_events (report_id, at, action, from_stage, to_stage, department_id, data)
		select r.id, r.created_at + m.hours * interval '1 hour'
				-- Every tenth case was handled late: after its 72-hour deadline.
				+ case when m.action = 'handle' and r.tracking_code like '%7' then interval '60 hours'
					else interval '0' end,
			m.action, m.from_stage, m.to_stage, r.department_id, jsonb_build_object('dueAt', r.due_at)
		from reports r
		join (values ${values.reduce((a, b) => sql`${a}, ${b}`)}) m(action, from_stage, to_stage, hours, stages)
			on r.stage = any (m.stages)
		where r.tracking_code like 'B%'
		order by 2`;
	step('events: every move');
	await sql`
		insert into report_events (report_id, at, action, data)
		select r.id, r.created_at + interval '50 hours', 'rate',
			jsonb_build_object('rating', 1 + (hashtext(r.tracking_code) & 2147483647) % 5)
		from reports r where r.tracking_code like 'B%' and r.stage = 'closed' and r.tracking_code like '%3'
		order by 2`;
	step('events: ratings');
	await sql`set session_replication_role = origin`;
	for (const { indexname, indexdef } of secondary) {
		await sql.unsafe(indexdef);
		step(`rebuilt ${indexname}`);
	}
	// The facts each move keeps on its case, as migration 0008 rebuilds them from the timelines.
	const backfill = readFileSync('drizzle/0008_dashboard_facts.sql', 'utf8')
		.split('--> statement-breakpoint')
		.find((statement) => statement.includes('UPDATE "reports"'));
	await sql.unsafe(backfill);
	// The bulk update moved every row to a new place; a real table fills in time order.
	await sql`cluster reports using reports_created_idx`;
	step('dashboard facts on each case');
}
await sql`vacuum analyze reports`;
await sql`vacuum analyze report_events`;
step('vacuum analyze');
const [{ reports, events }] = await sql`
	select (select count(*)::int from reports) as reports, (select count(*)::int from report_events) as events`;
step(`done: ${reports} cases, ${events} events`);
await sql.end();
