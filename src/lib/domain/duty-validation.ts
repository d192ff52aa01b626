import * as v from 'valibot';
import { phoneSchema } from './validation';
import { timePattern } from './duty';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const optionalText = (max: number) =>
	v.optional(v.pipe(v.string(), v.trim(), v.maxLength(max, 'too_long')), '');
const checkbox = v.optional(
	v.pipe(
		v.string(),
		v.transform((s) => s === 'on' || s === 'true' || s === '1')
	),
	'false'
);

/** Age in whole years on a date (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
	const [by, bm, bd] = birthDate.split('-').map(Number);
	const [y, mo, d] = day.split('-').map(Number);
	return y - by - (mo < bm || (mo === bm && d < bd) ? 1 : 0);
}

/** The volunteer's own details; under-18s need a guardian's name, phone and consent. */
export function volunteerProfileSchema(today: string) {
	return v.pipe(
		v.object({
			realName: v.pipe(
				v.string('required'),
				v.trim(),
				v.minLength(1, 'required'),
				v.maxLength(50, 'name')
			),
			birthDate: v.pipe(
				v.string('required'),
				v.trim(),
				v.regex(datePattern, 'date'),
				v.check((s) => !Number.isNaN(Date.parse(s)) && s < today && s > '1900-01-01', 'date')
			),
			skills: optionalText(200),
			guardianName: optionalText(50),
			guardianPhone: v.optional(v.union([v.literal(''), phoneSchema], 'phone'), ''),
			guardianConsent: checkbox
		}),
		v.forward(
			v.check((p) => ageOn(p.birthDate, today) >= 18 || p.guardianName !== '', 'guardian_required'),
			['guardianName']
		),
		v.forward(
			v.check(
				(p) => ageOn(p.birthDate, today) >= 18 || p.guardianPhone !== '',
				'guardian_required'
			),
			['guardianPhone']
		),
		v.forward(
			v.check((p) => ageOn(p.birthDate, today) >= 18 || p.guardianConsent, 'guardian_consent'),
			['guardianConsent']
		)
	);
}

export const bookingBodySchema = v.object({
	waitlist: v.optional(v.boolean('choice'), true)
});

export const checkInSchema = v.object({
	code: v.pipe(v.string('required'), v.trim(), v.regex(/^\d{6}$/, 'code')),
	/** Device time of an offline scan, ISO 8601. */
	deviceAt: v.optional(v.pipe(v.string(), v.isoTimestamp('date'))),
	lat: v.optional(v.pipe(v.number(), v.minValue(-90), v.maxValue(90))),
	lng: v.optional(v.pipe(v.number(), v.minValue(-180), v.maxValue(180)))
});

const formInt = (min: number, max: number) =>
	v.pipe(
		v.string('required'),
		v.trim(),
		v.regex(/^\d+$/, 'number'),
		v.transform(Number),
		v.minValue(min, 'number'),
		v.maxValue(max, 'number')
	);
const formCheck = v.optional(
	v.pipe(
		v.string(),
		v.transform((s) => s === 'on' || s === 'true' || s === '1')
	),
	'false'
);

/** The admin form for a shift template: weekdays as checkboxes wd1…wd7. */
export const templateFormSchema = v.pipe(
	v.object({
		post: v.pipe(v.string('required'), v.uuid('choice')),
		wd1: formCheck,
		wd2: formCheck,
		wd3: formCheck,
		wd4: formCheck,
		wd5: formCheck,
		wd6: formCheck,
		wd7: formCheck,
		startTime: v.pipe(v.string('required'), v.trim(), v.regex(timePattern, 'time')),
		endTime: v.pipe(v.string('required'), v.trim(), v.regex(timePattern, 'time')),
		volunteersNeeded: formInt(0, 200),
		staffNeeded: formInt(0, 50),
		validFrom: v.pipe(v.string('required'), v.trim(), v.regex(datePattern, 'date')),
		validTo: v.optional(
			v.union([v.literal(''), v.pipe(v.string(), v.trim(), v.regex(datePattern, 'date'))], 'date'),
			''
		),
		signupOpensHours: formInt(1, 24 * 60),
		cancelCutoffHours: formInt(0, 24 * 14),
		active: formCheck
	}),
	v.forward(
		v.check((t) => t.startTime < t.endTime, 'time_order'),
		['endTime']
	),
	v.forward(
		v.check((t) => [t.wd1, t.wd2, t.wd3, t.wd4, t.wd5, t.wd6, t.wd7].some(Boolean), 'choice'),
		['wd1']
	),
	v.transform(({ wd1, wd2, wd3, wd4, wd5, wd6, wd7, post, validTo, ...rest }) => ({
		...rest,
		postId: post,
		validTo: validTo || null,
		weekdays: [wd1, wd2, wd3, wd4, wd5, wd6, wd7].flatMap((on, i) => (on ? [i + 1] : []))
	}))
);

/** The admin form for a post (定岗点位). */
export const postFormSchema = v.object({
	code: v.pipe(v.string('required'), v.trim(), v.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'choice')),
	name: v.pipe(v.string('required'), v.trim(), v.minLength(1, 'required'), v.maxLength(50, 'name')),
	nameEn: optionalText(100),
	zone: v.picklist(['west', 'east'], 'choice'),
	community: v.optional(v.pipe(v.string(), v.trim()), ''),
	lat: v.pipe(
		v.string('required'),
		v.trim(),
		v.transform(Number),
		v.number('number'),
		v.minValue(-90, 'number'),
		v.maxValue(90, 'number')
	),
	lng: v.pipe(
		v.string('required'),
		v.trim(),
		v.transform(Number),
		v.number('number'),
		v.minValue(-180, 'number'),
		v.maxValue(180, 'number')
	),
	coordinatorName: optionalText(50),
	coordinatorPhone: v.optional(v.union([v.literal(''), phoneSchema], 'phone'), ''),
	active: formCheck
});

/** A leader's visit to a community, from the phone form. */
export const visitFormSchema = v.object({
	community: v.pipe(v.string('required'), v.uuid('choice')),
	visitedOn: v.pipe(v.string('required'), v.trim(), v.regex(datePattern, 'date')),
	notes: optionalText(500)
});

/** An admin names a staff account as a leader. */
export const leaderFormSchema = v.object({
	user: v.pipe(v.string('required'), v.uuid('choice')),
	title: optionalText(50)
});

/** A supervisor's check (在岗督察), from the form or the offline outbox (multipart). */
export const spotCheckSchema = v.pipe(
	v.object({
		booking: v.optional(v.union([v.literal(''), v.pipe(v.string(), v.uuid('choice'))], 'choice')),
		assignment: v.optional(
			v.union([v.literal(''), v.pipe(v.string(), v.uuid('choice'))], 'choice')
		),
		result: v.picklist(['present', 'late', 'absent'], 'choice'),
		note: optionalText(500),
		/** Device time of a check made offline, ISO 8601. */
		checkedAt: v.optional(
			v.union([v.literal(''), v.pipe(v.string(), v.isoTimestamp('date'))], 'date'),
			''
		)
	}),
	v.forward(
		v.check((c) => !!c.booking !== !!c.assignment, 'choice'),
		['booking']
	)
);
