import type { Map as LeafletMap } from 'leaflet';
import { gcj02ToWgs84, wgs84ToGcj02 } from '$lib/domain/gcj02';
import type { Point } from '$lib/domain/geo';

/*
 * What the app's Leaflet maps share. Leaflet itself is passed in: the maps load it lazily, so it
 * never lands in a page's first bundle.
 */

type Leaflet = typeof import('leaflet');

/** Points are WGS84 everywhere in the app; a GCJ-02 tile provider needs them shifted for display. */
export function datum(crs: 'wgs84' | 'gcj02') {
	return {
		toDisplay: (p: Point): Point => (crs === 'gcj02' ? wgs84ToGcj02(p) : p),
		fromDisplay: (p: Point): Point => (crs === 'gcj02' ? gcj02ToWgs84(p) : p)
	};
}

/** Tiles that fail this often mean the provider is out of reach: tell the user, keep the map. */
const TILE_FAILURES = 4;

/** Adds the configured tile layer; `onProblem` runs once when tiles keep failing to load. */
export function addTiles(
	L: Leaflet,
	map: LeafletMap,
	config: { tileUrl: string; attribution: string },
	onProblem: () => void
) {
	let failures = 0;
	L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: config.attribution })
		.on('tileerror', () => {
			if (++failures === TILE_FAILURES) onProblem();
		})
		.addTo(map);
}
