import type { Point } from './geo';

/*
 * GCJ-02, the offset datum Chinese map providers draw in. The app stores WGS84; when the tile
 * provider is GCJ-02, points are shifted for display and shifted back when the resident moves the
 * pin. The forward formula is the published one; the inverse is found by iteration (error < 1 cm).
 */

const A = 6378245.0;
const EE = 0.006693421622965943;

function outsideChina({ lat, lng }: Point): boolean {
	return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number): number {
	let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
	r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
	r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
	r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
	return r;
}

function transformLng(x: number, y: number): number {
	let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
	r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
	r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
	r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
	return r;
}

export function wgs84ToGcj02(point: Point): Point {
	if (outsideChina(point)) return point;
	const { lat, lng } = point;
	let dLat = transformLat(lng - 105, lat - 35);
	let dLng = transformLng(lng - 105, lat - 35);
	const radLat = (lat / 180) * Math.PI;
	let magic = Math.sin(radLat);
	magic = 1 - EE * magic * magic;
	const sqrtMagic = Math.sqrt(magic);
	dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
	dLng = (dLng * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
	return { lat: lat + dLat, lng: lng + dLng };
}

export function gcj02ToWgs84(point: Point): Point {
	if (outsideChina(point)) return point;
	let guess = { ...point };
	for (let i = 0; i < 10; i++) {
		const shifted = wgs84ToGcj02(guess);
		const dLat = shifted.lat - point.lat;
		const dLng = shifted.lng - point.lng;
		guess = { lat: guess.lat - dLat, lng: guess.lng - dLng };
		if (Math.abs(dLat) < 1e-9 && Math.abs(dLng) < 1e-9) break;
	}
	return guess;
}
