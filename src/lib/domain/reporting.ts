import * as v from 'valibot';
import type { CategoryQuestion } from './categories';
import type { Point, Polygon } from './geo';
import type { Stage } from './stages';
import { parseInput, phoneSchema } from './validation';

/*
 * Pure rules of resident reporting, shared by the server, the browser and tests.
 */

export const MAX_PHOTOS = 6;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** One limit for every intake path: Open311 (GeoReport v2) allows 4000 characters. */
export const MAX_DESCRIPTION = 4000;
/** Longest answer to an extra question: a one-line `string`, a free `text`. */
export const MAX_ANSWER = { string: 200, text: 2000 } as const;
export const REOPEN_WINDOW_DAYS = 7;
export const ratings = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Rating = (typeof ratings)[number];

/** The stages a resident sees, in order (已上报 → 已受理 → 已派遣 → 处置中 → 已处置 → 已办结). */
export const publicStages = [
	'submitted',
	'accepted',
	'dispatched',
	'in_progress',
	'handled',
	'closed'
] as const satisfies readonly Stage[];

/** Where a stage sits on the public progress line; side stages map to the step they wait at. */
export function publicStep(stage: Stage): number {
	switch (stage) {
		case 'declined':
		case 'duplicate':
			return publicStages.indexOf('closed');
		case 'rework':
		case 'returned':
			return publicStages.indexOf('accepted');
		default:
			return publicStages.indexOf(stage);
	}
}

/** Open311-style status: a case is closed once it is closed, declined or merged. */
export function statusOf(stage: Stage): 'open' | 'closed' {
	return stage === 'closed' || stage === 'declined' || stage === 'duplicate' ? 'closed' : 'open';
}

/** Short tracking codes: 8 characters with no look-alikes (no 0/O, 1/I/L). */
export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const trackingCodePattern = /^[2-9A-HJKMNP-Z]{8}$/;

export function isTrackingCode(value: string): boolean {
	return trackingCodePattern.test(value);
}

