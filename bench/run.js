// npm run bench: the app against baselines measured in the same run, A and B alternating.
// - SSR of / and /report, GET /api/v1/categories and booking a shift, each against a bare
//   node:http hello-world (autocannon, 50 connections);
// - report intake (POST /api/v1/reports with one photo) against pgbench inserting the same row
//   into the same table of the same PostgreSQL.
// Server and load generator are pinned to different cores. The app runs on a PostgreSQL database
// made for the run and dropped after it (BENCH_PG, default postgres://postgres@127.0.0.1:5432).
// Results go to bench/RESULTS.md with the raw figures.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	alternate,
	describeFileSystem,
	autocannon,
	BASE_PORT,
	median,
	intakeServerEnv,
	multipart,
	pgbench,
	phonePhoto,
	psql,
	record,
	scenario,
	uploadFolder,
	withCpu,
	startPinned
} from './lib.js';

const APP_PORT = BASE_PORT;
const HELLO_PORT = BASE_PORT + 1;
const BODY_FLOOR_PORT = BASE_PORT + 3;
const origin = `http://localhost:${APP_PORT}`;
const rounds = Number(process.env.BENCH_ROUNDS || 3);
const seconds = Number(process.env.BENCH_SECONDS || 5);
// Photo intake is slow per request: short runs would end before the first 50 answers.
const intakeSeconds = Number(process.env.BENCH_INTAKE_SECONDS || 10);
const server = (process.env.BENCH_PG || 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');
const dbName = `jx_bench_${process.pid}`;
const databaseUrl = `${server}/${dbName}`;
// BENCH_ONLY: a comma list of pages, booking and intake (default: all of them).
const only = new Set((process.env.BENCH_ONLY || 'pages,booking,intake').split(','));
const VOLUNTEERS = 1000;
const SHIFTS = 40;

if (!existsSync('build/index.js')) {
	console.error('Build the app first: npm run build');
	process.exit(1);
}

/**
 * Volunteers with sessions and open shifts, written straight into the database: signing up a
 * thousand people through the forms would measure password hashing, not booking.
 */
function bookingFixtures() {
	const [passwordHash] = psql(
		databaseUrl,
		"select password_hash from users where role = 'volunteer' limit 1;"
	)
		.trim()
		.split('\n');
	const tokens = [];
	const users = [];
	const profiles = [];
	const sessions = [];
	for (let i = 0; i < VOLUNTEERS; i++) {
		const id = randomUUID();
		const token = randomBytes(20).toString('hex');
		const sessionId = createHash('sha256').update(token).digest('hex');
		tokens.push(token);
		users.push(
			`('${id}', '199${String(i).padStart(8, '0')}', '压测志愿者${i}', '${passwordHash}', 'volunteer')`
		);
		profiles.push(`('${id}', '压测志愿者${i}', '1990-01-01')`);
		sessions.push(`('${sessionId}', '${id}', now() + interval '1 day')`);
	}
	const shifts = psql(
		databaseUrl,
		`begin;
		insert into users (id, phone, name, password_hash, role) values ${users.join(',')};
		insert into volunteer_profiles (user_id, real_name, birth_date) values ${profiles.join(',')};
		insert into sessions (id, user_id, expires_at) values ${sessions.join(',')};
		-- 50-minute shifts one after another from two days on: no two overlap, so one volunteer may book them all.
		insert into shifts (post_id, starts_at, ends_at, capacity, signup_opens_at, cancel_cutoff_at)
		select (select id from posts order by code limit 1),
			date_trunc('hour', now()) + interval '2 days' + k * interval '1 hour',
			date_trunc('hour', now()) + interval '2 days' + k * interval '1 hour' + interval '50 minutes',
			1000000, now() - interval '1 day',
			date_trunc('hour', now()) + interval '2 days' + k * interval '1 hour' - interval '2 hours'
		from generate_series(1, ${SHIFTS}) k;
		commit;
		select id from shifts where capacity = 1000000 order by starts_at;`
	)
		.trim()
		.split('\n');
	return { tokens, shifts };
}

/**
 * A pgbench script inserting the row intake made, with a fresh id and tracking code each time:
 * the same table, the same values, the same indexes.
 */
function insertScript() {
	const columns = psql(
		databaseUrl,
		`select string_agg(quote_ident(column_name), ',' order by ordinal_position)
		from information_schema.columns
		where table_name = 'reports' and column_name not in ('id', 'tracking_code', 'created_at', 'updated_at')
			and is_generated = 'NEVER';`
	).trim();
	const row = psql(
		databaseUrl,
		'select row_to_json(r) from reports r order by created_at desc limit 1;'
	).trim();
	if (!row) throw new Error('intake made no report to copy');
	const selected = columns
		.split(',')
		.map((c) => `t.${c}`)
		.join(',');
	return `insert into reports (tracking_code,${columns}) select 'PB' || substr(md5(random()::text || clock_timestamp()::text), 1, 10), ${selected} from json_populate_record(null::reports, $jx$${row}$jx$) t;\n`;
}

function check(label, runs, allowed = [201, 200]) {
	for (const r of runs) {
		const bad = Object.entries(r.statusCodes ?? {}).filter(
			([code]) => !allowed.includes(Number(code))
		);
		if (r.errors || bad.length)
			throw new Error(
				`${label}: ${r.errors} errors, status codes ${JSON.stringify(r.statusCodes)}`
			);
	}
}

const fmt = (runs, key = 'rps') => runs.map((r) => r[key].toFixed(0)).join(', ');

/** Booking: many volunteers, 50 at a time, on PostgreSQL. Returns the line of its checks. */
function benchBooking(helloRun) {
	const { tokens, shifts } = bookingFixtures();
	let sent = 0;
	const book = (s) => {
		const spec = {
			kind: 'booking',
			origin,
			seconds: s,
			start: sent,
			shifts,
			tokens,
			headers: { origin }
		};
		const result = withCpu(app.pid, () => ({ ...scenario(spec), seconds: s }));
		sent += result.sent;
		return result;
	};
	check('booking warm-up', [book(2)]);
	const booking = alternate(rounds, () => book(seconds), helloRun);
	check('booking', booking.a);
	row('POST /api/v1/shifts/{id}/bookings', booking.a, 'node:http hello-world', booking.b);
	const [overbooked] = psql(
		databaseUrl,
		`select count(*) from shifts s where s.booked > s.capacity
			or s.booked <> (select count(*) from bookings b where b.shift_id = s.id and b.status = 'booked');`
	)
		.trim()
		.split('\n');
	return `shifts with more bookings than capacity or a wrong count: ${overbooked}.`;
}

const waitingPhotos = () =>
	Number(psql(databaseUrl, 'select count(*) from report_photo_uploads;').trim());

/** Intake: one photo each, a fresh Idempotency-Key and client address each. Returns its checks. */
async function benchIntake() {
	const photo = await phonePhoto();
	const { body, contentType } = multipart(photo);
	const bodyDir = mkdtempSync(join(tmpdir(), 'jx-bench-body-'));
	const bodyFile = join(bodyDir, 'body');
	writeFileSync(bodyFile, body);
	let reportsSent = 0;
	let created = 0;
	const intake = (s, withoutKey = false) => {
		const spec = {
			kind: 'intake',
			origin,
			seconds: s,
			start: reportsSent,
			withoutKey,
			timeout: 60,
			bodyFile,
			headers: { origin, 'content-type': contentType }
		};
		const result = withCpu(app.pid, () => ({ ...scenario(spec), seconds: s }));
		if (!withoutKey) {
			reportsSent += result.sent;
			created += result.statusCodes['201'] ?? 0;
		}
		return result;
	};
	check('intake warm-up', [intake(5)]);
	const script = insertScript();
	pgbench(databaseUrl, script, { seconds: 2 });
	const waiting = [];
	const reports = alternate(
		rounds,
		() => {
			const result = intake(intakeSeconds);
			waiting.push(waitingPhotos());
			return result;
		},
		() => pgbench(databaseUrl, script, { seconds: intakeSeconds })
	);
	check('intake', reports.a);
	if (reports.b.some((r) => r.failed || Number.isNaN(r.rps))) throw new Error('pgbench failed');
	const size = `${(photo.length / 1024).toFixed(0)} KB`;
	row(
		`POST /api/v1/reports (one ${size} photo)`,
		reports.a,
		'pgbench insert of the same row',
		reports.b
	);
	// The photos left after the last run, finished by the app now that it is quiet.
	const left = waitingPhotos();
	const started = Date.now();
	while (waitingPhotos() > 0) {
		if (Date.now() - started > 30 * 60_000) throw new Error('photos still waiting after 30 min');
		await new Promise((r) => setTimeout(r, 1000));
	}
	const drainSeconds = (Date.now() - started) / 1000;
	// Run once the photos are finished, so that finishing takes none of its time.
	const floor = [intake(intakeSeconds, true)];
	check('intake floor', floor, [400]);
	row(
		`the same POST without a key (400 once parsed): the floor`,
		floor,
		'pgbench insert of the same row',
		reports.b
	);
	// The same body read and refused by bare node:http on the same core: the transport's share.
	const bodyFloorServer = await startPinned(
		'node',
		['bench/body-floor.js'],
		{ PORT: String(BODY_FLOOR_PORT) },
		`http://localhost:${BODY_FLOOR_PORT}/`
	);
	try {
		const bodyFloorOrigin = `http://127.0.0.1:${BODY_FLOOR_PORT}`;
		const bodyFloor = [
			withCpu(bodyFloorServer.pid, () => ({
				...scenario({
					kind: 'intake',
					origin: bodyFloorOrigin,
					seconds: intakeSeconds,
					withoutKey: true,
					timeout: 60,
					bodyFile,
					headers: { origin: bodyFloorOrigin, 'content-type': contentType }
				}),
				seconds: intakeSeconds
			}))
		];
		check('body floor', bodyFloor, [400]);
		row(
			'the same POST read and refused by bare node:http (bench/body-floor.js)',
			bodyFloor,
			'pgbench insert of the same row',
			reports.b
		);
	} finally {
		bodyFloorServer.kill();
	}
	rmSync(bodyDir, { recursive: true, force: true });

	// Every key is fresh, so there can be at most one report per request sent; requests still in
	// flight when a run stops are answered after it, so more may exist than the 201s counted.
	const [stored, withoutPhoto] = psql(
		databaseUrl,
		`select count(*) from reports where tracking_code not like 'PB%' and description like '%压测%';
		select count(*) from reports r where tracking_code not like 'PB%' and description like '%压测%'
			and not exists (select 1 from report_photos p where p.report_id = r.id);`
	)
		.trim()
		.split('\n');
	const duplicates = Math.max(0, Number(stored) - reportsSent);
	return (
		`intake requests sent ${reportsSent}, answered 201 within the runs ${created}, reports stored ${stored}, ` +
		`more reports than requests (duplicates): ${duplicates}; photos waiting after each intake run: ${waiting.join(', ')}; ` +
		`the ${left} left after the last run were finished in ${drainSeconds.toFixed(0)} s (${(left / drainSeconds).toFixed(1)} photos/s); ` +
		`bench reports without their finished photo then: ${withoutPhoto}.`
	);
}

psql(`${server}/postgres`, `create database ${dbName};`);
const uploads = uploadFolder('jx-bench-uploads-');
let app;
let hello;
const lines = [
	'| measure | app req/s median (runs) | baseline | baseline req/s median (runs) | ratio (medians) | app p50 / p99 ms (median of runs) | server CPU µs per request, app / baseline (baseline ÷ app); load core busy, app / baseline runs |',
	'| --- | --- | --- | --- | --- | --- | --- |'
];
const row = (label, a, baseline, b) => {
	const appRps = median(a.map((r) => r.rps));
	const baseRps = median(b.map((r) => r.rps));
	// Server CPU per request, and the load core's busy share: where the load generator set the pace
	// (load core near 100%, server core not), the CPU ratio says what the server itself can do.
	const cpu = (runs) => median(runs.map((r) => r.serverCpuUsPerRequest ?? NaN));
	const busy = (runs, key = 'loadBusy') => median(runs.map((r) => (r[key] ?? NaN) * 100));
	const serverCore = `; server core ${busy(a, 'serverCoreBusy').toFixed(0)}% in the app runs`;
	const cpuCell = Number.isNaN(cpu(a))
		? '–'
		: Number.isNaN(cpu(b))
			? `${cpu(a).toFixed(0)} / –${serverCore}`
			: `${cpu(a).toFixed(0)} / ${cpu(b).toFixed(0)} (${(cpu(b) / cpu(a)).toFixed(3)}); load core ${busy(a).toFixed(0)}% / ${busy(b).toFixed(0)}%${serverCore}`;
	lines.push(
		`| ${label} | ${appRps.toFixed(0)} (${fmt(a)}) | ${baseline} | ${baseRps.toFixed(0)} (${fmt(b)}) | ${(appRps / baseRps).toFixed(3)} | ${median(a.map((r) => r.p50))} / ${median(a.map((r) => r.p99))} | ${cpuCell} |`
	);
	console.log(lines.at(-1));
};
try {
	app = await startPinned(
		'node',
		// BENCH_APP_FLAGS: Node flags for the app, such as `--cpu-prof --cpu-prof-dir=DIR`.
		[...(process.env.BENCH_APP_FLAGS ?? '').split(' ').filter(Boolean), 'scripts/serve.js'],
		intakeServerEnv({ port: APP_PORT, origin, databaseUrl, uploads }),
		`${origin}/api/v1/categories`
	);
	hello = await startPinned(
		'node',
		['bench/hello.js'],
		{ PORT: String(HELLO_PORT) },
		`http://localhost:${HELLO_PORT}/`
	);
	const helloRun = () =>
		autocannon(`http://localhost:${HELLO_PORT}/`, { seconds, serverPid: hello.pid });

	for (const path of only.has('pages') ? ['/', '/report', '/api/v1/categories'] : []) {
		autocannon(`${origin}${path}`, { seconds: 2 });
		helloRun();
		const { a, b } = alternate(
			rounds,
			() => autocannon(`${origin}${path}`, { seconds, serverPid: app.pid }),
			helloRun
		);
		const bad = a.reduce((n, r) => n + r.non2xx + r.errors, 0);
		if (bad) throw new Error(`${path}: ${bad} failed responses`);
		row(`GET ${path}`, a, 'node:http hello-world', b);
	}
	// As browsers ask for pages: compressed. autocannon reading 33 KB plain pages tops out on its own
	// core before the server does (the server used 63% of its core at 5900 req/s on /report).
	const browserLike = { 'Accept-Encoding': 'gzip, deflate, br, zstd' };
	for (const path of only.has('pages') ? ['/', '/report'] : []) {
		const get = () =>
			autocannon(`${origin}${path}`, { seconds, headers: browserLike, serverPid: app.pid });
		const { a, b } = alternate(rounds, get, helloRun);
		const bad = a.reduce((n, r) => n + r.non2xx + r.errors, 0);
		if (bad) throw new Error(`${path}: ${bad} failed responses`);
		row(`GET ${path}, Accept-Encoding as browsers send it`, a, 'node:http hello-world', b);
	}

	const checks = [];
	if (only.has('booking')) checks.push(benchBooking(helloRun));
	if (only.has('intake')) checks.push(await benchIntake());
	lines.push(
		'',
		`Checks after the run: ${checks.join(' ')}`,
		'',
		`Method: autocannon, 50 connections, ${seconds} s per run (intake and its pgbench ${intakeSeconds} s), ${rounds} rounds alternating app and baseline after a warm-up of each; ` +
			'the app (`node scripts/serve.js`: `node build` with its shared cache, PUBLIC_CACHE_SECONDS=' +
			(process.env.PUBLIC_CACHE_SECONDS ?? '5') +
			', NODE_ENV=production) pinned to core 0 with taskset, autocannon, bench/load.js and pgbench pinned to core 1; ' +
			`PostgreSQL 15 on the same machine, not pinned. The app runs on a fresh PostgreSQL database with the demo data (pool of 10 connections). ` +
			`Booking: ${VOLUNTEERS} volunteers with sessions and ${SHIFTS} open shifts; request i books shift i mod ${SHIFTS} for volunteer ⌊i/${SHIFTS}⌋ with a fresh Idempotency-Key. ` +
			'Intake: the multipart body of the form with one photo, a fresh Idempotency-Key and X-Forwarded-For address per request (ADDRESS_HEADER set so the per-address limit sees many residents); ' +
			'its floor is the same body sent without a key, refused with 400 once SvelteKit has read and parsed it; ' +
			'the body floor is the same body read and refused by bare node:http (bench/body-floor.js) pinned to the same core. ' +
			`The app's photos are written to ${describeFileSystem(uploads)}. ` +
			'The photos are finished (decoded and re-encoded) by the app after each answer, paced to about a quarter of its time while reports arrive; ' +
			'after the last run the bench waits until none is left and reports how fast the rest was finished. ' +
			'pgbench: 50 clients, one job, a custom script inserting the last report intake made (all columns but id, tracking code and timestamps) into `reports`. ' +
			"Server CPU per request: the server process's user and system time over the run (/proc/<pid>/stat, all threads) divided by the requests answered; its ratio (baseline ÷ app) is the throughput ratio the two servers would have if each had its core to itself. " +
			'Load core busy: the share of core 1 in use during the run (/proc/stat); near 100% with the server core below it means autocannon, not the server, set the pace.'
	);
	record('SSR, JSON API, booking and intake against baselines (bench/run.js)', lines);
} finally {
	app?.kill();
	hello?.kill();
	await new Promise((r) => setTimeout(r, 1000));
	try {
		psql(`${server}/postgres`, `drop database if exists ${dbName} with (force);`);
	} catch (error) {
		console.error(`could not drop ${dbName}:`, error.message);
	}
	rmSync(uploads, { recursive: true, force: true });
}
