// npm run bench:report: the report page's speed budget (issue 3), in Debian's Chromium at a phone
// viewport. Appends to bench/RESULTS.md:
// - gzipped JavaScript on the first load of /report (the lazily loaded map excluded): budget 80 KB;
// - a 4000×3000 photo compressed in the browser by the real form: budget 400 KB.
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { BASE_PORT, median, phonePhoto, record, startPinned } from './lib.js';

const PORT = BASE_PORT + 3;
const origin = `http://localhost:${PORT}`;
const runs = Number(process.env.BENCH_ROUNDS || 3);
const JS_BUDGET = 80 * 1024;
const PHOTO_BUDGET = 400 * 1024;

if (!existsSync('build/index.js')) {
	console.error('Build the app first: npm run build');
	process.exit(1);
}

/** A photo-like 4000×3000 JPEG, as a phone camera makes. */
const cameraPhoto = () =>
	phonePhoto({ width: 4000, height: 3000, grain: 40, wavelength: 60, quality: 92 });

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
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu']
});

try {
	const photo = await cameraPhoto();
	const jsRuns = [];
	const photoRuns = [];
	let files = [];
	for (let i = 0; i < runs; i++) {
		// A fresh context each time: a first visit, nothing cached.
		const context = await browser.newContext({
			viewport: { width: 360, height: 740 },
			locale: 'zh-CN'
		});
		const page = await context.newPage();
		const scripts = new Map();
		page.on('response', async (response) => {
			if (response.request().resourceType() !== 'script') return;
			try {
				scripts.set(response.url(), gzipSync(await response.body(), { level: 9 }).length);
			} catch {
				// a redirect or an aborted load has no body
			}
		});
		await page.goto(`${origin}/report`, { waitUntil: 'networkidle' });
		jsRuns.push([...scripts.values()].reduce((a, b) => a + b, 0));
		files = [...scripts.entries()].map(([url, size]) => `${new URL(url).pathname} ${size}`);

		await page.getByLabel('搜索问题类型').waitFor();
		await page.getByLabel('选择或拍摄照片').setInputFiles({
			name: 'IMG_4000x3000.jpg',
			mimeType: 'image/jpeg',
			buffer: photo
		});
		await page.getByText('已选 1 张').waitFor({ timeout: 60_000 });
		// What leaves the phone: the multipart body of the send, caught before it reaches the server.
		let size = 0;
		await page.route('**/api/v1/reports', async (route) => {
			const body = route.request().postDataBuffer() ?? Buffer.alloc(0);
			const jpegStart = body.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
			const jpegEnd = body.lastIndexOf(Buffer.from([0xff, 0xd9]));
			size = jpegEnd > jpegStart && jpegStart >= 0 ? jpegEnd + 2 - jpegStart : body.length;
			await route.fulfill({ status: 503, body: '{}', contentType: 'application/json' });
		});
		await page.getByRole('radio', { name: '道路清扫保洁' }).check();
		await page.getByLabel('社区').selectOption({ index: 1 });
		await page.getByLabel('详细地址或附近标志').fill('bench');
		await page.getByRole('button', { name: '提交' }).click();
		await page.getByText('网络不通，已保存在本机').waitFor();
		photoRuns.push(size);
		await context.close();
	}
	const js = median(jsRuns);
	const compressed = median(photoRuns);
	const kb = (n) => (n / 1024).toFixed(1);
	const lines = [
		'| measure | median (runs) | budget | within |',
		'| --- | --- | --- | --- |',
		`| /report first load, gzipped JS (map excluded) | ${kb(js)} KB (${jsRuns.map(kb).join(', ')}) | 80 KB | ${js <= JS_BUDGET ? 'yes' : 'NO'} |`,
		`| 4000×3000 photo (${kb(photo.length)} KB) compressed in the browser | ${kb(compressed)} KB (${photoRuns.map(kb).join(', ')}) | 400 KB | ${compressed <= PHOTO_BUDGET ? 'yes' : 'NO'} |`,
		'',
		'Scripts of the last first load (path, gzipped bytes):',
		'',
		...files.map((f) => `- ${f}`)
	];
	console.log(lines.join('\n'));
	record('Report page budget (bench/report.js)', lines);
} finally {
	await browser.close();
	app.kill();
}
