/*
 * Working-hour arithmetic for deadlines (时限). Time is counted only inside working periods on
 * working days, in China Standard Time (UTC+8, no daylight saving). A working day is Monday to
 * Friday unless the calendar marks it a holiday; a weekend day the calendar marks as a workday
 * (调休, a make-up working day) counts too. Pure: the server loads the calendar, the browser may
 * use the same code.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** China Standard Time. */
export const TZ_OFFSET_MS = 8 * HOUR;

/** A working period within a day, in minutes after local midnight: [start, end). */
export type Period = readonly [start: number, end: number];

export interface WorkCalendar {
	periods: readonly Period[];
	/** Weekdays off, as local dates `YYYY-MM-DD`. */
	holidays: ReadonlySet<string>;
	/** Weekend days worked (调休), as local dates `YYYY-MM-DD`. */
	workdays: ReadonlySet<string>;
}

/** 08:30–12:00 and 14:00–17:30: seven working hours a day. */
export const defaultPeriods: readonly Period[] = [
	[8 * 60 + 30, 12 * 60],
	[14 * 60, 17 * 60 + 30]
];

export function workCalendar(
	days: { day: string; kind: 'holiday' | 'workday' }[] = [],
	periods: readonly Period[] = defaultPeriods
): WorkCalendar {
	const sorted = [...periods].sort((a, b) => a[0] - b[0]);
	for (const [i, [start, end]] of sorted.entries()) {
		if (!(start >= 0 && end <= 24 * 60 && start < end)) throw new Error('bad working period');
		if (i > 0 && start < sorted[i - 1][1]) throw new Error('overlapping working periods');
	}
	return {
		periods: sorted,
		holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.day)),
		workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.day))
	};
}

/** The local date (`YYYY-MM-DD`) of an instant. */
export function localDate(at: Date | number): string {
	return new Date(+at + TZ_OFFSET_MS).toISOString().slice(0, 10);
}

/** UTC milliseconds of the local midnight that starts the day holding `ms`. */
function dayStart(ms: number): number {
	return Math.floor((ms + TZ_OFFSET_MS) / DAY) * DAY - TZ_OFFSET_MS;
}

export function isWorkingDay(calendar: WorkCalendar, at: Date | number): boolean {
	const key = localDate(at);
	if (calendar.holidays.has(key)) return false;
	if (calendar.workdays.has(key)) return true;
	const weekday = new Date(+at + TZ_OFFSET_MS).getUTCDay();
	return weekday >= 1 && weekday <= 5;
}

/** No calendar spans more than this many days without a working period; beyond it, give up. */
const MAX_DAYS = 3660;

/** The instant `hours` working hours after `start`. Zero hours gives `start` back. */
export function addWorkingHours(calendar: WorkCalendar, start: Date, hours: number): Date {
	if (!(hours >= 0) || !Number.isFinite(hours))
		throw new Error('hours must be a finite number ≥ 0');
	let remaining = Math.round(hours * HOUR);
	if (remaining === 0) return new Date(start);
	const from = +start;
	let day = dayStart(from);
	for (let i = 0; i < MAX_DAYS; i++, day += DAY) {
		if (!isWorkingDay(calendar, day)) continue;
		for (const [ps, pe] of calendar.periods) {
			const segStart = Math.max(day + ps * MINUTE, from);
			const segEnd = day + pe * MINUTE;
			if (segEnd <= segStart) continue;
			const available = segEnd - segStart;
			if (remaining <= available) return new Date(segStart + remaining);
			remaining -= available;
		}
	}
	throw new Error('no working time in the calendar');
}

/** Working milliseconds between two instants; negative when `to` comes before `from`. */
export function workingMsBetween(calendar: WorkCalendar, from: Date, to: Date): number {
	if (+to < +from) return -workingMsBetween(calendar, to, from);
	let total = 0;
	for (let day = dayStart(+from); day < +to; day += DAY) {
		if (!isWorkingDay(calendar, day)) continue;
		for (const [ps, pe] of calendar.periods) {
			const s = Math.max(day + ps * MINUTE, +from);
			const e = Math.min(day + pe * MINUTE, +to);
			if (e > s) total += e - s;
		}
	}
	return total;
}

export function workingHoursBetween(calendar: WorkCalendar, from: Date, to: Date): number {
	return workingMsBetween(calendar, from, to) / HOUR;
}

/** The local date `count` working days after the local date `day` (the day itself not counted). */
export function addWorkingDays(calendar: WorkCalendar, day: string, count: number): string {
	let at = Date.parse(`${day}T12:00:00Z`) - TZ_OFFSET_MS;
	let left = count;
	for (let i = 0; left > 0; i++) {
		if (i > MAX_DAYS) throw new Error('no working day in the calendar');
		at += DAY;
		if (isWorkingDay(calendar, at)) left--;
	}
	return localDate(at);
}
