import jsQR from 'jsqr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { qrSvg, reportUrlForShop } from './card';

/** Renders the SVG to pixels and reads the QR code back. */
async function decode(svg: string): Promise<string | null> {
	const { data, info } = await sharp(Buffer.from(svg), { density: 300 })
		.resize(400, 400)
		.flatten({ background: '#fff' })
		.ensureAlpha()
		.raw()
		.toBuffer({ resolveWithObject: true });
	return jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data ?? null;
}

describe('duty card QR code', () => {
	it('encodes the report page with the shop preselected', async () => {
		const url = reportUrlForShop('https://jx.example', '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b');
		expect(url).toBe('https://jx.example/report?shop=6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b');
		const svg = await qrSvg(url);
		expect(svg.startsWith('<svg')).toBe(true);
		expect(svg).not.toMatch(/<script/i);
		expect(await decode(svg)).toBe(url);
	});
});
