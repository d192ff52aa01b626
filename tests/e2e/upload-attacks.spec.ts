import { expect, test, type APIRequestContext } from '@playwright/test';
import exifr from 'exifr';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { noisyJpeg } from './multipart';

/*
 * Hostile uploads through the real report endpoint. Each is refused with the API's JSON error, or
 * accepted and re-encoded: then the stored bytes are a clean JPEG that ends at its end-of-image
 * marker, with no appended payload, no comment and no metadata.
 */
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'HTTP only: one project is enough');

const SCRIPT = '<script>alert(document.cookie)</script>';

/** A phone-like JPEG with camera and GPS data. */
function jpegWithExif(): Promise<Buffer> {
	return sharp({ create: { width: 320, height: 240, channels: 3, background: '#9a3412' } })
		.jpeg()
		.withMetadata({
			exif: {
				IFD0: { Make: 'TestCam', Model: 'Phone 1' },
				IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 51/1 1440/100' }
			}
		})
		.toBuffer();
}

/** A JPEG comment (COM) segment put right after the start-of-image marker. */
function withComment(jpeg: Buffer, text: string): Buffer {
	const data = Buffer.from(text);
	const header = Buffer.from([0xff, 0xfe, (data.length + 2) >> 8, (data.length + 2) & 0xff]);
	return Buffer.concat([jpeg.subarray(0, 2), header, data, jpeg.subarray(2)]);
}

/** A ZIP archive with one stored file (local header, central directory, end record). */
function zipOf(name: string, content: string): Buffer {
	const file = Buffer.from(content);
	const fileName = Buffer.from(name);
	const local = Buffer.alloc(30);
	local.writeUInt32LE(0x04034b50, 0);
	local.writeUInt16LE(10, 4);
	local.writeUInt32LE(file.length, 18);
	local.writeUInt32LE(file.length, 22);
	local.writeUInt16LE(fileName.length, 26);
	const central = Buffer.alloc(46);
	central.writeUInt32LE(0x02014b50, 0);
	central.writeUInt16LE(20, 4);
	central.writeUInt16LE(10, 6);
	central.writeUInt32LE(file.length, 20);
	central.writeUInt32LE(file.length, 24);
	central.writeUInt16LE(fileName.length, 28);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(1, 8);
	end.writeUInt16LE(1, 10);
	end.writeUInt32LE(central.length + fileName.length, 12);
	end.writeUInt32LE(local.length + fileName.length + file.length, 16);
	return Buffer.concat([local, fileName, file, central, fileName, end]);
}

function crc32(bytes: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of bytes) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
	}
	return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/** A real decompression bomb: a valid 30000×30000 greyscale PNG of zeros, under 1 MB compressed. */
function pngBomb(size = 30_000): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size, 0);
	header.writeUInt32BE(size, 4);
	header[8] = 8; // bit depth
	header[9] = 0; // greyscale
	const pixels = deflateSync(Buffer.alloc((size + 1) * size), { level: 9 });
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', pixels),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}

const svg = `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${SCRIPT}<rect width="10" height="10"/></svg>`;

async function upload(
	request: APIRequestContext,
	baseURL: string,
	file: { name: string; mimeType: string; buffer: Buffer }
) {
	return request.post('/api/v1/reports', {
		headers: { Origin: baseURL, 'Idempotency-Key': crypto.randomUUID() },
		multipart: {
			category: 'street-cleaning',
			description: 'upload attack',
			lat: '31.854',
			lng: '117.2935',
			photos: file
		}
	});
}

/** The stored bytes of the one photo of a just-made report, through its public URL. */
async function storedPhoto(request: APIRequestContext, trackingCode: string): Promise<Buffer> {
	// Finished after the answer: the job re-encodes it within moments.
	let photos: string[] = [];
	await expect
		.poll(async () => {
			photos = (await (await request.get(`/api/v1/reports/${trackingCode}`)).json()).photos;
			return photos.length;
		})
		.toBe(1);
	const response = await request.get(photos[0]);
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toBe('image/jpeg');
	expect(response.headers()['x-content-type-options']).toBe('nosniff');
	return response.body();
}

