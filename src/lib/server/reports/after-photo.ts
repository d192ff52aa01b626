import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { ApiError } from '../api/errors';
import { config } from '../config';

/*
 * A minimal photo pipeline for the handler's "after" photo: the type is read from the bytes, the
 * image is decoded and re-encoded as JPEG (rotated upright, at most 2048 px, no metadata: sharp
 * drops EXIF and GPS unless asked to keep them). To be merged with intake's photo pipeline.
 */

export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;

export function sniffImageType(bytes: Uint8Array): 'jpeg' | 'png' | 'webp' | null {
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
		return 'jpeg';
	if (
		bytes.length >= 8 &&
		[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)
	)
		return 'png';
	if (
		bytes.length >= 12 &&
		String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' &&
		String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP'
	)
		return 'webp';
	return null;
}

export interface StoredPhoto {
	storageKey: string;
	contentType: string;
	width: number;
	height: number;
	bytes: number;
}

/** Checks, cleans and stores a photo; 415 for anything that is not a JPEG, PNG or WebP image. */
export async function storeAfterPhoto(input: Uint8Array): Promise<StoredPhoto> {
	if (input.length > MAX_PHOTO_BYTES) throw new ApiError(413, 'too_large', { photo: 'too_large' });
	if (!sniffImageType(input))
		throw new ApiError(415, 'unsupported_media_type', { photo: 'photo_type' });
	let output: { data: Buffer; info: { width: number; height: number } };
	try {
		output = await sharp(input, { limitInputPixels: 50_000_000 })
			.rotate()
			.resize({ width: 2048, height: 2048, fit: 'inside', withoutEnlargement: true })
			.jpeg({ quality: 82 })
			.toBuffer({ resolveWithObject: true });
	} catch {
		throw new ApiError(415, 'unsupported_media_type', { photo: 'photo_type' });
	}
	const storageKey = `after/${randomUUID()}.jpg`;
	const path = photoPath(storageKey);
	await mkdir(dirname(path), { recursive: true });
	await writeFile(path, output.data);
	return {
		storageKey,
		contentType: 'image/jpeg',
		width: output.info.width,
		height: output.info.height,
		bytes: output.data.length
	};
}

export function photoPath(storageKey: string): string {
	const root = resolve(config.uploadDir);
	const path = resolve(join(root, storageKey));
	if (!path.startsWith(root + '/')) throw new Error('bad storage key');
	return path;
}

export function readPhoto(storageKey: string): Promise<Buffer> {
	return readFile(photoPath(storageKey));
}
