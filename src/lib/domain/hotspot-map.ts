import type { Polygon } from './geo';

/*
 * The hotspot map as plain SVG geometry, drawn on the server: community outlines and one circle per
 * place, sized by its count. An equirectangular projection scaled by cos(latitude) is true enough
 * at the scale of a subdistrict, and needs no map tiles.
 */

export interface Spot {
	lat: number | null;
	lng: number | null;
	count: number;
}
export interface Outline {
	name: string;
	nameEn?: string | null;
	boundary: Polygon | null;
}

export interface HotspotMap<S extends Spot> {
	width: number;
	height: number;
	outlines: { name: string; nameEn: string | null; path: string; labelX: number; labelY: number }[];
	circles: { spot: S; rank: number; x: number; y: number; r: number }[];
}

export function hotspotMap<S extends Spot>(
	spots: readonly S[],
	outlines: readonly Outline[],
	width = 340,
	padding = 16
): HotspotMap<S> | null {
	const located = spots
		.map((spot, i) => ({ spot, rank: i + 1 }))
		.filter((s) => s.spot.lat !== null && s.spot.lng !== null);
	if (located.length === 0) return null;
	const points: [number, number][] = [
		...located.map((s) => [s.spot.lng!, s.spot.lat!] as [number, number]),
		...outlines.flatMap((o) => o.boundary?.coordinates[0] ?? [])
	];
	const lngs = points.map((p) => p[0]);
	const lats = points.map((p) => p[1]);
	const [west, east] = [Math.min(...lngs), Math.max(...lngs)];
	const [south, north] = [Math.min(...lats), Math.max(...lats)];
	const shrink = Math.cos((((north + south) / 2) * Math.PI) / 180);
	// Degrees to pixels, the same on both axes once longitude is shrunk; a lone point gets ~1 km.
	const spanX = Math.max((east - west) * shrink, 0.01);
	const spanY = Math.max(north - south, 0.01);
	const scale = (width - 2 * padding) / Math.max(spanX, spanY * 0.75);
	const height = Math.round(spanY * scale + 2 * padding);
	const x = (lng: number) => padding + (lng - west) * shrink * scale;
	const y = (lat: number) => padding + (north - lat) * scale;
	const round = (n: number) => Math.round(n * 10) / 10;
	const max = Math.max(...located.map((s) => s.spot.count));
	return {
		width,
		height,
		outlines: outlines
			.filter((o) => o.boundary?.coordinates[0]?.length)
			.map((o) => {
				const ring = o.boundary!.coordinates[0];
				const cx = ring.reduce((sum, p) => sum + p[0], 0) / ring.length;
				const cy = ring.reduce((sum, p) => sum + p[1], 0) / ring.length;
				return {
					name: o.name,
					nameEn: o.nameEn ?? null,
					path:
						ring.map((p, i) => `${i ? 'L' : 'M'}${round(x(p[0]))},${round(y(p[1]))}`).join('') +
						'Z',
					labelX: round(x(cx)),
					labelY: round(y(cy))
				};
			}),
		circles: located.map(({ spot, rank }) => ({
			spot,
			rank,
			x: round(x(spot.lng!)),
			y: round(y(spot.lat!)),
			r: round(5 + 13 * Math.sqrt(spot.count / max))
		}))
	};
}
