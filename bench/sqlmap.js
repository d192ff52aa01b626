// npm run bench:sqlmap: Debian's sqlmap (`apt-get install sqlmap`) with --batch --level 3 against
// every public endpoint that takes parameters, on a PostgreSQL database made for the run and
// dropped after it. Appends a summary per endpoint to bench/RESULTS.md; exits 1 if sqlmap finds
// an injection or the app answers 500.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { BASE_PORT, psql, record, startPinned } from './lib.js';

const run = promisify(execFile);
const PORT = BASE_PORT + 4;
const origin = `http://localhost:${PORT}`;
const server = (process.env.BENCH_PG || 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');
const dbName = `jx_sqlmap_${process.pid}`;
const databaseUrl = `${server}/${dbName}`;
const only = process.env.SQLMAP_ONLY; // substrings (comma-separated) of the targets to run
// On a busy machine a full pass takes long: past this many minutes the rest are listed as not run.
const budgetMinutes = Number(process.env.SQLMAP_BUDGET_MINUTES || 0);

if (!existsSync('build/index.js')) {
	console.error('Build the app first: npm run build');
	process.exit(1);
}

/** Real values from the demo data, so each request sqlmap starts from is a 200. */
function fixtures() {
	const one = (sql) => {
		try {
			return psql(databaseUrl, sql).trim().split('\n')[0] ?? '';
		} catch {
			return ''; // no such data in this version of the demo
		}
	};
	return {
		community: one('select code from communities order by code limit 1;'),
		category: one('select code from categories where active order by code limit 1;'),
		trackingCode: '',
		notice: one(
			'select id from notices where publish_from <= now() and (publish_until is null or publish_until > now()) limit 1;'
		),
		post: one('select id from posts order by code limit 1;'),
		shop: one('select id from shops limit 1;'),
		photo: one('select id from report_photos where public limit 1;')
	};
}

/** Each target: a URL with its parameters; `*` marks a path segment for sqlmap to inject into. */
function targets(f) {
	// The JSON APIs first, then the pages.
	const list = [
		`/api/v1/reports/${f.trackingCode}*`,
		`/api/v1/reports/nearby?category=${f.category}&lat=31.866&lng=117.296`,
		'/api/v1/notices?page=1',
		`/open311/v2/requests.json?service_request_id=${f.trackingCode}&service_code=${f.category}&status=open&start_date=2026-09-01&page=1&page_size=10&extensions=true`,
		`/open311/v2/requests/${f.trackingCode}*.json`,
		`/open311/v2/services/${f.category}*.json`,
		'/open311/v2/services.json?jurisdiction_id=hefei',
		`/api/v1/shifts?from=2026-01-01T00:00:00%2B08:00&to=2026-01-08T00:00:00%2B08:00&post=${f.post}`,
		`/reports?category=${f.category}&stage=submitted&community=${f.community}&page=1`,
		`/volunteer?day=2026-01-01&post=${f.post}`,
		`/r?code=${f.trackingCode}`,
		`/r/${f.trackingCode}*`
	];
	if (f.notice) list.push(`/notices/${f.notice}*`);
	if (f.shop) list.push(`/api/v1/shops/${f.shop}*`);
	if (f.photo) list.push(`/photos/${f.photo}*`);
	return only ? list.filter((t) => only.split(',').some((part) => t.includes(part))) : list;
}

/** One sqlmap run; reads its verdict, the parameters it tried and any HTTP errors it saw. */
async function sqlmap(path, outputDir) {
	const args = [
		'--batch',
		'--level',
		'3',
		'--dbms',
		'PostgreSQL',
		'--threads',
		'8',
		'--flush-session',
		'--disable-coloring',
		'--output-dir',
		outputDir,
		'-u',
		origin + path
	];
	let out;
	try {
		({ stdout: out } = await run('taskset', ['-c', '1', 'sqlmap', ...args], {
			maxBuffer: 64 * 1024 * 1024,
			timeout: 20 * 60_000
		}));
	} catch (error) {
		out = `${error.stdout ?? ''}\n${error.stderr ?? ''}`;
	}
	const injectable = /identified the following injection point/.test(out);
	const none = /do not appear to be injectable/.test(out);
	const tested = [
		...new Set(
			[
				...out.matchAll(
					/(?:\b(GET|POST|URI|Cookie) )?parameter '([^']+)' (?:does not seem to be injectable|is vulnerable)/g
				)
			].map((m) => `${m[1] ?? 'header'} ${m[2]}`)
		)
	];
	const httpErrors =
		out.match(/HTTP error codes detected during run:\s*\n?(.*)/)?.[1]?.trim() ?? '';
	const verdict = injectable ? 'INJECTABLE' : none ? 'none' : 'no verdict (see log)';
	if (!injectable && !none) console.error(out.slice(-3000));
	return { verdict, tested, httpErrors, injectable, serverErrors: /\b500\b/.test(httpErrors) };
}

