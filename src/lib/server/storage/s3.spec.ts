import { mkdtemp, rm } from 'node:fs/promises';
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

	it('is off unless a bucket is configured', () => {
		expect(s3StoreFromEnv({})).toBeNull();
	});
});
