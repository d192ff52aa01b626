// Fault test: restart PostgreSQL under load (reads, and volunteers booking and cancelling places
// on a few small shifts). While it is down every answer is a normal one or 503 with the JSON
// error, never a 500; once it is back the app answers again on its own; afterwards no shift holds
// more bookings than its capacity, and each shift's counter matches its bookings. Runs on a
// private cluster (port 5499) so no other database is disturbed. Needs root and Debian's
// postgresql-common (pg_createcluster). Exits non-zero when an invariant fails; records the
// figures in bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import postgres from 'postgres';
import { record, startPinned } from '../lib.js';

const version = readdirSync('/etc/postgresql').sort().at(-1);
const cluster = 'jxfault';
const pgPort = 5499;
const appPort = Number(process.env.FAULT_APP_PORT || 3903);
const origin = `http://localhost:${appPort}`;
const pg = (...args) => execFileSync(args[0], args.slice(1), { stdio: 'inherit' });
const databaseUrl = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
const VOLUNTEERS = 16;
const SHIFTS = 4;

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
		['scripts/serve.js'],
		{
			PORT: String(appPort),
			ORIGIN: origin,
			DATABASE_URL: databaseUrl,
			SEED_DEMO: '1',
			APP_SECRET: 'fault',
			// Each volunteer signs up from its own address, as on a real network.
			ADDRESS_HEADER: 'X-Forwarded-For'
		},
		`${origin}/api/v1/categories`
	);
	const statuses = new Map();
	let running = true;
	// Reads that need the database each time: the session behind the cookie (categories would not,
	// they are served from the server's reference cache).
	const worker = async (cookie) => {
		while (running) {
			try {
				const response = await fetch(`${origin}/api/v1/me`, { headers: { Cookie: cookie } });
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
	const volunteers = await Promise.all(Array.from({ length: VOLUNTEERS }, (_, i) => volunteer(i)));
	const shifts = await smallShifts();
	const bookingStatuses = new Map();
	const booker = async (cookie, n) => {
		const mine = new Map();
		while (running) {
			const shift = shifts[(n + Math.floor(Math.random() * SHIFTS)) % SHIFTS];
			try {
				const held = mine.get(shift.id);
				const response = held
					? await fetch(`${origin}/api/v1/bookings/${held}`, {
							method: 'DELETE',
							headers: { Cookie: cookie, Origin: origin }
						})
					: await fetch(`${origin}/api/v1/shifts/${shift.id}/bookings`, {
							method: 'POST',
							headers: { Cookie: cookie, Origin: origin, 'Idempotency-Key': randomUUID() }
						});
				const label = `${held ? 'DELETE' : 'POST'} ${response.status}`;
				bookingStatuses.set(label, (bookingStatuses.get(label) ?? 0) + 1);
				const body = await response.json().catch(() => null);
				if (response.status === 201) mine.set(shift.id, body.id);
				else if (held && response.status === 200) mine.delete(shift.id);
				else if (response.status === 503) {
					if (body?.error?.code !== 'database_unavailable')
						failures.push(`booking 503 without the JSON error: ${JSON.stringify(body)}`);
				} else if (response.status !== 409 && !(held && response.status === 404)) {
					failures.push(`booking: unexpected ${label} ${JSON.stringify(body)}`);
				}
			} catch (error) {
				failures.push(`booking request failed: ${error}`);
			}
		}
	};
	const workers = [
		...volunteers.slice(0, 6).map((cookie) => worker(cookie)),
		...volunteers.map((cookie, n) => booker(cookie, n))
	];
	await new Promise((r) => setTimeout(r, 2000));
	pg('pg_ctlcluster', '--skip-systemctl-redirect', version, cluster, 'stop', '-m', 'fast');
	await new Promise((r) => setTimeout(r, 5000));
	const downStatuses = new Map(statuses);
	pg('pg_ctlcluster', '--skip-systemctl-redirect', version, cluster, 'start');
	const backAt = Date.now();
	let recovered = false;
	let recoveredIn = null;
	// The pool retries at least once a second (reconnectDelaySeconds in src/lib/server/db).
	while (Date.now() - backAt < 3_000) {
		const response = await fetch(`${origin}/api/v1/me`, { headers: { Cookie: volunteers[0] } });
		if (response.status === 200) {
			recovered = true;
			recoveredIn = Date.now() - backAt;
			break;
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	running = false;
	await Promise.all(workers);
	if (!downStatuses.get(503)) failures.push('no 503 was seen while PostgreSQL was down');
	if (!recovered) failures.push('the app did not recover within 3 s of PostgreSQL coming back');
	// Bookings work again after the restart too.
	const after = await fetch(`${origin}/api/v1/shifts/${shifts[0].id}/bookings`, {
		method: 'POST',
		headers: { Cookie: volunteers[0], Origin: origin, 'Idempotency-Key': randomUUID() }
	});
	if (![201, 409].includes(after.status))
		failures.push(`booking after the restart: ${after.status}`);
	const over = await overbooked();
	for (const row of over)
		failures.push(`shift over capacity or miscounted: ${JSON.stringify(row)}`);
	const lines = [
		`Method: \`npm run faults\` (bench/faults/pg-restart.js): a private PostgreSQL cluster on port ${pgPort} is stopped (fast) for 5 s and started again while 6 readers loop on \`GET /api/v1/me\` (the session is read from PostgreSQL each time) and ${VOLUNTEERS} volunteers book and cancel places on ${SHIFTS} small shifts.`,
		'',
		`- reads: ${JSON.stringify(Object.fromEntries(statuses))}`,
		`- bookings: ${JSON.stringify(Object.fromEntries(bookingStatuses))}`,
		`- back to 200 ${recoveredIn} ms after PostgreSQL started again: ${recovered ? 'yes' : 'NO'}`,
		`- shifts over capacity or with a wrong counter: ${over.length}`,
		`- invariant failures: ${failures.length}${failures.length ? ` (${[...new Set(failures)].slice(0, 5).join('; ')})` : ''}`
	];
	console.log(lines.join('\n'));
	record('Fault: PostgreSQL restart under load', lines);
} catch (error) {
	failures.push(String(error));
} finally {
	app?.kill();
	execFileSync('pg_dropcluster', ['--stop', version, cluster], { stdio: 'ignore' });
}
if (failures.length) {
	console.error(`FAILED:\n${[...new Set(failures)].slice(0, 20).join('\n')}`);
	process.exit(1);
}
console.log('pg-restart: all invariants held');

/** A volunteer with a profile, logged in: answers the session cookie. */
async function volunteer(i) {
	const phone = `1390000${String(i).padStart(4, '0')}`;
	const from = { Origin: origin, 'X-Forwarded-For': `10.9.0.${i + 1}` };
	const signup = await fetch(`${origin}/api/v1/auth/signup`, {
		method: 'POST',
		headers: { ...from, 'Content-Type': 'application/json' },
		body: JSON.stringify({
			phone,
			password: 'fault-test-pw',
			name: `志愿者${i}`,
			role: 'volunteer'
		})
	});
	if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${await signup.text()}`);
	const cookie = signup.headers.get('set-cookie').split(';')[0];
	const profile = await fetch(`${origin}/volunteer/profile?/save`, {
		method: 'POST',
		headers: {
			...from,
			Cookie: cookie,
			Accept: 'text/html',
			'Content-Type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ realName: `测试${i}`, birthDate: '1990-01-01', skills: '' }),
		redirect: 'manual'
	});
	if (profile.status !== 303)
		throw new Error(`profile: ${profile.status} ${(await profile.text()).slice(0, 300)}`);
	return cookie;
}

/** A few shifts on different days, more than a day ahead (before any cancel cut-off), made small. */
async function smallShifts() {
	const from = new Date(Date.now() + 30 * 3600_000).toISOString();
	const to = new Date(Date.now() + 10 * 86_400_000).toISOString();
	const all = await (
		await fetch(
			`${origin}/api/v1/shifts?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`
		)
	).json();
	const byDay = new Map();
	for (const shift of all) byDay.set(shift.startsAt.slice(0, 10), shift);
	const chosen = [...byDay.values()].slice(0, SHIFTS);
	if (chosen.length < SHIFTS) throw new Error(`only ${chosen.length} shifts to book`);
	const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
	try {
		await sql`update shifts set capacity = greatest(3, booked) where id in ${sql(chosen.map((s) => s.id))}`;
	} finally {
		await sql.end();
	}
	return chosen;
}

/** Shifts with more booked places than capacity, or a counter that disagrees with the bookings. */
async function overbooked() {
	const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
	try {
		return await sql`
			select s.id, s.capacity, s.booked, count(b.id) filter (where b.status = 'booked')::int as actual
			from shifts s left join bookings b on b.shift_id = s.id
			group by s.id
			having count(b.id) filter (where b.status = 'booked') > s.capacity
				or count(b.id) filter (where b.status = 'booked') <> s.booked`;
	} finally {
		await sql.end();
	}
}