psql(`${server}/postgres`, `create database ${dbName};`);
const outputDir = mkdtempSync(join(tmpdir(), 'jx-sqlmap-'));
const uploads = mkdtempSync(join(tmpdir(), 'jx-sqlmap-uploads-'));
let app;
let failed = false;
try {
	app = await startPinned(
		'node',
		['scripts/serve.js'],
		{
			PORT: String(PORT),
			ORIGIN: origin,
			DATABASE_URL: databaseUrl,
			SEED_DEMO: '1',
			APP_SECRET: 'bench',
			UPLOAD_DIR: uploads
		},
		`${origin}/api/v1/categories`
	);
	const f = fixtures();
	// A case of our own: the demo cases are not all public, and a tracking page of a real one is.
	const form = new FormData();
	for (const [name, value] of Object.entries({
		category: f.category,
		description: 'sqlmap',
		lat: '31.866',
		lng: '117.296'
	}))
		form.set(name, value);
	const photo = await sharp({
		create: { width: 64, height: 48, channels: 3, background: '#88aa88' }
	})
		.jpeg()
		.toBuffer();
	form.set('photos', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
	const made = await fetch(`${origin}/api/v1/reports`, {
		method: 'POST',
		body: form,
		headers: { Origin: origin, 'Idempotency-Key': crypto.randomUUID() }
	});
	if (made.status !== 201) throw new Error(`could not make a case: ${made.status}`);
	f.trackingCode = (await made.json()).trackingCode;
	// The demo has no notice or shop, and the photo is the case's just made: rows of our own.
	psql(
		databaseUrl,
		`insert into notices (title, body) values ('sqlmap', 'sqlmap');
		insert into shops (name, address) values ('sqlmap', '和平路 1 号');`
	);
	Object.assign(f, fixtures(), { trackingCode: f.trackingCode });
	const { stdout: version } = await run('sqlmap', ['--version']);
	const lines = [
		'| endpoint | injectable | parameters tested | HTTP errors sqlmap saw |',
		'| --- | --- | --- | --- |'
	];
	const began = Date.now();
	for (const path of targets(f)) {
		if (budgetMinutes && Date.now() - began > budgetMinutes * 60_000) {
			failed = true;
			lines.push(`| \`${path}\` | not run (time budget of ${budgetMinutes} min spent) | | |`);
			continue;
		}
		const started = Date.now();
		const result = await sqlmap(path, outputDir);
		failed ||= result.injectable || result.serverErrors || result.verdict !== 'none';
		lines.push(
			`| \`${path.replace(/\|/g, '\\|')}\` | ${result.verdict} | ${result.tested.join(', ') || '—'} | ${result.httpErrors || 'none'} |`
		);
		console.log(lines.at(-1), `${((Date.now() - started) / 1000).toFixed(0)} s`);
	}
	lines.push(
		'',
		`sqlmap ${version.trim().split('\n')[0]} (Debian), \`--batch --level 3 --dbms PostgreSQL --threads 4\`, one run per endpoint, ` +
			'against `node scripts/serve.js` on a fresh PostgreSQL 15 database with the demo data. `*` marks a path segment injected into; ' +
			'level 3 also injects into the User-Agent and Referer headers and cookies. ' +
			'HTTP 4xx answers are the app refusing malformed values (400/404), as it should.'
	);
	record('sqlmap (bench/sqlmap.js)', lines);
} finally {
	app?.kill();
	await new Promise((r) => setTimeout(r, 1000));
	try {
		psql(`${server}/postgres`, `drop database if exists ${dbName} with (force);`);
	} catch (error) {
		console.error(`could not drop ${dbName}:`, error.message);
	}
	rmSync(outputDir, { recursive: true, force: true });
	rmSync(uploads, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
