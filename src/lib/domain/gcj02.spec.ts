import { describe, expect, it } from 'vitest';
import { distanceMetres } from './geo';
import { gcj02ToWgs84, wgs84ToGcj02 } from './gcj02';

describe('GCJ-02', () => {
	it('shifts a Hefei point by a few hundred metres, and back to within a centimetre', () => {
		const wgs = { lat: 31.856, lng: 117.298 };
		const gcj = wgs84ToGcj02(wgs);
		const shift = distanceMetres(wgs, gcj);
		expect(shift).toBeGreaterThan(100);
		expect(shift).toBeLessThan(700);
		expect(distanceMetres(gcj02ToWgs84(gcj), wgs)).toBeLessThan(0.01);
	});

	it('leaves points outside China alone', () => {
		expect(wgs84ToGcj02({ lat: 51.5, lng: -0.12 })).toEqual({ lat: 51.5, lng: -0.12 });
	});
});
