import { describe, expect, it } from 'vitest';
import { hotspotMap } from './hotspot-map';

const square = (w: number, s: number, e: number, n: number) => ({
	type: 'Polygon' as const,
	coordinates: [
		[
			[w, s],
			[e, s],
			[e, n],
			[w, n],
			[w, s]
		] as [number, number][]
	]
});

describe('the hotspot map', () => {
	it('places spots inside the outlines, north up and east right, the biggest count largest', () => {
		const map = hotspotMap(
			[
				{ lat: 31.87, lng: 117.31, count: 9 },
				{ lat: 31.86, lng: 117.29, count: 2 }
			],
			[{ name: '和平社区', boundary: square(117.28, 31.85, 117.32, 31.88) }]
		)!;
		expect(map.width).toBe(340);
		const [big, small] = map.circles;
		expect(big.x).toBeGreaterThan(small.x);
		expect(big.y).toBeLessThan(small.y);
		expect(big.r).toBeGreaterThan(small.r);
		expect(big.rank).toBe(1);
		for (const c of map.circles) {
			expect(c.x).toBeGreaterThanOrEqual(0);
			expect(c.x).toBeLessThanOrEqual(map.width);
			expect(c.y).toBeGreaterThanOrEqual(0);
			expect(c.y).toBeLessThanOrEqual(map.height);
		}
		expect(map.outlines[0].path).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){4}Z$/);
	});

	it('keeps the ranks of the listed places when some have no point, and needs at least one point', () => {
		const map = hotspotMap(
			[
				{ lat: null, lng: null, count: 5 },
				{ lat: 31.86, lng: 117.3, count: 3 }
			],
			[]
		)!;
		expect(map.circles.map((c) => c.rank)).toEqual([2]);
		expect(hotspotMap([{ lat: null, lng: null, count: 5 }], [])).toBeNull();
	});
});
