// npm run bench: server-side rendering and the JSON API against a bare node:http hello-world.
// Server and load generator are pinned to different cores; A and B alternate. Results go to
// bench/RESULTS.md with the raw figures.
import { existsSync } from 'node:fs';
import { alternate, autocannon, median, record, startPinned } from './lib.js';

const APP_PORT = 3900;
const HELLO_PORT = 3901;
const rounds = Number(process.env.BENCH_ROUNDS || 3);
const seconds = Number(process.env.BENCH_SECONDS || 5);

if (!existsSync('build/index.js')) {
	console.error('Build the app first: npm run build');
	process.exit(1);
}

const app = await startPinned(
	'node',
	['build'],
	{
		PORT: String(APP_PORT),
		ORIGIN: `http://localhost:${APP_PORT}`,
		PGLITE_DIR: process.env.BENCH_PGLITE_DIR || 'memory://',
		SEED_DEMO: '1',
		APP_SECRET: 'bench'
	},
	`http://localhost:${APP_PORT}/api/v1/categories`
);
const hello = await startPinned(
	'node',
	['bench/hello.js'],
	{ PORT: String(HELLO_PORT) },
	`http://localhost:${HELLO_PORT}/`
);

const lines = [
	'| target | app req/s (runs) | hello-world req/s (runs) | ratio app/hello (medians) | app p99 ms |',
	'| --- | --- | --- | --- | --- |'
];
try {
	for (const path of ['/', '/report', '/api/v1/categories']) {
		// Warm up both.
		autocannon(`http://localhost:${APP_PORT}${path}`, { seconds: 2 });
		autocannon(`http://localhost:${HELLO_PORT}/`, { seconds: 2 });
		const { a, b } = alternate(
			rounds,
			() => autocannon(`http://localhost:${APP_PORT}${path}`, { seconds }),
			() => autocannon(`http://localhost:${HELLO_PORT}/`, { seconds })
		);
		const bad = a.reduce((n, r) => n + r.non2xx + r.errors, 0);
		if (bad) throw new Error(`${path}: ${bad} failed responses`);
		const appRps = median(a.map((r) => r.rps));
		const helloRps = median(b.map((r) => r.rps));
		lines.push(
			`| GET ${path} | ${appRps.toFixed(0)} (${a.map((r) => r.rps.toFixed(0)).join(', ')}) | ${helloRps.toFixed(0)} (${b.map((r) => r.rps.toFixed(0)).join(', ')}) | ${(appRps / helloRps).toFixed(3)} | ${median(a.map((r) => r.p99))} |`
		);
		console.log(lines.at(-1));
	}
	lines.push(
		'',
		`autocannon: 50 connections, ${seconds} s per run, ${rounds} alternating rounds; app on embedded PGlite with demo data.`
	);
	record('SSR and JSON API against node:http hello-world', lines);
} finally {
	app.kill();
	hello.kill();
}
