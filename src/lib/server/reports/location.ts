import { eq } from 'drizzle-orm';
import { pointInPolygon, type Point, type Polygon } from '$lib/domain/geo';
import type { Db } from '../db';
import { communities, compounds, grids, subdistricts } from '../db/schema';
import { cachedReference } from '../reference-cache';

export interface ResolvedLocation {
	communityId: string | null;
	gridId: string | null;
	compoundId: string | null;
	/** The point lies outside every community (and the subdistrict boundary, when one is set). */
	outsideArea: boolean;
}

interface Area {
	id: string;
	communityId?: string;
	boundary: Polygon | null;
}

/** Every boundary a point is placed by: read once per server for a while, not per report. */
function areas(db: Db) {
	return cachedReference(db, 'location-areas', async () => {
		const [activeCommunities, allGrids, allCompounds, [subdistrict]] = await Promise.all([
			db
				.select({ id: communities.id, boundary: communities.boundary })
				.from(communities)
				.where(eq(communities.active, true)) as Promise<Area[]>,
			db
				.select({ id: grids.id, communityId: grids.communityId, boundary: grids.boundary })
				.from(grids) as Promise<Area[]>,
			db
				.select({
					id: compounds.id,
					communityId: compounds.communityId,
					boundary: compounds.boundary
				})
				.from(compounds) as Promise<Area[]>,
			db.select({ boundary: subdistricts.boundary }).from(subdistricts).limit(1)
		]);
		return {
			communities: activeCommunities,
			grids: allGrids,
			compounds: allCompounds,
			subdistrict: subdistrict?.boundary ?? null
		};
	});
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
	const known = await areas(db);
	const inside = (area: Area) => !!area.boundary && pointInPolygon(point, area.boundary);
	const community = known.communities.find(inside);
	if (!community) {
		const insideSubdistrict = known.subdistrict ? pointInPolygon(point, known.subdistrict) : false;
		return {
			communityId: chosenCommunityId,
			gridId: null,
			compoundId: null,
			outsideArea: !insideSubdistrict
		};
	}
	const withinCommunity = (area: Area) => area.communityId === community.id && inside(area);
	return {
		communityId: community.id,
		gridId: known.grids.find(withinCommunity)?.id ?? null,
		compoundId: known.compounds.find(withinCommunity)?.id ?? null,
		outsideArea: false
	};
}
