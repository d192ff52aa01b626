/*
 * Staff type dates and times in the subdistrict's local time. Chinese subdistricts are all on
 * China Standard Time (UTC+8, no daylight saving), so a fixed offset is exact.
 */
export const LOCAL_OFFSET = '+08:00';
const OFFSET_MS = 8 * 3600_000;

/** `2026-05-01T08:30` (as a datetime-local input gives it) → a Date, or null. */
export function parseLocalDateTime(value: string): Date | null {
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
	const date = new Date(`${value}${value.length === 16 ? ':00' : ''}${LOCAL_OFFSET}`);
	return Number.isNaN(date.getTime()) ? null : date;
}

/** A Date → `2026-05-01T08:30` in local time, for a datetime-local input. */
export function toLocalDateTime(date: Date): string {
	return new Date(date.getTime() + OFFSET_MS).toISOString().slice(0, 16);
}

/** A Date → `2026-05-01` in local time. */
export function toLocalDate(date: Date): string {
	return toLocalDateTime(date).slice(0, 10);
}

/** A Date → `2026-05-01 08:30` in local time, for display. */
export function formatLocal(date: Date): string {
	return toLocalDateTime(date).replace('T', ' ');
}

/** ISO 8601 with the local offset, as the API shows times. */
export function toIsoLocal(date: Date): string {
	return `${toLocalDateTime(date)}:${String(date.getUTCSeconds()).padStart(2, '0')}${LOCAL_OFFSET}`;
}
