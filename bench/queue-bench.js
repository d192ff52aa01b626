// node bench/queue-bench.js: times the staff queue's first page (with filters) and the month's
// dashboard on the generated database (bench/generate-reports.js), through the app's own query
// functions, with the queue indexes and, as the baseline in the same run, with them dropped inside
// a transaction that is rolled back. Appends the figures and EXPLAIN (ANALYZE, BUFFERS) plans to
// bench/RESULTS.md. Targets: queue p95 < 50 ms, dashboard month < 500 ms.
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { BENCH_DATABASE_URL, loadApp } from './app.js';
import { median, record } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS || 60);
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS || 5);
const QUEUE_TARGET = 50;
const DASHBOARD_TARGET = 500;
// The indexes this benchmark is about (migrations 0007_workflow_revisits_rules_indexes and
// 0008_dashboard_indexes).
const INDEXES = [
	'reports_open_due_idx',
	'reports_open_community_due_idx',
	'reports_open_department_due_idx',
	'reports_stage_due_idx',
	'report_events_action_at_idx',
	'report_events_report_action_idx',
	// 0010_queue_search_trigram: the search box.
	'reports_tracking_code_trgm_idx',
	'reports_description_trgm_idx',
	'reports_address_trgm_idx',
	// 0011_search_pairs: a two-character search, which has no trigram.
	'reports_search_pairs_idx'
];

const app = await loadApp({
	db: '/src/lib/server/db/index.ts',
	queue: '/src/lib/server/reports/queue.ts',
	stats: '/src/lib/server/reports/stats.ts',
	input: '/src/lib/domain/staff-input.ts',
	valibot: 'valibot'
});
const { schema } = app.modules.db;
const { listQueue } = app.modules.queue;
const { keyFigures, breakdowns, departmentScorecards, propertyScorecards, hotspots, periodOf } =
	app.modules.stats;
const parseFilter = (q) => app.modules.valibot.parse(app.modules.input.queueFilterSchema, q);

let captured = null;
const sql = postgres(BENCH_DATABASE_URL, {
	max: 10,
	// As the app connects (src/lib/server/db/index.ts).
	connection: app.modules.db.connectionSettings,
	onnotice: () => {},
	debug: (_connection, query, parameters) => captured?.push({ query, parameters })
});
const db = drizzle(sql, { schema });
const [{ reports, events }] = await sql`
	select (select count(*)::int from reports) as reports, (select count(*)::int from report_events) as events`;
if (reports < 100_000) {
	console.error(
		`Only ${reports} cases in ${BENCH_DATABASE_URL}: run bench/generate-reports.js first.`
	);
	process.exit(1);
}

const user = async (phone) =>
	(
		await sql`select id, role, community_id as "communityId", department_id as "departmentId"
			from users where phone = ${phone}`
	)[0];
const dispatcher = await user('13800000006');
const communityStaff = await user('13800000005');
const handler = await user('13800000004');

// A closed case picked at random: its code, part of its description, its address.
const [closedCase] = await sql`
	select tracking_code, description, coalesce(address, '') as address from reports
	where stage = 'closed' and address is not null order by random() limit 1`;
// A two-character search, as staff type a word such as 垃圾: the last two characters of a case's
// code, lower-cased (the generated descriptions and addresses are alike, so a pair of them is in
// nearly every case).
const pair = closedCase.tracking_code.slice(-2).toLowerCase();
const now = new Date();
const filters = [
	['dispatcher', dispatcher, { stage: 'open' }],
	['community staff (和平社区)', communityStaff, { stage: 'open' }],
	['handler (城管中队)', handler, { stage: 'open' }],
	['dispatcher', dispatcher, { stage: 'open', category: 'street-cleaning' }],
	['dispatcher', dispatcher, { overdue: '1' }],
	['dispatcher', dispatcher, { stage: 'dispatched', community: 'heping', sort: 'priority' }],
	// The search box over every case, as when a resident calls with a code or a place.
	['dispatcher', dispatcher, { q: closedCase.tracking_code }],
	['dispatcher', dispatcher, { q: closedCase.description.slice(-6) }],
	['dispatcher', dispatcher, { q: pair }],
	['community staff (和平社区)', communityStaff, { stage: 'open', q: closedCase.address }]
];
const period = periodOf('month', null, null, now);
const dashboard = (handle) =>
	Promise.all([
		keyFigures(handle, dispatcher, period, now),
		breakdowns(handle, dispatcher, period),
		departmentScorecards(handle, dispatcher, period),
		propertyScorecards(handle, dispatcher, period, now),
		hotspots(handle, dispatcher, period)
	]);

async function time(fn, runs) {
	const ms = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		await fn();
		ms.push(performance.now() - t);
	}
	return ms;
}
const p95 = (values) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1];
const f1 = (n) => n.toFixed(1);

