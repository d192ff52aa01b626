import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import sharp from 'sharp';
import { MAX_PHOTO_BYTES } from '$lib/domain/reporting';
import { config } from '../config';
import { s3StoreFromEnv } from '../storage/s3';

/*
 * Photos from residents and staff: checked by their bytes, re-encoded so nothing but pixels
 * survives, and kept behind a small storage interface (a local folder by default).
 */

export class PhotoError extends Error {
	constructor(
		readonly status: 413 | 415 | 400,
		readonly code: 'photo_too_large' | 'photo_too_many_pixels' | 'photo_type' | 'photo_unreadable'
	) {
		super(code);
	}
}

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/** The real type from the first bytes: JPEG, PNG or WebP, or null. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
		return 'image/jpeg';
	if (
		bytes.length >= 8 &&
		[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)
	)
		return 'image/png';
	if (
		bytes.length >= 12 &&
		String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' &&
		String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP'
	)
		return 'image/webp';
	return null;
}

/** 40 megapixels: any phone photo, but not a decompression bomb. */
export const MAX_INPUT_PIXELS = 40_000_000;
/** Stored photos are at most this many pixels on the long side. */
export const STORED_LONG_SIDE = 2048;

export interface ProcessedPhoto {
	data: Buffer;
	contentType: 'image/jpeg';
	width: number;
	height: number;
}

/**
 * Checks and re-encodes one upload: 413 over 10 MB, 415 unless the bytes are JPEG, PNG or WebP,
 * then rotate by EXIF orientation, cap the size and write a fresh JPEG with no metadata at all.
 */
export async function processPhoto(bytes: Uint8Array): Promise<ProcessedPhoto> {
	if (bytes.byteLength > MAX_PHOTO_BYTES) throw new PhotoError(413, 'photo_too_large');
	if (!sniffImageType(bytes)) throw new PhotoError(415, 'photo_type');
	// The header alone tells a decompression bomb (few bytes, huge pixel count) before decoding.
	const declared = await sharp(bytes, { limitInputPixels: false })
		.metadata()
		.catch(() => null);
	if (declared?.width && declared.height && declared.width * declared.height > MAX_INPUT_PIXELS)
		throw new PhotoError(413, 'photo_too_many_pixels');
	try {
		const { data, info } = await sharp(bytes, {
			limitInputPixels: MAX_INPUT_PIXELS,
			failOn: 'error'
		})
			.rotate()
			.resize({
				width: STORED_LONG_SIDE,
				height: STORED_LONG_SIDE,
				fit: 'inside',
				withoutEnlargement: true
			})
			.flatten({ background: '#ffffff' })
			// mozjpeg without trellis quantisation and scan search: about 5% more bytes than full
			// mozjpeg for a sixth of the CPU, which is what bounds report intake (bench/RESULTS.md).
			.jpeg({
				quality: 82,
				mozjpeg: true,
				trellisQuantisation: false,
				overshootDeringing: false,
				optimiseScans: false
			})
			.toBuffer({ resolveWithObject: true });
		return { data, contentType: 'image/jpeg', width: info.width, height: info.height };
	} catch {
		// Corrupt or truncated data.
		throw new PhotoError(400, 'photo_unreadable');
	}
}

/** Where photo files live. The default is a local folder; an S3-compatible store fits the same shape. */
export interface PhotoStore {
	put(key: string, data: Buffer, contentType: string): Promise<void>;
	get(key: string): Promise<Buffer | null>;
	delete(key: string): Promise<void>;
}

export class LocalPhotoStore implements PhotoStore {
	readonly root: string;
	constructor(root: string) {
		this.root = resolve(root);
	}
	private path(key: string): string {
		const path = resolve(join(this.root, key));
		if (!path.startsWith(this.root + sep)) throw new Error('photo key outside the store');
		return path;
	}
	/** Writes beside the key, then links it in: a crash mid-write never leaves half a photo under a key. */
	async put(key: string, data: Buffer): Promise<void> {
		const path = this.path(key);
		const partial = `${path}.${randomUUID()}.part`;
		await mkdir(dirname(path), { recursive: true });
		try {
			await writeFile(partial, data, { flag: 'wx' });
			await link(partial, path);
		} finally {
			await unlink(partial).catch(() => {});
		}
	}
	async get(key: string): Promise<Buffer | null> {
		try {
			return await readFile(this.path(key));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw error;
		}
	}
	async delete(key: string): Promise<void> {
		await rm(this.path(key), { force: true });
	}
}

/** A photo write that failed in the store, not in the request: 507 when it is full, else 503. */
export function storageFailure(error: unknown): { status: 503 | 507; code: string } {
	const { code, $metadata } = (error ?? {}) as {
		code?: string;
		$metadata?: { httpStatusCode?: number };
	};
	const full =
		code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' || $metadata?.httpStatusCode === 507;
	return full
		? { status: 507, code: 'storage_full' }
		: { status: 503, code: 'storage_unavailable' };
}

let store: PhotoStore | undefined;

/** The app's photo store: an S3-compatible bucket when S3_BUCKET is set, else the UPLOAD_DIR folder. */
export function photoStore(): PhotoStore {
	store ??= s3StoreFromEnv() ?? new LocalPhotoStore(config.uploadDir);
	return store;
}

/** A server-made name: `photos/2026/11/<uuid>.jpg`. Nothing of the upload's own name is kept. */
export function newPhotoKey(now = new Date()): string {
	const month = String(now.getUTCMonth() + 1).padStart(2, '0');
	return `photos/${now.getUTCFullYear()}/${month}/${randomUUID()}.jpg`;
}

export interface StoredPhoto {
	storageKey: string;
	contentType: 'image/jpeg';
	width: number;
	height: number;
	bytes: number;
}

/** processPhoto, then keep the clean JPEG under a fresh server-made key. Throws PhotoError. */
export async function storePhoto(
	bytes: Uint8Array,
	store: PhotoStore = photoStore(),
	now = new Date()
): Promise<StoredPhoto> {
	const photo = await processPhoto(bytes);
	const storageKey = newPhotoKey(now);
	await store.put(storageKey, photo.data, photo.contentType);
	return {
		storageKey,
		contentType: photo.contentType,
		width: photo.width,
		height: photo.height,
		bytes: photo.data.byteLength
	};
}
