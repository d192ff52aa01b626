import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
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

/**
 * The door check of an intake photo, cheap enough to run in the request: the real type, the size,
 * the declared pixels, and for JPEG a walk of its structure that keeps only what decoding needs
 * (and the colour profile). EXIF (but the orientation), XMP, IPTC, comments and anything after the
 * image are cut here, so no location ever reaches storage; the finishing job re-encodes the rest (`processPhoto`). Other
 * types are re-encoded at once. Throws PhotoError.
 */
export async function admitPhoto(bytes: Uint8Array): Promise<Buffer> {
	if (bytes.byteLength > MAX_PHOTO_BYTES) throw new PhotoError(413, 'photo_too_large');
	const type = sniffImageType(bytes);
	if (!type) throw new PhotoError(415, 'photo_type');
	if (type !== 'image/jpeg') return (await processPhoto(bytes)).data;
	return admitJpeg(bytes);
}

const unreadable = () => new PhotoError(400, 'photo_unreadable');

/** Start-of-frame markers: they carry the image's size. */
const isFrameMarker = (marker: number) =>
	marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
/**
 * Marker segments that hold metadata, not what decoding needs: comments and APP1–APP15 (EXIF,
 * XMP, IPTC…), but for the colour profile (APP2 ICC_PROFILE) and Adobe's colour transform (APP14).
 */
function isMetadataSegment(marker: number, payload: Buffer): boolean {
	if (marker === 0xfe) return true;
	if (marker < 0xe1 || marker > 0xef) return false;
	if (marker === 0xe2) return payload.toString('latin1', 0, 12) !== 'ICC_PROFILE\0';
	if (marker === 0xee) return payload.toString('latin1', 0, 5) !== 'Adobe';
	return true;
}

function admitJpeg(bytes: Uint8Array): Buffer {
	const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const kept: Buffer[] = [data.subarray(0, 2)];
	let orientation = 1;
	let sawFrame = false;
	let sawScan = false;
	let at = 2;
	for (;;) {
		if (at + 2 > data.length || data[at] !== 0xff) throw unreadable();
		const marker = data[at + 1];
		if (marker === 0xff) {
			at++; // fill byte
			continue;
		}
		if (marker === 0xd9 && sawScan) break; // end of image
		// Markers without a length (a second start, restarts) have no place outside a scan.
		if (marker === 0xd8 || marker === 0xd9 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7))
			throw unreadable();
		if (at + 4 > data.length) throw unreadable();
		const length = data.readUInt16BE(at + 2);
		const end = at + 2 + length;
		if (length < 2 || end > data.length) throw unreadable();
		if (isFrameMarker(marker)) {
			if (length < 8) throw unreadable();
			const height = data.readUInt16BE(at + 5);
			const width = data.readUInt16BE(at + 7);
			if (!width || !height) throw unreadable();
			if (width * height > MAX_INPUT_PIXELS) throw new PhotoError(413, 'photo_too_many_pixels');
			sawFrame = true;
		}
		if (marker === 0xe1) orientation = exifOrientation(data.subarray(at + 4, end)) ?? orientation;
		if (!isMetadataSegment(marker, data.subarray(at + 4, end))) kept.push(data.subarray(at, end));
		at = end;
		if (marker === 0xda) {
			if (!sawFrame) throw unreadable();
			sawScan = true;
			const scanEnd = endOfScan(data, at);
			kept.push(data.subarray(at, scanEnd));
			at = scanEnd;
		}
	}
	kept.push(data.subarray(at, at + 2));
	if (orientation !== 1) kept.splice(1, 0, orientationSegment(orientation));
	return joined(data, kept);
}

/**
 * The kept pieces as one photo. When nothing was cut (the usual case: the form's canvas JPEG has no
 * metadata) that is a view of the upload itself, which spares intake a copy of every photo.
 */
function joined(data: Buffer, kept: Buffer[]): Buffer {
	let end = data.byteOffset;
	for (const piece of kept) {
		if (piece.buffer !== data.buffer || piece.byteOffset !== end) return Buffer.concat(kept);
		end += piece.byteLength;
	}
	return data.subarray(0, end - data.byteOffset);
}

/** Where a scan's entropy-coded data ends: the next marker that is not a stuffed 0xFF or a restart. */
function endOfScan(data: Buffer, from: number): number {
	let at = from;
	for (;;) {
		at = data.indexOf(0xff, at);
		if (at < 0 || at + 1 >= data.length) throw unreadable(); // truncated: no end of image
		const next = data[at + 1];
		if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) at++;
		else return at;
	}
}

