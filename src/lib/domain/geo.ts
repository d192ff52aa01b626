/** A GeoJSON polygon in WGS84: rings of [lng, lat]; the first ring is the outer boundary. */
export interface Polygon {
	type: 'Polygon';
	coordinates: [number, number][][];
}

export interface Point {
	lat: number;
	lng: number;
}

/** Ray casting on the outer ring, minus any holes. */
export function pointInPolygon(point: Point, polygon: Polygon): boolean {
	const [outer, ...holes] = polygon.coordinates;
	if (!outer || !inRing(point, outer)) return false;
	return !holes.some((hole) => inRing(point, hole));
}

function inRing({ lat, lng }: Point, ring: [number, number][]): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

/** Great-circle distance in metres. */
export function distanceMetres(a: Point, b: Point): number {
	const r = 6_371_000;
	const toRad = (d: number) => (d * Math.PI) / 180;
	const dLat = toRad(b.lat - a.lat);
	const dLng = toRad(b.lng - a.lng);
	const h =
		Math.sin(dLat / 2) ** 2 +
		Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLng / 2) ** 2;
	return 2 * r * Math.asin(Math.sqrt(h));
}

/** An axis-aligned rectangle as a polygon, for demo data and tests. */
export function rectangle(west: number, south: number, east: number, north: number): Polygon {
	return {
		type: 'Polygon',
		coordinates: [
			[
				[west, south],
				[east, south],
				[east, north],
				[west, north],
				[west, south]
			]
		]
	};
}

/** Parses a GeoJSON Polygon from text, or returns null if it is not one. */
export function parsePolygon(text: string): Polygon | null {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return null;
	}
	const polygon = value as Polygon;
	if (
		!polygon ||
		polygon.type !== 'Polygon' ||
		!Array.isArray(polygon.coordinates) ||
		polygon.coordinates.length === 0
	)
		return null;
	const validRing = (ring: unknown) =>
		Array.isArray(ring) &&
		ring.length >= 4 &&
		ring.every(
			(p) =>
				Array.isArray(p) &&
				p.length === 2 &&
				p.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
				Math.abs(p[0]) <= 180 &&
				Math.abs(p[1]) <= 90
		);
	return polygon.coordinates.every(validRing)
		? { type: 'Polygon', coordinates: polygon.coordinates }
		: null;
}
