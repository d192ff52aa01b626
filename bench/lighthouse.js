// npm run bench:lighthouse: Lighthouse 12.2.3 (mobile preset) on the main pages, median of 5 runs,
// with the performance and accessibility scores and the bytes of JS, CSS and HTML. Appends to
// bench/RESULTS.md. Uses Debian's Chromium (CHROMIUM_PATH or /usr/bin/chromium).
// LIGHTHOUSE_PAGES=/a,/b and LIGHTHOUSE_RUNS=n narrow a run; LIGHTHOUSE_REPORTS=dir keeps each JSON report
// there (to read what costs); LIGHTHOUSE_RECORD=0 prints the table without appending it to bench/RESULTS.md.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BASE_PORT, median, record, startPinned } from './lib.js';

const PORT = BASE_PORT + 2;
const origin = `http://localhost:${PORT}`;
const runs = Number(process.env.LIGHTHOUSE_RUNS || 5);
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// /volunteer is the volunteers' shifts page (issue 7 calls it /shifts).
const pages = (process.env.LIGHTHOUSE_PAGES || '/,/report,/volunteer,/staff/queue').split(',');
const reports = process.env.LIGHTHOUSE_REPORTS;
const recording = process.env.LIGHTHOUSE_RECORD !== '0';
if (reports) mkdirSync(reports, { recursive: true });

if (!existsSync('build/index.js')) {
	console.error('Build the app first: npm run build');
	process.exit(1);
}

const app = await startPinned(
	'node',
	['scripts/serve.js'],
	{
		PORT: String(PORT),
		ORIGIN: origin,
		PGLITE_DIR: 'memory://',
		SEED_DEMO: '1',
		APP_SECRET: 'bench'
	},
	`${origin}/api/v1/categories`
);

/** A dispatcher's session cookie, for the staff pages. */
async function staffCookie() {
	const response = await fetch(`${origin}/api/v1/auth/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Origin: origin },
		body: JSON.stringify({ phone: '13800000006', password: 'demo-2026' })
	});
	return response.headers.get('set-cookie').split(';')[0];
}

async function lighthouse(url, headers, name) {
	const dir = mkdtempSync(join(tmpdir(), 'jx-lh-'));
	const out = join(dir, 'report.json');
	try {
		// Not execFileSync: blocking the event loop for the whole run kept fetch's idle keep-alive socket in
		// its pool after the server had closed it (Node's 5 s keepAliveTimeout), so warming the next page
		// reused a dead socket and failed with "other side closed" or EPIPE. The server never died.
		await promisify(execFile)(
			'npx',
			[
				'lighthouse',
				url,
				'--quiet',
				'--output=json',
				`--output-path=${out}`,
				'--only-categories=performance,accessibility',
				// The Chromium flags of playwright.config.ts.
				'--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync',
				...(headers ? [`--extra-headers=${JSON.stringify(headers)}`] : [])
			],
			{
				env: { ...process.env, CHROME_PATH: chromium },
				timeout: 180_000
			}
		);
		if (reports) copyFileSync(out, join(reports, `${name}.json`));
		const report = JSON.parse(readFileSync(out, 'utf8'));
		const bytes = (type) =>
			report.audits['resource-summary'].details.items.find((i) => i.resourceType === type)
				?.transferSize ?? 0;
		return {
			performance: Math.round(report.categories.performance.score * 100),
			accessibility: Math.round(report.categories.accessibility.score * 100),
			js: bytes('script'),
			css: bytes('stylesheet'),
			html: bytes('document')
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const lines = [
	'| page | performance | accessibility | JS bytes | CSS bytes | HTML bytes | raw (perf/a11y/JS per run) |',
	'| --- | --- | --- | --- | --- | --- | --- |'
];
try {
	const cookie = await staffCookie();
	for (const path of pages) {
		const headers = path.startsWith('/staff') ? { Cookie: cookie } : undefined;
		// A server in use is warm: the first render of a page after start-up is not what people see.
		for (let i = 0; i < 3; i++) await (await fetch(origin + path, { headers })).arrayBuffer();
		const results = [];
		const name = path.replace(/^\//, '').replace(/\//g, '-') || 'home';
		for (let i = 0; i < runs; i++)
			results.push(await lighthouse(origin + path, headers, `${name}-${i + 1}`));
		const m = (key) => median(results.map((r) => r[key]));
		lines.push(
			`| ${path} | ${m('performance')} | ${m('accessibility')} | ${m('js')} | ${m('css')} | ${m('html')} | ${results.map((r) => `${r.performance}/${r.accessibility}/${r.js}`).join(', ')} |`
		);
		console.log(lines.at(-1));
	}
	lines.push(
		'',
		`Lighthouse 12.2.3, mobile preset (simulated throttling), median of ${runs} runs; transfer sizes in bytes as served (compressed).`
	);
	if (recording) record('Lighthouse', lines);
	else console.log(lines.at(-1));
} finally {
	app.kill();
}