/** A clean re-encoded JPEG: one image, ending at its EOI, no comment, metadata or payload. */
async function expectCleanJpeg(stored: Buffer, original: Buffer) {
	expect(stored.equals(original)).toBe(false);
	expect([...stored.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
	expect([...stored.subarray(-2)]).toEqual([0xff, 0xd9]);
	const text = stored.toString('latin1');
	for (const needle of ['<script', '<html', 'PK\u0003\u0004', 'PK\u0005\u0006', 'TestCam', 'Exif'])
		expect(text.includes(needle), needle).toBe(false);
	// No comment (FFFE) and no APPn segment but the JFIF header (APP0).
	let at = 2;
	while (at < stored.length && stored[at] === 0xff && stored[at + 1] !== 0xda) {
		const marker = stored[at + 1];
		expect(marker === 0xfe || (marker >= 0xe1 && marker <= 0xef), `marker ${marker}`).toBe(false);
		at += 2 + stored.readUInt16BE(at + 2);
	}
	const meta = await sharp(stored, { failOn: 'error' }).metadata();
	expect(meta.format).toBe('jpeg');
	expect(meta.exif).toBeUndefined();
	expect(meta.xmp).toBeUndefined();
	expect(meta.comments ?? []).toEqual([]);
	expect(await exifr.parse(stored)).toBeUndefined();
	await sharp(stored, { failOn: 'error' }).raw().toBuffer();
}

test('a JPEG+ZIP polyglot is re-encoded: the archive and the EXIF are gone', async ({
	request,
	baseURL
}) => {
	const original = Buffer.concat([await jpegWithExif(), zipOf('evil.html', `<html>${SCRIPT}`)]);
	const response = await upload(request, baseURL!, {
		name: 'holiday.jpg',
		mimeType: 'image/jpeg',
		buffer: original
	});
	expect(response.status()).toBe(201);
	const { trackingCode } = await response.json();
	await expectCleanJpeg(await storedPhoto(request, trackingCode), original);
});

test('a JPEG+HTML/JS polyglot (script in a comment and after the image) is re-encoded without it', async ({
	request,
	baseURL
}) => {
	const original = Buffer.concat([
		withComment(await jpegWithExif(), `*/=1;${SCRIPT}/*`),
		Buffer.from(`<html><body>${SCRIPT}</body></html>`)
	]);
	const response = await upload(request, baseURL!, {
		name: 'page.jpg',
		mimeType: 'image/jpeg',
		buffer: original
	});
	expect(response.status()).toBe(201);
	const { trackingCode } = await response.json();
	await expectCleanJpeg(await storedPhoto(request, trackingCode), original);
});

test('a decompression bomb (a small PNG of 30000×30000) is refused with 413 before decoding', async ({
	request,
	baseURL
}) => {
	test.setTimeout(90_000);
	const bomb = pngBomb();
	expect(bomb.length).toBeLessThan(1_000_000);
	const started = Date.now();
	const response = await upload(request, baseURL!, {
		name: 'bomb.png',
		mimeType: 'image/png',
		buffer: bomb
	});
	expect(response.status()).toBe(413);
	const { error } = await response.json();
	expect(error.code).toBe('photo_too_many_pixels');
	expect(error.message).toBeTruthy();
	// Refused from the header: nowhere near the seconds that decoding 900 MB of pixels takes.
	expect(Date.now() - started).toBeLessThan(10_000);
	expect((await request.get('/api/v1/categories')).status()).toBe(200);
});

test('a truncated JPEG is refused with the JSON error', async ({ request, baseURL }) => {
	const whole = await noisyJpeg(400, 300);
	const response = await upload(request, baseURL!, {
		name: 'cut.jpg',
		mimeType: 'image/jpeg',
		buffer: whole.subarray(0, Math.floor(whole.length * 0.6))
	});
	expect(response.status()).toBe(400);
	expect((await response.json()).error.code).toBe('photo_unreadable');
});

test('an SVG with a script is refused with 415, renamed .jpg or sent as image/svg+xml', async ({
	request,
	baseURL
}) => {
	for (const file of [
		{ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(svg) },
		{ name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) }
	]) {
		const response = await upload(request, baseURL!, file);
		expect(response.status(), file.name).toBe(415);
		const { error } = await response.json();
		expect(error.code).toBe('photo_type');
		expect(error.message).toBeTruthy();
	}
});

test('HTML behind JPEG magic bytes is refused: the bytes must decode as an image', async ({
	request,
	baseURL
}) => {
	const fake = Buffer.concat([
		Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
		Buffer.from(`<html>${SCRIPT}`)
	]);
	const response = await upload(request, baseURL!, {
		name: 'x.jpg',
		mimeType: 'image/jpeg',
		buffer: fake
	});
	expect(response.status()).toBe(400);
	expect((await response.json()).error.code).toBe('photo_unreadable');
});
