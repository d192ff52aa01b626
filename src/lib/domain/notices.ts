import * as v from 'valibot';
import { parseLocalDateTime } from './local-time';

const checkbox = v.optional(
	v.pipe(
		v.string(),
		v.transform((s) => s === 'on' || s === 'true' || s === '1')
	),
	'false'
);
const localDateTime = v.pipe(
	v.string('required'),
	v.trim(),
	v.check((s) => parseLocalDateTime(s) !== null, 'notices_date'),
	v.transform((s) => parseLocalDateTime(s)!)
);

/** A notice as staff write it; the same schema checks the form and tests. */
export const noticeSchema = v.pipe(
	v.object({
		title: v.pipe(
			v.string('required'),
			v.trim(),
			v.minLength(1, 'required'),
			v.maxLength(100, 'notices_too_long')
		),
		body: v.pipe(
			v.string('required'),
			v.trim(),
			v.minLength(1, 'required'),
			v.maxLength(20000, 'notices_too_long')
		),
		pinned: checkbox,
		publishFrom: localDateTime,
		publishUntil: v.optional(
			v.union(
				[
					v.pipe(
						v.literal(''),
						v.transform(() => null)
					),
					localDateTime
				],
				'notices_date'
			),
			''
		)
	}),
	v.forward(
		v.check((n) => !n.publishUntil || n.publishUntil > n.publishFrom, 'notices_window'),
		['publishUntil']
	)
);
export type NoticeInput = v.InferOutput<typeof noticeSchema>;