/** 138****1234: enough to recognise a number, not to call it. */
export function maskPhone(phone: string): string {
	if (phone.length < 7) return '*'.repeat(phone.length);
	return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** About 50 m: a grid of 0.0005° (55 m north-south, 47 m east-west at Hefei's latitude). */
const ROUNDING_DEGREES = 0.0005;

export function roundPoint(point: Point): Point {
	const round = (x: number) =>
		Number((Math.round(x / ROUNDING_DEGREES) * ROUNDING_DEGREES).toFixed(4));
	return { lat: round(point.lat), lng: round(point.lng) };
}

/** The centre of a polygon's outer ring's bounding box: a public stand-in for "somewhere in here". */
export function polygonCentre(polygon: Polygon): Point {
	const ring = polygon.coordinates[0];
	const lngs = ring.map((p) => p[0]);
	const lats = ring.map((p) => p[1]);
	return {
		lat: Number(((Math.min(...lats) + Math.max(...lats)) / 2).toFixed(5)),
		lng: Number(((Math.min(...lngs) + Math.max(...lngs)) / 2).toFixed(5))
	};
}

export type PublicPrecision = 'approximate' | 'compound' | 'community' | 'none';

export interface PublicLocation {
	lat: number | null;
	lng: number | null;
	precision: PublicPrecision;
	community: string | null;
	/** The community's English name, where it has one. */
	communityEn: string | null;
	compound: string | null;
}

/**
 * The location as the public sees it: indoor categories only to the compound (or the community
 * when the compound is unknown), the rest rounded to about 50 m. The typed address is never public.
 */
export function publicLocation(input: {
	indoor: boolean;
	point: Point | null;
	community: { name: string; nameEn?: string | null; boundary: Polygon | null } | null;
	compound: { name: string; boundary: Polygon | null } | null;
}): PublicLocation {
	const names = {
		community: input.community?.name ?? null,
		communityEn: input.community?.nameEn ?? null
	};
	if (input.indoor) {
		if (input.compound?.boundary)
			return {
				...polygonCentre(input.compound.boundary),
				precision: 'compound',
				...names,
				compound: input.compound.name
			};
		if (input.community?.boundary)
			return {
				...polygonCentre(input.community.boundary),
				precision: 'community',
				...names,
				compound: null
			};
		return { lat: null, lng: null, precision: 'none', ...names, compound: null };
	}
	if (input.point)
		return {
			...roundPoint(input.point),
			precision: 'approximate',
			...names,
			compound: input.compound?.name ?? null
		};
	return { lat: null, lng: null, precision: 'none', ...names, compound: null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// PostgreSQL text cannot hold NUL characters, and they mean nothing in a report: drop them.
const optionalTrimmed = (max: number, code = 'too_long') =>
	v.optional(
		v.pipe(
			v.string(),
			v.transform((s) => s.replaceAll('\u0000', '')),
			v.trim(),
			v.maxLength(max, code)
		),
		''
	);
const optionalNumber = (min: number, max: number) =>
	v.optional(
		v.pipe(
			v.string(),
			v.trim(),
			v.transform((s) => (s === '' ? undefined : Number(s))),
			v.union(
				[
					v.undefined(),
					v.pipe(
						v.number('number'),
						v.finite('number'),
						v.minValue(min, 'number'),
						v.maxValue(max, 'number')
					)
				],
				'number'
			)
		)
	);

/** One report's fields as they arrive from the form or the multipart API (all strings). */
export const reportInputSchema = v.pipe(
	v.object({
		category: v.pipe(
			v.string('required'),
			v.trim(),
			v.minLength(1, 'required'),
			v.maxLength(63, 'choice')
		),
		description: optionalTrimmed(MAX_DESCRIPTION),
		lat: optionalNumber(-90, 90),
		lng: optionalNumber(-180, 180),
		accuracy: optionalNumber(0, 100_000),
		address: optionalTrimmed(200),
		community: optionalTrimmed(63),
		phone: v.optional(
			v.union([v.pipe(v.string(), v.trim(), v.literal('')), phoneSchema], 'phone'),
			''
		),
		/** The shop a duty card's QR code named (`/report?shop=<id>`). */
		shop: v.optional(
			v.pipe(
				v.string(),
				v.trim(),
				v.check((s) => s === '' || UUID.test(s), 'choice')
			),
			''
		)
	}),
	v.forward(
		v.check((r) => (r.lat === undefined) === (r.lng === undefined), 'location'),
		['lat']
	),
	v.forward(
		v.check((r) => r.lat !== undefined || (r.community !== '' && r.address !== ''), 'location'),
		['address']
	)
);
export type ReportInput = v.InferOutput<typeof reportInputSchema>;

/**
 * The report form's field for one category's answer. Each category keeps its own fields, so the
 * form without JavaScript, which posts every category's inputs, cannot mix up two categories that
 * ask the same question. API clients send `q_<code>`; intake reads both.
 */
export const answerField = (category: string, question: string) => `${category}.q_${question}`;

const dropNul = (s: string) => s.replaceAll('\u0000', '');
const NUMBER = /^[+-]?\d+(\.\d+)?$/;
// A date, or a date and time with an optional offset (ISO 8601 as forms and Open311 clients send it).
const DATETIME =
	/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether a value fits a question's datatype; returns the problem code, or null. */
function answerProblem(q: CategoryQuestion, value: string): string | null {
	switch (q.datatype) {
		case 'number':
			return NUMBER.test(value) && Number.isFinite(Number(value)) ? null : 'number';
		case 'datetime':
			return DATETIME.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')))
				? null
				: 'date';
		case 'text':
			return value.length > MAX_ANSWER.text ? 'too_long' : null;
		case 'string':
			return value.length > MAX_ANSWER.string ? 'too_long' : null;
		default:
			return null;
	}
}

/**
 * Reads the answers to a category's extra questions from `q_<code>` fields and checks each against
 * its question's datatype; returns problems per field. NUL characters are dropped, as in the text
 * fields. Only one value is taken for a single-value question.
 */
export function readAnswers(
	questions: CategoryQuestion[],
	get: (name: string) => string[]
): { answers: Record<string, string | string[]>; fields: Record<string, string> } {
	const answers: Record<string, string | string[]> = {};
	const fields: Record<string, string> = {};
	for (const q of questions) {
		const name = `q_${q.code}`;
		const raw = [...new Set(get(name).map((s) => dropNul(s).trim()))].filter(Boolean);
		if (raw.length === 0) {
			if (q.required) fields[name] = 'required';
			continue;
		}
		if (q.datatype === 'singlevaluelist' || q.datatype === 'multivaluelist') {
			const keys = new Set((q.values ?? []).map((x) => x.key));
			if (!raw.every((x) => keys.has(x)) || (q.datatype === 'singlevaluelist' && raw.length > 1)) {
				fields[name] = 'choice';
				continue;
			}
			answers[q.code] = q.datatype === 'multivaluelist' ? raw : raw[0];
			continue;
		}
		const problem = raw.length > 1 ? 'choice' : answerProblem(q, raw[0]);
		if (problem) fields[name] = problem;
		else answers[q.code] = raw[0];
	}
	return { answers, fields };
}

/** Where a shop's duty card puts a report that names no place of its own. */
export interface ShopPlace {
	lat: number | null;
	lng: number | null;
	community: string | null;
	address: string;
}

/** A report from a shop's card with no place of its own takes the shop's point or address. */
export function withShopLocation(
	fields: Record<string, string>,
	shop: ShopPlace | null
): Record<string, string> {
	const blank = (name: string) => !fields[name]?.trim();
	if (!shop || !['lat', 'lng', 'community', 'address'].every(blank)) return fields;
	if (shop.lat !== null && shop.lng !== null)
		return { ...fields, lat: String(shop.lat), lng: String(shop.lng) };
	return { ...fields, community: shop.community ?? '', address: shop.address };
}

/**
 * Checks a report's fields as intake does, given what intake looks up: the active categories, the
 * communities and the shop. The server refuses on its problems; the form shows them before a
 * report is sent or kept offline, so a draft is not refused later with the resident gone.
 */
export function checkReport<
	C extends { code: string; questions: CategoryQuestion[] },
	M extends { code: string }
>(
	fields: Record<string, string>,
	getAll: (name: string) => string[],
	context: { categories: Map<string, C>; communities: M[]; shop: ShopPlace | null }
) {
	const parsed = parseInput(reportInputSchema, withShopLocation(fields, context.shop));
	const problems: Record<string, string> = parsed.ok ? {} : { ...parsed.fields };
	const category = context.categories.get(fields.category ?? '');
	if (!category && !problems.category) problems.category = 'choice';
	// The form's per-category fields first, then the API's plain `q_<code>`.
	const answerValues = (name: string) => {
		const scoped = getAll(`${category!.code}.${name}`);
		return scoped.some((value) => value.trim()) ? scoped : getAll(name);
	};
	const { answers, fields: answerProblems } = category
		? readAnswers(category.questions, answerValues)
		: { answers: {}, fields: {} };
	Object.assign(problems, answerProblems);
	const communityCode = parsed.ok ? parsed.value.community : '';
	const community = communityCode
		? context.communities.find((c) => c.code === communityCode)
		: undefined;
	if (communityCode && !community) problems.community = 'choice';
	return { parsed, category, answers, community, problems };
}
