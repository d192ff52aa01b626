import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import { ownDatabase, query, startApp, type AppServer, type OwnDatabase } from './app-server';
import { multipart, noisyJpeg, plainJpeg, reportFields } from './multipart';

/*
 * Faults around report intake, against the real built server started here: a kill -9 in the
 * middle of an upload, and photo storage that fails for real (a full disk, a failing S3 store).
 * Invariants: a replay with the same Idempotency-Key makes exactly one report, no report row is
 * ever kept without its photos (finished, or waiting for the finishing job), and every photo is
 * finished readable.
 */
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'HTTP only: one project is enough');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const run = randomUUID().slice(0, 8);
let database: OwnDatabase;

test.beforeAll(async () => {
	database = await ownDatabase();
});
test.afterAll(async () => {
	await database.drop();
});

interface StoredReport {
	tracking_code: string;
	photos: number;
}

/** The reports whose description is `marker`, with how many photos each has. */
function reportsWith(marker: string) {
	return query<StoredReport>(
		database,
		`select r.tracking_code, count(p.id)::int as photos
		 from reports r left join report_photos p on p.report_id = r.id
		 where r.description = $1 group by r.id`,
		[marker]
	);
}

function photoRows(marker: string) {
	return query<{ storage_key: string; width: number; height: number; bytes: number }>(
		database,
		`select p.storage_key, p.width, p.height, p.bytes from report_photos p
		 join reports r on r.id = p.report_id where r.description = $1`,
		[marker]
	);
}

/** A stored photo is complete: every byte the row counts is there, and it decodes to its size. */
async function expectComplete(data: Buffer, row: { width: number; height: number; bytes: number }) {
	expect(data.byteLength).toBe(row.bytes);
	const { width, height, format } = await sharp(data, { failOn: 'error' }).metadata();
	expect({ width, height, format }).toEqual({
		width: row.width,
		height: row.height,
		format: 'jpeg'
	});
	await sharp(data, { failOn: 'error' }).raw().toBuffer();
}

function post(server: AppServer, key: string, form: { body: Buffer; type: string }) {
	return fetch(`${server.url}/api/v1/reports`, {
		method: 'POST',
		headers: { 'Content-Type': form.type, 'Idempotency-Key': key, Origin: server.url },
		body: new Uint8Array(form.body)
	});
}

/**
 * Sends the report in 20 slices 40 ms apart and kills the server with SIGKILL either after
 * `sliceKill` slices (mid-upload) or `afterBodyMs` after the last byte (mid-processing or
 * mid-transaction). Answers what the client saw: a status, or 'cut'.
 */
async function postAndKill(
	server: AppServer,
	key: string,
	form: { body: Buffer; type: string },
	when: { sliceKill: number } | { afterBodyMs: number }
): Promise<number | 'cut'> {
	const req = httpRequest(`${server.url}/api/v1/reports`, {
		method: 'POST',
		headers: {
			'Content-Type': form.type,
			'Content-Length': String(form.body.length),
			'Idempotency-Key': key,
			Origin: server.url
		}
	});
	const seen = new Promise<number | 'cut'>((resolve) => {
		req.on('response', (r) => {
			r.resume();
			resolve(r.statusCode ?? 0);
		});
		req.on('error', () => resolve('cut'));
	});
	const slices = 20;
	const size = Math.ceil(form.body.length / slices);
	for (let i = 0; i < slices; i++) {
		if ('sliceKill' in when && i === when.sliceKill) {
			await server.stop('SIGKILL');
			return seen;
		}
		req.write(form.body.subarray(i * size, (i + 1) * size));
		await sleep(40);
	}
	req.end();
	await sleep((when as { afterBodyMs: number }).afterBodyMs);
	await server.stop('SIGKILL');
	return seen;
}

