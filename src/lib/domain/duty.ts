/*
 * Pure rules for duty at fixed posts: local dates and times, service minutes, working days.
 * The subdistrict keeps China Standard Time (UTC+8, no daylight saving).
 */

export const LOCAL_OFFSET = '+08:00';
const OFFSET_MS = 8 * 3600_000;
export const CHECK_IN_EARLY_MINUTES = 30;
export const RECORD_WORKING_DAYS = 10;

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(at: Date): string {
	return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The local wall-clock time (HH:MM) of an instant. */
export function localTime(at: Date): string {
	return new Date(at.getTime() + OFFSET_MS).toISOString().slice(11, 16);
}

/** A shift's day and hours as people write them: `2026-12-08 08:00–10:30`. */
export function localSpan(startsAt: Date, endsAt: Date): string {
	return `${localDate(startsAt)} ${localTime(startsAt)}–${localTime(endsAt)}`;
}

/** The instant of a local date and time. */
export function atLocal(day: string, time: string): Date {
	return new Date(`${day}T${time}:00${LOCAL_OFFSET}`);
}

/** A date (YYYY-MM-DD) plus a number of days. */
export function addDays(day: string, days: number): string {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
	const w = new Date(`${day}T00:00:00Z`).getUTCDay();
	return w === 0 ? 7 : w;
}

/** The Monday of the week a date falls in. */
export function weekStart(day: string): string {
	return addDays(day, 1 - isoWeekday(day));
}

export const timePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Service minutes from check-in and check-out, capped to the shift's window. No check-in, or no
 * check-out, gives nothing: an absence earns no hours.
 */
export function serviceMinutes(
	window: { startsAt: Date; endsAt: Date },
	checkedInAt: Date | null,
	checkedOutAt: Date | null
): number {
	if (!checkedInAt || !checkedOutAt) return 0;
	const from = Math.max(window.startsAt.getTime(), checkedInAt.getTime());
	const to = Math.min(window.endsAt.getTime(), checkedOutAt.getTime());
	return Math.max(0, Math.floor((to - from) / 60_000));
}

/** Minutes as hours with one decimal, e.g. 150 → "2.5". */
export function formatHours(minutes: number): string {
	return (Math.round(minutes / 6) / 10).toFixed(1);
}
