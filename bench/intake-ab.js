// npm run bench:intake-ab -- A B [C…]: report intake of two or more builds of the app, in turn, on
// this machine, so a change to intake is measured against the build before it in one run.
// Each argument is a git revision (built into a temporary worktree) or `.` for the working tree's
// current build/, optionally followed by `::` and Node flags (`HEAD::--single-threaded-gc`).
// Every build gets its own PostgreSQL database with the demo data and its own upload folder, and
// all of them are started at once, pinned to the server core. The ones not being measured are
// stopped (SIGSTOP): their photo finishing would otherwise take the core from the one measured.
// Results go to bench/RESULTS.md: requests per second, server CPU per request and p50 / p99 per
// round. BENCH_ROUNDS (3) rounds of BENCH_INTAKE_SECONDS (10) each, after a warm-up of each build.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
	BASE_PORT,
	describeFileSystem,
	intakeServerEnv,
	median,
	multipart,
	phonePhoto,
	psql,
	record,
	scenario,
	startPinned,
	uploadFolder,
	withCpu
} from './lib.js';

const rounds = Number(process.env.BENCH_ROUNDS || 3);
const seconds = Number(process.env.BENCH_INTAKE_SECONDS || 10);
const server = (process.env.BENCH_PG || 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');
const specs = process.argv.slice(2);
if (specs.length < 2) {
	console.error('usage: node bench/intake-ab.js <rev|.>[::node flags] <rev|.>[::node flags] …');
	process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'jx-intake-ab-'));

/** The folder of a built app for a revision: `.` is this checkout's build, else a fresh worktree. */
function builtApp(revision, index) {
	if (revision === '.') {
		if (!existsSync('build/index.js')) throw new Error('Build the app first: npm run build');
		return { dir: resolve('.'), label: `working tree (${gitDescribe('HEAD')}, as built)` };
	}
	const dir = join(scratch, `app-${index}`);
	execFileSync('git', ['worktree', 'add', '--detach', dir, revision], { stdio: 'ignore' });
	symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
	console.log(`building ${revision}…`);
	for (const script of ['prepare', 'build'])
		execFileSync('npm', ['run', script], { cwd: dir, stdio: 'ignore' });
	return { dir, label: gitDescribe(revision), worktree: true };
}

function gitDescribe(revision) {
	return execFileSync('git', ['log', '-1', '--format=%h %s', revision], { encoding: 'utf8' })
		.trim()
		.slice(0, 90);
}

const apps = [];
const uploadFolders = [];
const pause = (app) => process.kill(app.child.pid, 'SIGSTOP');
const resume = (app) => process.kill(app.child.pid, 'SIGCONT');
let sent = 0;

/** One intake run against `app` with every other app stopped. */
function measure(app, bodyFile, contentType) {
	for (const other of apps) (other === app ? resume : pause)(other);
	const spec = {
		kind: 'intake',
		origin: app.origin,
		seconds,
		start: sent,
		timeout: 60,
		bodyFile,
		headers: { origin: app.origin, 'content-type': contentType }
	};
	const result = withCpu(app.child.pid, () => ({ ...scenario(spec), seconds }));
	sent += result.sent;
	const bad = Object.keys(result.statusCodes).filter((code) => code !== '201');
	if (result.errors || bad.length)
		throw new Error(`${app.label}: ${result.errors} errors, ${JSON.stringify(result.statusCodes)}`);
	return result;
}

try {
	const { body, contentType } = multipart(await phonePhoto());
	const bodyFile = join(scratch, 'body');
	writeFileSync(bodyFile, body);
	for (const [index, spec] of specs.entries()) {
		const [revision, flags = ''] = spec.split('::');
		const app = builtApp(revision, index);
		const port = BASE_PORT + 20 + index;
		const database = `jx_intake_ab_${process.pid}_${index}`;
		psql(`${server}/postgres`, `create database ${database};`);
		const uploads = uploadFolder(`jx-intake-ab-uploads-${index}-`);
		uploadFolders.push(uploads);
		const origin = `http://localhost:${port}`;
		const child = await startPinned(
			'node',
			[...flags.split(' ').filter(Boolean), join(app.dir, 'scripts/serve.js')],
			intakeServerEnv({ port, origin, databaseUrl: `${server}/${database}`, uploads }),
			`${origin}/api/v1/categories`,
			app.dir
		);
		apps.push({
			...app,
			label: flags ? `${app.label} with ${flags}` : app.label,
			origin,
			child,
			database
		});
	}
	for (const app of apps) measure(app, bodyFile, contentType); // warm-up
	const runs = new Map(apps.map((app) => [app, []]));
	for (let round = 0; round < rounds; round++)
		for (const app of apps) runs.get(app).push(measure(app, bodyFile, contentType));
	const fmt = (values, digits = 0) => values.map((v) => v.toFixed(digits)).join(', ');
	const lines = [
		'| build | req/s median (runs) | server CPU µs per request (runs) | p50 / p99 ms (runs) |',
		'| --- | --- | --- | --- |',
		...apps.map((app) => {
			const r = runs.get(app);
			return `| ${app.label} | ${median(r.map((x) => x.rps)).toFixed(0)} (${fmt(r.map((x) => x.rps))}) | ${fmt(r.map((x) => x.serverCpuUsPerRequest))} | ${r.map((x) => `${x.p50} / ${x.p99}`).join(', ')} |`;
		}),
		'',
		`Method: \`node bench/intake-ab.js ${specs.join(' ')}\`. Each build runs \`node scripts/serve.js\` (NODE_ENV=production, pool of 10) on its own fresh PostgreSQL database with the demo data, all pinned to core 0 with taskset and all but the measured one stopped with SIGSTOP; bench/load.js on core 1 posts the form with one photo (${(body.length / 1024).toFixed(0)} KB body), a fresh Idempotency-Key and X-Forwarded-For address per request, 50 connections, ${seconds} s per run, ${rounds} rounds in turn after a warm-up of each. Photos are written to ${describeFileSystem(uploadFolders[0])}. Server CPU: the server process's user and system time over the run divided by the requests answered.`
	];
	console.log(lines.join('\n'));
	record('Report intake, builds in turn (bench/intake-ab.js)', lines);
} finally {
	for (const app of apps) {
		resume(app);
		app.child.kill('SIGTERM');
	}
	await new Promise((done) => setTimeout(done, 3000));
	for (const app of apps) {
		psql(`${server}/postgres`, `drop database if exists ${app.database} with (force);`);
		if (app.worktree) execFileSync('git', ['worktree', 'remove', '--force', app.dir]);
	}
	for (const folder of uploadFolders) rmSync(folder, { recursive: true, force: true });
	rmSync(scratch, { recursive: true, force: true });
}