/** The orientation tag (1–8) of an APP1 Exif payload, if it has one. */
function exifOrientation(payload: Buffer): number | null {
	if (payload.length < 14 || payload.toString('latin1', 0, 6) !== 'Exif\0\0') return null;
	const tiff = payload.subarray(6);
	const little = tiff.toString('latin1', 0, 2) === 'II';
	const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
	const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
	const ifd = u32(4);
	if (ifd + 2 > tiff.length) return null;
	const entries = u16(ifd);
	for (let i = 0; i < entries; i++) {
		const entry = ifd + 2 + i * 12;
		if (entry + 12 > tiff.length) return null;
		if (u16(entry) === 0x0112) {
			const value = u16(entry + 8);
			return value >= 1 && value <= 8 ? value : null;
		}
	}
	return null;
}

/** An APP1 Exif segment holding only the orientation, so the finishing job can turn the photo upright. */
function orientationSegment(orientation: number): Buffer {
	// Big-endian TIFF, IFD0 at offset 8 with one SHORT entry (0x0112), no next IFD.
	const tiff = [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1];
	const payload = Buffer.from([
		...Buffer.from('Exif\0\0', 'latin1'),
		...tiff,
		0,
		orientation,
		0,
		0,
		0,
		0,
		0,
		0
	]);
	const header = Buffer.alloc(4);
	header.writeUInt16BE(0xffe1, 0);
	header.writeUInt16BE(payload.length + 2, 2);
	return Buffer.concat([header, payload]);
}

/** Where photo files live. The default is a local folder; an S3-compatible store fits the same shape. */
/** A stored object's key and when it was last written. */
export interface StoredObject {
	key: string;
	modifiedAt: Date;
}

export interface PhotoStore {
	put(key: string, data: Buffer, contentType: string): Promise<void>;
	get(key: string): Promise<Buffer | null>;
	delete(key: string): Promise<void>;
	/** Every object whose key starts with `prefix` (a folder, ending in `/`). */
	list(prefix: string): AsyncIterable<StoredObject>;
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
	/** Folders made by this store: one per month, so checking each time is wasted work. */
	private readonly folders = new Set<string>();
	/**
	 * Writes the photo under its key, never over another. Every key is new, and the row that names
	 * it is written only after this returns, so a crash mid-write leaves a file nothing names (the
	 * orphan sweep takes those under `incoming/`), never half a photo that a case shows.
	 *
	 * The write is synchronous: one call into the page cache on this thread. `fs/promises` took
	 * three trips through libuv's pool (open, write, close), and at intake's rate those cost more
	 * than the write itself (bench/RESULTS.md, "Photo writes without the thread pool").
	 */
	async put(key: string, data: Buffer): Promise<void> {
		const path = this.path(key);
		const folder = dirname(path);
		if (!this.folders.has(folder)) {
			await mkdir(folder, { recursive: true });
			this.folders.add(folder);
		}
		const write = async () => {
			try {
				writeFileSync(path, data, { flag: 'wx' });
			} catch (error) {
				// A write that failed part way (a full disk) leaves no part of the photo behind.
				const { code } = error as NodeJS.ErrnoException;
				if (code !== 'EEXIST' && code !== 'ENOENT') await rm(path, { force: true });
				throw error;
			}
		};
		await write().catch(async (error: NodeJS.ErrnoException) => {
			if (error.code !== 'ENOENT') throw error;
			// The folder went away since (a clean-up): make it again, once.
			this.folders.delete(folder);
			await mkdir(folder, { recursive: true });
			await write();
		});
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
	async *list(prefix: string): AsyncIterable<StoredObject> {
		const folder = this.path(prefix);
		let entries;
		try {
			entries = await readdir(folder, { recursive: true, withFileTypes: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
			throw error;
		}
		for (const entry of entries) {
			if (!entry.isFile()) continue;
			const path = join(entry.parentPath, entry.name);
			const modifiedAt = await stat(path).then(
				(s) => s.mtime,
				() => null // removed since the listing
			);
			if (modifiedAt) yield { key: relative(this.root, path).split(sep).join('/'), modifiedAt };
		}
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
export function newPhotoKey(now = new Date(), folder: 'photos' | 'incoming' = 'photos'): string {
	const month = String(now.getUTCMonth() + 1).padStart(2, '0');
	return `${folder}/${now.getUTCFullYear()}/${month}/${randomUUID()}.jpg`;
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
