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

export const templateSchema = v.pipe(
	v.object({
		post: v.pipe(v.string('required'), v.uuid('choice')),
		weekdays: v.pipe(
			v.array(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7)), 'choice'),
			v.minLength(1, 'choice')
		),
		startTime: v.pipe(v.string('required'), v.regex(timePattern, 'time')),
		endTime: v.pipe(v.string('required'), v.regex(timePattern, 'time')),
		volunteersNeeded: v.pipe(
			v.number('number'),
			v.integer('number'),
			v.minValue(0, 'number'),
			v.maxValue(200, 'number')
		),
		staffNeeded: v.pipe(
			v.number('number'),
			v.integer('number'),
			v.minValue(0, 'number'),
			v.maxValue(50, 'number')
		),
		validFrom: v.pipe(v.string('required'), v.regex(datePattern, 'date')),
		validTo: v.optional(
			v.union([v.literal(''), v.pipe(v.string(), v.regex(datePattern, 'date'))]),
			''
		),
		signupOpensHours: v.pipe(
			v.number('number'),
			v.integer('number'),
			v.minValue(1, 'number'),
			v.maxValue(24 * 60, 'number')
		),
		cancelCutoffHours: v.pipe(
			v.number('number'),
			v.integer('number'),
			v.minValue(0, 'number'),
			v.maxValue(24 * 14, 'number')
		),
		active: v.optional(v.boolean(), true)
	}),
	v.forward(
		v.check((t) => t.startTime < t.endTime, 'time_order'),
		['endTime']
	)
);
