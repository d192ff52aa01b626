import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { groupByScreenDistance } from './screen-groups';

const at = (x: number, y: number, item: string) => ({ x, y, item });

describe('groupByScreenDistance', () => {
	it('gathers points within the radius and leaves the others alone', () => {
		const groups = groupByScreenDistance(
			[at(0, 0, 'a'), at(10, 0, 'b'), at(100, 100, 'c'), at(0, 20, 'd')],
			28
		);
		expect(groups.map((g) => g.items)).toEqual([['a', 'b', 'd'], ['c']]);
		expect(groups[0].x).toBeCloseTo(10 / 3);
		expect(groups[0].y).toBeCloseTo(20 / 3);
		expect(groups[1]).toEqual({ x: 100, y: 100, items: ['c'] });
	});

	it('measures from the group’s first point, so a chain does not grow without end', () => {
		// b is near a and c is near b, but c is 40 px from a: two groups, not one.
		const groups = groupByScreenDistance([at(0, 0, 'a'), at(20, 0, 'b'), at(40, 0, 'c')], 28);
		expect(groups.map((g) => g.items)).toEqual([['a', 'b'], ['c']]);
	});

	it('keeps points at the same place together however many there are', () => {
		const same = Array.from({ length: 5 }, (_, i) => at(50, 50, `p${i}`));
		expect(groupByScreenDistance(same, 1)).toEqual([
			{ x: 50, y: 50, items: ['p0', 'p1', 'p2', 'p3', 'p4'] }
		]);
	});

	it('puts every point in exactly one group, none wider than twice the radius', () => {
		const point = fc.record({
			x: fc.integer({ min: 0, max: 400 }),
			y: fc.integer({ min: 0, max: 400 })
		});
		fc.assert(
			fc.property(fc.array(point, { maxLength: 60 }), fc.integer({ min: 1, max: 80 }), (raw, r) => {
				const points = raw.map((p, i) => at(p.x, p.y, String(i)));
				const groups = groupByScreenDistance(points, r);
				const items = groups.flatMap((g) => g.items).sort((a, b) => Number(a) - Number(b));
				expect(items).toEqual(points.map((p) => p.item));
				for (const group of groups) {
					const members = group.items.map((item) => points[Number(item)]);
					for (const a of members)
						for (const b of members)
							expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeLessThanOrEqual(2 * r + 1e-9);
				}
			})
		);
	});
});
