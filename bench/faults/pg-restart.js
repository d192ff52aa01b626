// Fault test: restart PostgreSQL under load. While it is down every answer is 200 (served before
// the stop) or 503 with the JSON error, never a 500; once it is back the app answers again on its
// own. Runs on a private cluster (port 5499) so no other database is disturbed. Needs root and
// Debian's postgresql-common (pg_createcluster). Exits non-zero when an invariant fails.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { startPinned } from '../lib.js';

const version = readdirSync('/etc/postgresql').sort().at(-1);
const cluster = 'jxfault';
const pgPort = 5499;
const appPort = 3903;
const origin = `http://localhost:${appPort}`;
const pg = (...args) => execFileSync(args[0], args.slice(1), { stdio: 'inherit' });

if (!existsSync('build/index.js')) throw new Error('Build the app first: npm run build');
try {
	execFileSync('pg_dropcluster', ['--stop', version, cluster], { stdio: 'ignore' });
} catch {
	// no leftover cluster
}
pg('pg_createcluster', version, cluster, '-p', String(pgPort), '--', '--auth=trust');
pg('pg_ctlcluster', '--skip-systemctl-redirect', version, cluster, 'start');

const failures = [];
let app;
try {
	app = await startPinned(
		'node',
		['build'],
		{
			PORT: String(appPort),
			ORIGIN: origin,
			DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/postgres`,
			SEED_DEMO: '1',
			APP_SECRET: 'fault'
		},
		`${origin}/api/v1/categories`
	);
	const statuses = new Map();
	let running = true;
	const worker = async () => {
		while (running) {
			try {
				const response = await fetch(`${origin}/api/v1/categories`);
				statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
				if (response.status !== 200) {
					const body = await response.json().catch(() => null);
					if (response.status !== 503 || body?.error?.code !== 'database_unavailable') {
						failures.push(`unexpected ${response.status} ${JSON.stringify(body)}`);
					}
				}
			} catch (error) {
				failures.push(`request failed: ${error}`);
			}
		}
	};
	const workers = Array.from({ length: 10 }, worker);
	await new Promise((r) => setTimeout(r, 2000));
	pg('pg_ctlcluster', '--skip-systemctl-redirect', version, cluster, 'stop', '-m', 'fast');
	await new Promise((r) => setTimeout(r, 5000));
	const downStatuses = new Map(statuses);
	pg('pg_ctlcluster', '--skip-systemctl-redirect', version, cluster, 'start');
	const backAt = Date.now();
	let recovered = false;
	while (Date.now() - backAt < 30_000) {
		const response = await fetch(`${origin}/api/v1/categories`);
		if (response.status === 200) {
			recovered = true;
			break;
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	running = false;
	await Promise.all(workers);
	if (!downStatuses.get(503)) failures.push('no 503 was seen while PostgreSQL was down');
	if (!recovered) failures.push('the app did not recover within 30 s of PostgreSQL coming back');
	console.log(
		`statuses: ${JSON.stringify(Object.fromEntries(statuses))}; recovered in ${Date.now() - backAt} ms`
	);
} finally {
	app?.kill();
	execFileSync('pg_dropcluster', ['--stop', version, cluster], { stdio: 'ignore' });
}
if (failures.length) {
	console.error(`FAILED:\n${[...new Set(failures)].slice(0, 20).join('\n')}`);
	process.exit(1);
}
console.log('pg-restart: all invariants held');
