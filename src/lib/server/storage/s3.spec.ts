import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3StoreFromEnv, S3PhotoStore } from './s3';

// A real S3-compatible server on loopback, started by the test.
let server: S3rver;
let dir: string;
let store: S3PhotoStore;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'jx-s3-'));
	server = new S3rver({
		port: 0,
		address: '127.0.0.1',
		silent: true,
		directory: dir,
		configureBuckets: [{ name: 'photos', configs: [] }]
	});
	const address = (await server.run()) as AddressInfo;
	store = s3StoreFromEnv({
		S3_BUCKET: 'photos',
		S3_ENDPOINT: `http://127.0.0.1:${address.port}`,
		S3_ACCESS_KEY_ID: 'S3RVER',
		S3_SECRET_ACCESS_KEY: 'S3RVER'
	})!;
});
afterAll(async () => {
	await server?.close();
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

	it('is off unless a bucket is configured', () => {
		expect(s3StoreFromEnv({})).toBeNull();
	});
});
