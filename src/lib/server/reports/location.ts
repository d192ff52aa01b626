import { eq } from 'drizzle-orm';
import { pointInPolygon, type Point } from '$lib/domain/geo';
import type { Db } from '../db';
import { communities, compounds, grids, subdistricts } from '../db/schema';

export interface ResolvedLocation {
	communityId: string | null;
	gridId: string | null;
	compoundId: string | null;
	/** The point lies outside every community (and the subdistrict boundary, when one is set). */
	outsideArea: boolean;
}

/**
 * Community, grid and compound of a point, by point in polygon. Without a point, the community the
 * resident chose stands (address fallback). When the point is outside, the chosen community is kept
 * and the report is flagged for triage.
 */
export async function resolveLocation(
	db: Db,
	point: Point | null,
	chosenCommunityId: string | null
): Promise<ResolvedLocation> {
	if (!point) {
		return { communityId: chosenCommunityId, gridId: null, compoundId: null, outsideArea: false };
	}
	const activeCommunities = await db
		.select({ id: communities.id, boundary: communities.boundary })
		.from(communities)
		.where(eq(communities.active, true));
	const community = activeCommunities.find((c) => c.boundary && pointInPolygon(point, c.boundary));
	if (!community) {
		const [area] = await db.select({ boundary: subdistricts.boundary }).from(subdistricts).limit(1);
		const insideSubdistrict = area?.boundary ? pointInPolygon(point, area.boundary) : false;
		return {
			communityId: chosenCommunityId,
			gridId: null,
			compoundId: null,
			outsideArea: !insideSubdistrict
		};
	}
	const [communityGrids, communityCompounds] = await Promise.all([
		db
			.select({ id: grids.id, boundary: grids.boundary })
			.from(grids)
			.where(eq(grids.communityId, community.id)),
		db
			.select({ id: compounds.id, boundary: compounds.boundary })
			.from(compounds)
			.where(eq(compounds.communityId, community.id))
	]);
	const inside = (x: { boundary: Parameters<typeof pointInPolygon>[1] | null }) =>
		!!x.boundary && pointInPolygon(point, x.boundary);
	return {
		communityId: community.id,
		gridId: communityGrids.find(inside)?.id ?? null,
		compoundId: communityCompounds.find(inside)?.id ?? null,
		outsideArea: false
	};
}