test('kill -9 mid-upload or mid-processing, then a replay with the same key: one report, all photos complete', async () => {
	// Five restarts of a real server (the first on a fresh database): minutes on a busy machine.
	test.setTimeout(600_000);
	const uploadDir = await mkdtemp(join(tmpdir(), 'jx-faults-up-'));
	const env = { ...database.env, UPLOAD_DIR: uploadDir };
	// A large noisy photo (slow to re-encode) and a small one: the kill can land between them.
	const big = await noisyJpeg(3000, 2000);
	const small = await plainJpeg();
	const kills: ({ sliceKill: number } | { afterBodyMs: number })[] = [
		{ sliceKill: 10 },
		{ afterBodyMs: 0 },
		{ afterBodyMs: 120 },
		{ afterBodyMs: 350 },
		{ afterBodyMs: 800 }
	];
	const cases = kills.map((when, i) => ({
		when,
		key: randomUUID(),
		marker: `kill9-${run}-${i}`
	}));
	const outcomes: string[] = [];
	let server = await startApp(env);
	try {
		for (const c of cases) {
			const form = multipart(reportFields(c.marker), [
				{ name: 'photos', filename: 'big.jpg', type: 'image/jpeg', data: big },
				{ name: 'photos', filename: 'small.jpg', type: 'image/jpeg', data: small }
			]);
			const seen = await postAndKill(server, c.key, form, c.when);
			server = await startApp(env);
			const replay = await post(server, c.key, form);
			expect(replay.status).toBe(201);
			const first = await replay.json();
			const again = await post(server, c.key, form);
			expect(again.status).toBe(201);
			expect(again.headers.get('idempotent-replayed')).toBe('true');
			expect((await again.json()).trackingCode).toBe(first.trackingCode);
			const finished = await finishedPhotos(server.url, first.trackingCode, 2).catch(
				async (error: Error) => {
					const why = await whyUnfinished(server, c.marker);
					throw new Error(`${JSON.stringify(c.when)}: ${error.message}\n${why}`);
				}
			);
			for (const url of finished) {
				const photo = await fetch(`${server.url}${url}`);
				expect(photo.status).toBe(200);
				await sharp(Buffer.from(await photo.arrayBuffer()), { failOn: 'error' })
					.raw()
					.toBuffer();
			}
			outcomes.push(`${JSON.stringify(c.when)}: client saw ${seen}`);
		}
	} finally {
		await server.stop();
	}
	test.info().annotations.push({ type: 'kill points', description: outcomes.join('; ') });
	for (const c of cases) {
		const rows = await reportsWith(c.marker);
		expect(rows, c.marker).toHaveLength(1);
		expect(rows[0].photos, c.marker).toBe(2);
		for (const row of await photoRows(c.marker)) {
			await expectComplete(await readFile(join(uploadDir, row.storage_key)), row);
		}
	}
	await rm(uploadDir, { recursive: true, force: true });
});

/**
 * What a case whose photos never finished left behind: the server's last output and, on
 * PostgreSQL, its waiting uploads and any connection holding a transaction open. This named the
 * cause of an occasional failure (session 14): the test server shared the database but not the
 * photo folder, and its finishing job dropped these servers' photos as missing.
 */
async function whyUnfinished(server: AppServer, marker: string) {
	const parts = [`case ${marker}; server output:\n${server.logs() || '(none)'}`];
	if (database.env.DATABASE_URL) {
		const uploads = await query(
			database,
			`select u.storage_key, u.position, u.created_at from report_photo_uploads u
			join reports r on r.id = u.report_id where r.description = $1`,
			[marker]
		);
		const open = await query(
			database,
			`select pid, state, wait_event_type, wait_event, xact_start, left(query, 120) as query
			from pg_stat_activity where datname = current_database() and xact_start is not null
			and pid <> pg_backend_pid()`
		);
		parts.push(
			`waiting uploads: ${JSON.stringify(uploads)}`,
			`open transactions: ${JSON.stringify(open)}`
		);
	}
	return parts.join('\n');
}

/** The case's photo URLs once all `count` are finished: the job re-encodes them after the answer. */
async function finishedPhotos(origin: string, trackingCode: string, count: number) {
	let photos: string[] = [];
	await expect
		.poll(
			async () => {
				const view = await (await fetch(`${origin}/api/v1/reports/${trackingCode}`)).json();
				photos = view.photos;
				return photos.length;
			},
			{ timeout: 60_000 }
		)
		.toBe(count);
	return photos;
}

