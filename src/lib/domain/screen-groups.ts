/*
 * Markers that would overlap on screen, gathered into one: a group shows how many it holds and
 * lists them, so no post hides under another at a low zoom. Distances are in screen pixels, so
 * the groups change with the zoom.
 */

export interface ScreenPoint<T> {
	x: number;
	y: number;
	item: T;
}

export interface ScreenGroup<T> {
	/** The members' mean position, where the group's marker goes. */
	x: number;
	y: number;
	items: T[];
}

/**
 * Groups points lying within `radius` pixels of a group's first point, in the order given, so
 * the same points at the same zoom always make the same groups. Every point is in exactly one
 * group. Quadratic, which is plenty for a subdistrict's few dozen posts.
 */
export function groupByScreenDistance<T>(
	points: readonly ScreenPoint<T>[],
	radius: number
): ScreenGroup<T>[] {
	const taken = new Array<boolean>(points.length).fill(false);
	const groups: ScreenGroup<T>[] = [];
	for (let i = 0; i < points.length; i++) {
		if (taken[i]) continue;
		const seed = points[i];
		const members: ScreenPoint<T>[] = [];
		for (let j = i; j < points.length; j++) {
			if (taken[j]) continue;
			if (Math.hypot(points[j].x - seed.x, points[j].y - seed.y) <= radius) {
				taken[j] = true;
				members.push(points[j]);
			}
		}
		groups.push({
			x: members.reduce((sum, p) => sum + p.x, 0) / members.length,
			y: members.reduce((sum, p) => sum + p.y, 0) / members.length,
			items: members.map((p) => p.item)
		});
	}
	return groups;
}
