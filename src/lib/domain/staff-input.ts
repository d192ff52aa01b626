import * as v from 'valibot';
import { priorities, stages } from './stages';
import { actions } from './workflow';
import { pageNumberSchema } from './validation';

/*
 * Input schemas of the staff workbench, shared by the queue page, the JSON API and the tests.
 * Each problem message is a field problem code.
 */

const optionalText = (max: number) =>
	v.optional(
		v.pipe(
			v.string(),
			v.trim(),
			v.maxLength(max, 'too_long'),
			v.transform((s) => s || undefined)
		)
	);
/** An optional value from a fixed list (or a code pattern): empty means none. */
const optionalOf = (ok: (s: string) => boolean) =>
	v.optional(
		v.pipe(
			v.string(),
			v.trim(),
			v.check((s) => s === '' || ok(s), 'choice'),
			v.transform((s) => s || undefined)
		)
	);
const codePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
const optionalCode = optionalOf((s) => codePattern.test(s));
const oneOf = <T extends string>(list: readonly T[]) =>
	v.optional(
		v.pipe(
			v.string(),
			v.trim(),
			v.check((s) => s === '' || (list as readonly string[]).includes(s), 'choice'),
			v.transform((s) => (s || undefined) as T | undefined)
		)
	);

export const queueSorts = ['deadline', 'priority', 'newest'] as const;
export type QueueSort = (typeof queueSorts)[number];

/** `open` is every stage still running; empty is every stage. */
export const queueFilterSchema = v.object({
	stage: oneOf([...stages, 'open'] as const),
	category: optionalCode,
	community: optionalCode,
	grid: optionalCode,
	department: optionalCode,
	priority: oneOf(priorities),
	overdue: v.optional(
		v.pipe(
			v.string(),
			v.transform((s) => s === '1' || s === 'true' || s === 'on')
		),
		'false'
	),
	/** `due`: closed cases whose revisit (回头看) is due. */
	revisit: oneOf(['due'] as const),
	q: optionalText(100),
	sort: v.optional(
		v.pipe(
			v.string(),
			v.check((s) => s === '' || (queueSorts as readonly string[]).includes(s), 'choice'),
			v.transform((s) => (s || 'deadline') as QueueSort)
		),
		'deadline'
	),
	page: pageNumberSchema
});
export type QueueFilter = v.InferOutput<typeof queueFilterSchema>;

export const transitionSchema = v.object({
	action: v.picklist(actions, 'choice'),
	version: v.optional(
		v.union([
			v.pipe(v.number(), v.integer('number')),
			v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'number'), v.transform(Number))
		])
	),
	department: optionalCode,
	reason: optionalText(500),
	note: optionalText(2000),
	publicNote: optionalText(2000),
	duplicateOf: optionalText(64)
});
export type TransitionBody = v.InferOutput<typeof transitionSchema>;

export const revisitCheckSchema = v.object({
	outcome: v.picklist(['confirm', 'reopen'], 'choice'),
	note: optionalText(2000)
});

export const replySchema = v.object({
	note: optionalText(2000),
	publicNote: optionalText(2000)
});

/** A phone number as staff in scope see it: 138****0001. */
export function maskPhone(phone: string): string {
	return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export const calendarDaySchema = v.object({
	day: v.pipe(
		v.string('required'),
		v.trim(),
		v.regex(/^\d{4}-\d{2}-\d{2}$/, 'date'),
		// A real calendar day: Date would roll 2026-02-30 over into March.
		v.check((s) => {
			const d = new Date(s + 'T00:00:00Z');
			return !Number.isNaN(+d) && d.toISOString().slice(0, 10) === s;
		}, 'date')
	),
	kind: v.picklist(['holiday', 'workday'], 'choice'),
	name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(50, 'too_long')), '')
});

export const templateSchema = v.object({
	category: optionalCode,
	title: v.pipe(
		v.string('required'),
		v.trim(),
		v.minLength(1, 'required'),
		v.maxLength(50, 'too_long')
	),
	body: v.pipe(
		v.string('required'),
		v.trim(),
		v.minLength(1, 'required'),
		v.maxLength(2000, 'too_long')
	)
});

/** Whole hours (at most a year), or empty for "as the default". */
const optionalWhole = (max: number) =>
	v.optional(
		v.pipe(
			v.string(),
			v.trim(),
			v.check((s) => s === '' || (/^\d{1,5}$/.test(s) && +s >= 1 && +s <= max), 'number'),
			v.transform((s) => (s === '' ? undefined : Number(s)))
		)
	);
const hours = optionalWhole(8760);

/**
 * The deadline settings of one category, or of every category when `category` is empty: hours to
 * accept and to check per priority (empty: the default), and for a category also its hours to
 * handle per priority and the days to its revisit (回头看).
 */
export const deadlineSettingsSchema = v.object({
	category: optionalCode,
	normalAccept: hours,
	normalHandle: hours,
	normalCheck: hours,
	urgentAccept: hours,
	urgentHandle: hours,
	urgentCheck: hours,
	revisitDays: optionalWhole(365)
});
export type DeadlineSettingsInput = v.InferOutput<typeof deadlineSettingsSchema>;