/**
 * Runs `fn` on a handle of one connection (so Promise.all pipelines, it does not spread) on which
 * the benchmark's indexes are dropped inside a transaction that is rolled back afterwards.
 */
async function withoutIndexes(fn) {
	const one = postgres(BENCH_DATABASE_URL, {
		max: 1,
		onnotice: () => {},
		connection: app.modules.db.connectionSettings
	});
	try {
		await one`begin`;
		for (const name of INDEXES) await one.unsafe(`drop index ${name}`);
		return await fn(drizzle(one, { schema }));
	} finally {
		await one`rollback`.catch(() => {});
		await one.end();
	}
}

/** The SQL the app sent for one call, each statement as EXPLAIN (ANALYZE, BUFFERS) shows it. */
async function plans(fn) {
	captured = [];
	await fn();
	const statements = captured;
	captured = null;
	const out = [];
	for (const { query, parameters } of statements) {
		const rows = await sql.unsafe(`explain (analyze, buffers) ${query}`, parameters);
		out.push({ query, plan: rows.map((r) => r['QUERY PLAN']).join('\n') });
	}
	return out;
}
const seqScans = (ps) => [
	...new Set(
		ps.flatMap((p) =>
			[...p.plan.matchAll(/Seq Scan on (reports|report_events)\b/g)].map((m) => m[1])
		)
	)
];

// Warm the caches the same way for both.
for (const [, actor, q] of filters) await listQueue(db, actor, parseFilter(q), now);
await dashboard(db);

const rows = [];
const queuePlans = [];
for (const [who, actor, q] of filters) {
	const filter = parseFilter(q);
	const ms = await time(() => listQueue(db, actor, filter, now), RUNS);
	const base = await withoutIndexes((handle) =>
		time(() => listQueue(handle, actor, filter, now), BASELINE_RUNS)
	);
	const ps = await plans(() => listQueue(db, actor, filter, now));
	queuePlans.push({ label: `${who}: ${new URLSearchParams(q)}`, plans: ps });
	rows.push(
		`| queue page 1, ${who}, \`${new URLSearchParams(q)}\` | ${f1(median(ms))} | ${f1(p95(ms))} | ${f1(median(base))} | ${f1(median(base) / median(ms))}× | < ${QUEUE_TARGET} (p95) | ${p95(ms) < QUEUE_TARGET ? 'yes' : 'NO'} | ${seqScans(ps).join(', ') || 'none'} |`
	);
	console.log(rows.at(-1));
}
const dashMs = await time(() => dashboard(db), Math.max(5, Math.round(RUNS / 6)));
const dashBase = await withoutIndexes((handle) => time(() => dashboard(handle), BASELINE_RUNS));
const dashPlans = await plans(() => dashboard(db));
rows.push(
	`| dashboard, this month (${period.from.toISOString().slice(0, 10)} …), dispatcher | ${f1(median(dashMs))} | ${f1(p95(dashMs))} | ${f1(median(dashBase))} | ${f1(median(dashBase) / median(dashMs))}× | < ${DASHBOARD_TARGET} | ${Math.max(...dashMs) < DASHBOARD_TARGET ? 'yes' : 'NO'} | ${seqScans(dashPlans).join(', ') || 'none'} |`
);
console.log(rows.at(-1));

const [{ version }] = await sql`select version()`;
const planBlock = (label, ps) =>
	[`#### ${label}`, '', ...ps.flatMap((p) => ['```', p.plan, '```', ''])].join('\n');
record('Queue and dashboard on 1,000,000 cases (bench/queue-bench.js)', [
	`Database: ${version.split(',')[0]}, ${reports} cases, ${events} timeline events, generated by bench/generate-reports.js.`,
	`Method: the app's own functions (listQueue; keyFigures, breakdowns, scorecards and hotspots in parallel as the dashboard page loads them) called from Node through Vite's SSR loader on a pool of 10 connections, after one warm-up call each; ${RUNS} runs per queue filter, ${dashMs.length} dashboard runs. Baseline: the same calls in the same run on one connection where the queue indexes (${INDEXES.join(', ')}) were dropped inside a transaction, ${BASELINE_RUNS} runs each, rolled back afterwards. Times in ms, wall clock per call (page and count queries together).`,
	'',
	'| measure | median | p95 | baseline median (no queue indexes) | speed-up | target | met | seq scans on big tables |',
	'| --- | --- | --- | --- | --- | --- | --- | --- |',
	...rows,
	'',
	'### Query plans (EXPLAIN (ANALYZE, BUFFERS), with the indexes)',
	'',
	...queuePlans.map((q) => planBlock(`Queue: ${q.label}`, q.plans)),
	planBlock('Dashboard, this month', dashPlans)
]);
await sql.end();
await app.close();