/** Every file below a folder, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
	return (await readdir(dir, { recursive: true, withFileTypes: true }))
		.filter((e) => e.isFile())
		.map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

test('a full disk during the photo write: 507 with the JSON error, no report, no files; a replay once there is room makes the report', async () => {
	test.setTimeout(180_000);
	test.skip(process.getuid?.() !== 0, 'mounts a small tmpfs: needs root');
	const uploadDir = await mkdtemp(join(tmpdir(), 'jx-faults-full-'));
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', uploadDir]);
	} catch {
		test.skip(true, 'cannot mount a tmpfs here');
	}
	const marker = `full-${run}`;
	const key = randomUUID();
	// The small photo fits, the big one does not: the failure comes after a file was written.
	const form = multipart(reportFields(marker), [
		{ name: 'photos', filename: 'a.jpg', type: 'image/jpeg', data: await plainJpeg() },
		{ name: 'photos', filename: 'b.jpg', type: 'image/jpeg', data: await noisyJpeg(1600, 1200) }
	]);
	const server = await startApp({ ...database.env, UPLOAD_DIR: uploadDir });
	try {
		const full = await post(server, key, form);
		expect(full.status).toBe(507);
		const body = await full.json();
		expect(body.error.code).toBe('storage_full');
		expect(body.error.message).toMatch(/存储空间已满/);
		expect(await filesUnder(uploadDir)).toEqual([]);

		execFileSync('mount', ['-o', 'remount,size=64m', uploadDir]);
		const replay = await post(server, key, form);
		expect(replay.status).toBe(201);
		expect(replay.headers.get('idempotent-replayed')).toBeNull();
		await finishedPhotos(server.url, (await replay.json()).trackingCode, 2);
		await expect.poll(() => filesUnder(uploadDir), { timeout: 30_000 }).toHaveLength(2);
	} finally {
		await server.stop();
	}
	try {
		const rows = await reportsWith(marker);
		expect(rows).toHaveLength(1);
		expect(rows[0].photos).toBe(2);
		for (const row of await photoRows(marker)) {
			await expectComplete(await readFile(join(uploadDir, row.storage_key)), row);
		}
		expect(await filesUnder(uploadDir)).toHaveLength(2);
	} finally {
		execFileSync('umount', [uploadDir]);
		await rm(uploadDir, { recursive: true, force: true });
	}
});

test('an S3 store that fails (507, then unreachable): the JSON error, no report and no objects left; a replay once it is back makes the report', async () => {
	test.setTimeout(180_000);
	const s3Dir = await mkdtemp(join(tmpdir(), 'jx-faults-s3-'));
	const s3 = new S3rver({
		port: 0,
		address: '127.0.0.1',
		silent: true,
		directory: s3Dir,
		configureBuckets: [{ name: 'photos', configs: [] }]
	});
	const s3Port = ((await s3.run()) as AddressInfo).port;
	// In front of the store: passes requests through, or fails every photo write after the first.
	let mode: 'pass' | 'full-after-one' | 'reset' = 'pass';
	let puts = 0;
	const proxy: Server = createServer((req, res) => {
		if (req.method === 'PUT' && mode !== 'pass' && (mode === 'reset' || puts++ >= 1)) {
			req.resume();
			if (mode === 'reset') return req.socket.destroy();
			res.writeHead(507, { 'Content-Type': 'application/xml' });
			return res.end(
				'<?xml version="1.0"?><Error><Code>InsufficientStorage</Code><Message>full</Message></Error>'
			);
		}
		const upstream = httpRequest(
			{ host: '127.0.0.1', port: s3Port, method: req.method, path: req.url, headers: req.headers },
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			}
		);
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
	const proxyPort = (proxy.address() as AddressInfo).port;
	const objects = async () =>
		(
			await new S3Client({
				endpoint: `http://127.0.0.1:${s3Port}`,
				region: 'us-east-1',
				forcePathStyle: true,
				credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
			}).send(new ListObjectsV2Command({ Bucket: 'photos' }))
		).Contents ?? [];

	const marker = `s3-${run}`;
	const key = randomUUID();
	const form = multipart(reportFields(marker), [
		{ name: 'photos', filename: 'a.jpg', type: 'image/jpeg', data: await plainJpeg() },
		{
			name: 'photos',
			filename: 'b.jpg',
			type: 'image/jpeg',
			data: await plainJpeg(80, 60, '#16a34a')
		}
	]);
	const server = await startApp({
		...database.env,
		S3_BUCKET: 'photos',
		S3_ENDPOINT: `http://127.0.0.1:${proxyPort}`,
		S3_ACCESS_KEY_ID: 'S3RVER',
		S3_SECRET_ACCESS_KEY: 'S3RVER'
	});
	try {
		mode = 'full-after-one';
		const full = await post(server, key, form);
		expect(full.status).toBe(507);
		expect((await full.json()).error.code).toBe('storage_full');
		expect(await objects()).toEqual([]);

		mode = 'reset';
		const down = await post(server, key, form);
		expect(down.status).toBe(503);
		expect(down.headers.get('retry-after')).toBeTruthy();
		expect((await down.json()).error).toMatchObject({
			code: 'storage_unavailable',
			message: expect.stringMatching(/暂时无法保存/)
		});
		expect(await objects()).toEqual([]);
		if (database.env.DATABASE_URL) expect(await reportsWith(marker)).toEqual([]);

		mode = 'pass';
		const replay = await post(server, key, form);
		expect(replay.status).toBe(201);
		const { trackingCode } = await replay.json();
		for (const url of await finishedPhotos(server.url, trackingCode, 2)) {
			const photo = await fetch(`${server.url}${url}`);
			expect(photo.status).toBe(200);
			await sharp(Buffer.from(await photo.arrayBuffer()), { failOn: 'error' })
				.raw()
				.toBuffer();
		}
		// The door's copies go once the photos are finished.
		await expect.poll(async () => (await objects()).length, { timeout: 30_000 }).toBe(2);
	} finally {
		await server.stop();
		await new Promise((r) => proxy.close(r));
		await s3.close();
		await rm(s3Dir, { recursive: true, force: true });
	}
	const rows = await reportsWith(marker);
	expect(rows).toHaveLength(1);
	expect(rows[0].photos).toBe(2);
});

test('SIGTERM: the server finishes and exits on its own (code 0), without waiting to be killed', async () => {
	test.setTimeout(120_000);
	const server = await startApp(database.env);
	expect((await fetch(`${server.url}/api/v1/categories`)).status).toBe(200);
	const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
	const started = Date.now();
	server.child.kill('SIGTERM');
	// Before the fix the open database pool kept it alive until startApp's 5 s SIGKILL.
	const code = await Promise.race([exited, sleep(4_000).then(() => 'still running' as const)]);
	await server.stop('SIGKILL');
	expect(code).toBe(0);
	expect(Date.now() - started).toBeLessThan(4_000);
});
