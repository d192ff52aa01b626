import { describe, expect, it } from 'vitest';
import { distanceMetres, parsePolygon, pointInPolygon, rectangle } from './geo';

describe('pointInPolygon', () => {
	const box = rectangle(117.29, 31.85, 117.305, 31.861);
	it('finds points inside and outside a rectangle', () => {
		expect(pointInPolygon({ lat: 31.855, lng: 117.3 }, box)).toBe(true);
		expect(pointInPolygon({ lat: 31.87, lng: 117.3 }, box)).toBe(false);
		expect(pointInPolygon({ lat: 31.855, lng: 117.31 }, box)).toBe(false);
	});
	it('excludes holes', () => {
		const withHole = {
			...box,
			coordinates: [box.coordinates[0], rectangle(117.295, 31.852, 117.3, 31.857).coordinates[0]]
		};
		expect(pointInPolygon({ lat: 31.855, lng: 117.297 }, withHole)).toBe(false);
		expect(pointInPolygon({ lat: 31.86, lng: 117.302 }, withHole)).toBe(true);
	});
	it('handles a concave polygon', () => {
		// An L shape: the notch at the top right is outside.
		const l = {
			type: 'Polygon' as const,
			coordinates: [
				[
					[0, 0],
					[2, 0],
					[2, 1],
					[1, 1],
					[1, 2],
					[0, 2],
					[0, 0]
				] as [number, number][]
			]
		};
		expect(pointInPolygon({ lng: 0.5, lat: 1.5 }, l)).toBe(true);
		expect(pointInPolygon({ lng: 1.5, lat: 1.5 }, l)).toBe(false);
	});
});

describe('distanceMetres', () => {
	it('measures about 111 km per degree of latitude', () => {
		expect(distanceMetres({ lat: 31, lng: 117 }, { lat: 32, lng: 117 })).toBeCloseTo(111_195, -2);
	});
	it('is zero for the same point', () => {
		expect(distanceMetres({ lat: 31.86, lng: 117.3 }, { lat: 31.86, lng: 117.3 })).toBe(0);
	});
});

describe('parsePolygon', () => {
	it('accepts a closed GeoJSON polygon', () => {
		expect(parsePolygon(JSON.stringify(rectangle(1, 2, 3, 4)))).toEqual(rectangle(1, 2, 3, 4));
	});
	it.each([
		'not json',
		'{"type":"Point","coordinates":[1,2]}',
		'{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}',
		'{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,"x"]]]}',
		'{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,1],[0,0]]]}'
	])('rejects %s', (text) => expect(parsePolygon(text)).toBeNull());
});
