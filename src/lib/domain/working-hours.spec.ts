import { describe, expect, it } from 'vitest';
import {
	addWorkingDays,
	addWorkingHours,
	isWorkingDay,
	localDate,
	workCalendar,
	workingHoursBetween
} from './working-hours';

/** A local (UTC+8) time: `at('2026-11-30 09:00')`. 2026-11-30 is a Monday. */
const at = (s: string) => new Date(s.replace(' ', 'T') + ':00+08:00');
const local = (d: Date) => new Date(+d + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

const plain = workCalendar();
const add = (start: string, hours: number, cal = plain) =>
	local(addWorkingHours(cal, at(start), hours));
const between = (a: string, b: string, cal = plain) => workingHoursBetween(cal, at(a), at(b));

describe('adding working hours', () => {
	it.each([
		// within one period
		['2026-11-30 08:30', 1, '2026-11-30 09:30'],
		['2026-11-30 09:15', 2.5, '2026-11-30 11:45'],
		// exactly to the end of a period, and the whole day (7 h)
		['2026-11-30 08:30', 3.5, '2026-11-30 12:00'],
		['2026-11-30 08:30', 7, '2026-11-30 17:30'],
		['2026-11-30 08:30', 7.5, '2026-12-01 09:00'],
		// across lunch
		['2026-11-30 11:00', 2, '2026-11-30 15:00'],
		['2026-11-30 11:59', 0.5, '2026-11-30 14:29'],
		// starting during lunch, before opening, after closing
		['2026-11-30 12:30', 0.5, '2026-11-30 14:30'],
		['2026-11-30 07:00', 1, '2026-11-30 09:30'],
		['2026-11-30 00:00', 1, '2026-11-30 09:30'],
		['2026-11-30 18:00', 1, '2026-12-01 09:30'],
		// across midnight
		['2026-11-30 22:00', 1, '2026-12-01 09:30'],
		['2026-11-30 17:00', 1, '2026-12-01 09:00'],
		// across the weekend: Friday afternoon to Monday
		['2026-12-04 16:30', 2, '2026-12-07 09:30'],
		['2026-12-05 10:00', 1, '2026-12-07 09:30'],
		['2026-12-06 23:59', 0.25, '2026-12-07 08:45'],
		// a working week is 35 h
		['2026-11-30 08:30', 35, '2026-12-04 17:30'],
		['2026-11-30 08:30', 35.5, '2026-12-07 09:00'],
		// the common deadlines
		['2026-11-30 10:00', 24, '2026-12-03 15:00'],
		['2026-11-30 10:00', 72, '2026-12-14 12:00']
	])('%s + %s h = %s', (start, hours, expected) => {
		expect(add(start, hours)).toBe(expected);
	});

	it('gives the start back for zero hours, even outside working time', () => {
		expect(add('2026-12-05 03:00', 0)).toBe('2026-12-05 03:00');
	});

	it('refuses negative or endless hours', () => {
		expect(() => addWorkingHours(plain, at('2026-11-30 09:00'), -1)).toThrow();
		expect(() => addWorkingHours(plain, at('2026-11-30 09:00'), Infinity)).toThrow();
		expect(() => addWorkingHours(plain, at('2026-11-30 09:00'), NaN)).toThrow();
	});

	it('counts in China time whatever the UTC date', () => {
		// 2026-11-30 23:30 UTC is Tuesday 07:30 in Hefei.
		const start = new Date('2026-11-30T23:30:00Z');
		expect(localDate(start)).toBe('2026-12-01');
		expect(addWorkingHours(plain, start, 1).toISOString()).toBe('2026-12-01T01:30:00.000Z');
	});
});

describe('the holiday calendar', () => {
	// A made-up golden week: Thu 1 Oct to Wed 7 Oct off, with Sun 27 Sep and Sat 10 Oct worked.
	const golden = workCalendar([
		...['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'].map((day) => ({
			day,
			kind: 'holiday' as const
		})),
		{ day: '2026-09-27', kind: 'workday' },
		{ day: '2026-10-10', kind: 'workday' }
	]);

	it('knows which days are worked', () => {
		expect(isWorkingDay(golden, at('2026-09-26 10:00'))).toBe(false); // Saturday
		expect(isWorkingDay(golden, at('2026-09-27 10:00'))).toBe(true); // Sunday, made up
		expect(isWorkingDay(golden, at('2026-10-01 10:00'))).toBe(false); // Thursday, holiday
		expect(isWorkingDay(golden, at('2026-10-08 10:00'))).toBe(true);
		expect(isWorkingDay(golden, at('2026-10-10 10:00'))).toBe(true); // Saturday, made up
		expect(isWorkingDay(golden, at('2026-10-11 10:00'))).toBe(false);
	});

	it('skips holidays', () => {
		expect(add('2026-09-30 17:00', 1, golden)).toBe('2026-10-08 09:00');
		expect(add('2026-10-03 09:00', 7, golden)).toBe('2026-10-08 17:30');
	});

	it('counts make-up working days, weekend or not', () => {
		expect(add('2026-09-25 17:00', 1, golden)).toBe('2026-09-27 09:00');
		expect(add('2026-10-09 17:00', 1, golden)).toBe('2026-10-10 09:00');
		expect(add('2026-10-09 17:00', 8, golden)).toBe('2026-10-12 09:00');
	});

	it('lets a holiday fall on a made-up Saturday and still skip it', () => {
		const both = workCalendar([
			{ day: '2026-12-05', kind: 'workday' },
			{ day: '2026-12-07', kind: 'holiday' }
		]);
		expect(add('2026-12-04 17:00', 1, both)).toBe('2026-12-05 09:00');
		expect(add('2026-12-05 17:00', 1, both)).toBe('2026-12-08 09:00');
	});
});

describe('other working periods', () => {
	const summer = workCalendar(
		[],
		[
			[14 * 60 + 30, 18 * 60],
			[8 * 60, 12 * 60]
		]
	);
	it('sorts and uses them', () => {
		expect(add('2026-11-30 11:00', 2, summer)).toBe('2026-11-30 15:30');
		expect(add('2026-11-30 17:30', 1, summer)).toBe('2026-12-01 08:30');
	});
	it('refuses overlapping or inverted periods', () => {
		expect(() =>
			workCalendar(
				[],
				[
					[600, 700],
					[650, 800]
				]
			)
		).toThrow();
		expect(() => workCalendar([], [[700, 600]])).toThrow();
	});
	it('handles a period that ends at midnight', () => {
		const late = workCalendar([], [[20 * 60, 24 * 60]]);
		expect(add('2026-11-30 23:00', 2, late)).toBe('2026-12-01 21:00');
	});
});

describe('working hours between two instants', () => {
	it.each([
		['2026-11-30 08:30', '2026-11-30 17:30', 7],
		['2026-11-30 11:00', '2026-11-30 15:00', 2],
		['2026-11-30 12:10', '2026-11-30 13:50', 0],
		['2026-12-04 16:00', '2026-12-07 10:00', 3],
		['2026-12-05 00:00', '2026-12-06 23:59', 0],
		['2026-11-30 22:00', '2026-12-01 09:30', 1],
		['2026-11-30 08:30', '2026-12-07 08:30', 35]
	])('%s → %s: %s h', (a, b, hours) => {
		expect(between(a, b)).toBeCloseTo(hours, 9);
	});

	it('is negative when the end comes first (time left after a deadline)', () => {
		expect(between('2026-11-30 15:00', '2026-11-30 11:00')).toBeCloseTo(-2, 9);
	});

	it('undoes adding, for many starts and lengths', () => {
		const cal = workCalendar([
			{ day: '2026-12-02', kind: 'holiday' },
			{ day: '2026-12-05', kind: 'workday' }
		]);
		for (let i = 0; i < 400; i++) {
			const start = new Date(at('2026-11-28 00:00').getTime() + i * 37 * 60_000 * 7);
			const hours = (i % 53) * 0.75 + 0.25;
			const end = addWorkingHours(cal, start, hours);
			expect(workingHoursBetween(cal, start, end)).toBeCloseTo(hours, 9);
			expect(isWorkingDay(cal, end)).toBe(true);
		}
	});
});

describe('adding working days', () => {
	it('skips weekends and holidays, and counts make-up working days', () => {
		const plain = workCalendar();
		// Friday + 10 working days: two full weeks later.
		expect(addWorkingDays(plain, '2026-12-04', 10)).toBe('2026-12-18');
		expect(addWorkingDays(plain, '2026-12-05', 1)).toBe('2026-12-07');
		expect(addWorkingDays(plain, '2026-12-04', 0)).toBe('2026-12-04');
		const holidays = workCalendar([
			{ day: '2026-12-08', kind: 'holiday' },
			{ day: '2026-12-09', kind: 'holiday' },
			{ day: '2026-12-12', kind: 'workday' }
		]);
		// Two holidays push it two days on; the make-up Saturday pulls it one back.
		expect(addWorkingDays(holidays, '2026-12-04', 10)).toBe('2026-12-21');
	});
});
