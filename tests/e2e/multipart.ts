import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

/** A multipart/form-data body built by hand, so a test can send it slowly or cut it off. */
export function multipart(
	fields: Record<string, string>,
	files: { name: string; filename: string; type: string; data: Buffer }[] = []
): { body: Buffer; type: string } {
	const boundary = `----jx${randomBytes(12).toString('hex')}`;
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		parts.push(
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
			Buffer.from(value),
			Buffer.from('\r\n')
		);
	}
	for (const file of files) {
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`
			),
			file.data,
			Buffer.from('\r\n')
		);
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/** A JPEG of random pixels: large on the wire and slow to re-encode, like a real phone photo. */
export function noisyJpeg(width: number, height: number): Promise<Buffer> {
	return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
		.jpeg({ quality: 90 })
		.toBuffer();
}

/** A small plain JPEG. */
export function plainJpeg(width = 64, height = 48, background = '#2563eb'): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background } })
		.jpeg()
		.toBuffer();
}

/** The report fields every test uses: a category and a point inside the subdistrict. */
export const reportFields = (description: string) => ({
	category: 'street-cleaning',
	description,
	lat: '31.854',
	lng: '117.2935'
});
