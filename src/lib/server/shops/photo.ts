import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { config } from '../config';

/*
 * Inspection photos: the bytes must decode as an image (the type is read from the bytes, not the
 * name or header), and are re-encoded to JPEG, turned upright and stripped of metadata (EXIF,
 * GPS) before they are kept. The report intake has its own pipeline for residents' photos.
 */
export const MAX_INSPECTION_PHOTO_BYTES = 15 * 1024 * 1024;
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'heif', 'avif', 'gif']);

export class PhotoError extends Error {
	constructor(readonly code: 'too_large' | 'unsupported_media_type') {
		super(code);
	}
}

export async function storeInspectionPhoto(bytes: Uint8Array): Promise<string> {
	if (bytes.byteLength > MAX_INSPECTION_PHOTO_BYTES) throw new PhotoError('too_large');
	let format: string | undefined;
	try {
		format = (await sharp(bytes).metadata()).format;
	} catch {
		throw new PhotoError('unsupported_media_type');
	}
	if (!format || !ACCEPTED.has(format)) throw new PhotoError('unsupported_media_type');
	const jpeg = await sharp(bytes, { limitInputPixels: 100_000_000 })
		.rotate()
		.resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
		.jpeg({ quality: 80 })
		.toBuffer();
	const key = `${crypto.randomUUID()}.jpg`;
	const dir = join(config.uploadDir, 'inspections');
	await mkdir(dir, { recursive: true });
	await writeFile(join(dir, key), jpeg);
	return key;
}

export async function readInspectionPhoto(key: string): Promise<Buffer | null> {
	if (!/^[0-9a-f-]{36}\.jpg$/.test(key)) return null;
	try {
		return await readFile(join(config.uploadDir, 'inspections', key));
	} catch {
		return null;
	}
}
