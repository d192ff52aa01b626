import { polygonCentre } from '$lib/domain/reporting';
import type { Point } from '$lib/domain/geo';
import type { Db } from '../db';
import { subdistricts } from '../db/schema';
import { cachedReference } from '../reference-cache';

export interface MapConfig {
	/** Leaflet tile URL template; empty turns the map off (the address path always works). */
	tileUrl: string;
	/** The datum the tiles are drawn in: GCJ-02 providers need points shifted for display. */
	crs: 'wgs84' | 'gcj02';
	attribution: string;
	centre: Point;
}

/** MAP_TILE_URL, MAP_TILE_CRS and MAP_ATTRIBUTION (README), centred on the subdistrict. */
export async function mapConfig(db: Db): Promise<MapConfig> {
	const [area] = await cachedReference(db, 'subdistrict-boundary', () =>
		db.select({ boundary: subdistricts.boundary }).from(subdistricts).limit(1)
	);
	return {
		tileUrl: process.env.MAP_TILE_URL ?? 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
		crs: process.env.MAP_TILE_CRS === 'gcj02' ? 'gcj02' : 'wgs84',
		attribution: process.env.MAP_ATTRIBUTION ?? '© OpenStreetMap',
		centre: area?.boundary ? polygonCentre(area.boundary) : { lat: 31.861, lng: 117.305 }
	};
}
