import * as v from 'valibot';
import { timePattern } from './duty';

export const activityKinds = ['cleanup', 'publicity'] as const;
export type ActivityKind = (typeof activityKinds)[number];

const text = (max: number) =>
	v.pipe(v.string('required'), v.trim(), v.minLength(1, 'required'), v.maxLength(max, 'too_long'));

/** A one-off activity as staff create it; the same schema checks the form and tests. */
export const activitySchema = v.pipe(
	v.object({
		kind: v.picklist(activityKinds, 'choice'),
		title: text(100),
		description: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2000, 'too_long')), ''),
		place: text(200),
		/** The post where people gather: its code checks them in. */
		post: v.pipe(v.string('required'), v.uuid('choice')),
		day: v.pipe(v.string('required'), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'date')),
		startTime: v.pipe(v.string('required'), v.regex(timePattern, 'date')),
		endTime: v.pipe(v.string('required'), v.regex(timePattern, 'date')),
		capacity: v.pipe(
			v.union([v.string(), v.number()], 'number'),
			v.transform(Number),
			v.integer('number'),
			v.minValue(1, 'number'),
			v.maxValue(500, 'number')
		),
		responsiblePerson: text(50)
	}),
	v.forward(
		v.check((a) => a.startTime < a.endTime, 'activity_times'),
		['endTime']
	)
);
export type ActivityInput = v.InferOutput<typeof activitySchema>;
