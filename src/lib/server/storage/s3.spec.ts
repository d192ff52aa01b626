import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3StoreFromEnv, type S3PhotoStore } from './s3';
import { startTestS3 } from './testing';

// A real S3-compatible server on loopback, started by the test.
let s3: Awaited<ReturnType<typeof startTestS3>>;
let dir: string;
let store: S3PhotoStore;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'jx-s3-'));
	s3 = await startTestS3(dir);
	store = s3.store;
});
afterAll(async () => {
	await s3?.close();
	await rm(dir, { recursive: true, force: true });
});

describe('S3PhotoStore', () => {
	it('stores, reads back byte for byte, and deletes a photo', async () => {
		const jpeg = await sharp({
			create: { width: 64, height: 48, channels: 3, background: '#b91c1c' }
		})
			.jpeg()
			.toBuffer();
		const key = 'photos/2026/11/test.jpg';
		await store.put(key, jpeg, 'image/jpeg');
		const back = await store.get(key);
		expect(back?.equals(jpeg)).toBe(true);
		expect((await sharp(back!).metadata()).width).toBe(64);
		await store.delete(key);
		expect(await store.get(key)).toBeNull();
	});

	it('answers null for a key that was never stored', async () => {
		expect(await store.get('photos/none.jpg')).toBeNull();
	});

	it('gives up on a store that takes the connection and never answers', async () => {
		// Accepts, reads, and never writes a byte back.
		const sockets: Socket[] = [];
		const silent = createServer((socket) => {
			sockets.push(socket);
			socket.resume();
		});
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const { port } = silent.address() as { port: number };
		try {
			const hanging = s3StoreFromEnv({
				S3_BUCKET: 'photos',
				S3_ENDPOINT: `http://127.0.0.1:${port}`,
				S3_ACCESS_KEY_ID: 'key',
				S3_SECRET_ACCESS_KEY: 'secret',
				S3_TIMEOUT_MS: '300'
			})!;
			const started = Date.now();
			await expect(hanging.put('incoming/x.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toThrow();
			// Three tries of 300 ms and the SDK's backoff between them, not forever.
			expect(Date.now() - started).toBeLessThan(10_000);
		} finally {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => silent.close(resolve));
		}
	}, 20_000);

	it('is off unless a bucket is configured', () => {
		expect(s3StoreFromEnv({})).toBeNull();
	});
});
