import * as v from 'valibot';
import { roles } from './roles';
import { categoryGroups } from './categories';

/**
 * Shared input schemas: the same schema checks a form post, a JSON body and a test. Each issue's
 * message is a problem code (see `fieldMessages`), translated where it is shown.
 */
export const phoneSchema = v.pipe(
	v.string('required'),
	v.trim(),
	v.regex(/^1[3-9]\d{9}$/, 'phone')
);
export const passwordSchema = v.pipe(
	v.string('required'),
	v.minLength(8, 'password'),
	v.maxLength(200, 'password')
);
export const nameSchema = v.pipe(
	v.string('required'),
	v.trim(),
	v.minLength(1, 'required'),
	v.maxLength(50, 'name')
);
const optionalCode = v.optional(
	v.pipe(
		v.string('choice'),
		v.trim(),
		v.transform((s) => s || undefined)
	)
);

export const loginSchema = v.object({
	phone: phoneSchema,
	password: v.pipe(v.string('required'), v.minLength(1, 'required'), v.maxLength(200, 'password'))
});

export const signupSchema = v.object({
	phone: phoneSchema,
	password: passwordSchema,
	name: nameSchema,
	role: v.picklist(['resident', 'volunteer'], 'role'),
	community: optionalCode
});

/** A list's page number from the query string: 1 when absent. */
export const pageNumberSchema = v.optional(
	v.pipe(
		v.string(),
		v.transform((s) => s || '1'),
		v.regex(/^\d{1,6}$/, 'number'),
		v.transform(Number),
		v.minValue(1, 'number')
	),
	'1'
);

export type ParseResult<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> };

/** Runs a schema and returns either the value or a problem code per field. */
export function parseInput<S extends v.GenericSchema>(
	schema: S,
	input: unknown
): ParseResult<v.InferOutput<S>> {
	const result = v.safeParse(schema, input);
	if (result.success) return { ok: true, value: result.output };
	const fields: Record<string, string> = {};
	for (const issue of result.issues) {
		const key = issue.path?.map((p) => String(p.key)).join('.') || '_';
		fields[key] ??= issue.message;
	}
	return { ok: false, fields };
}

/** FormData as a plain object of its first values (strings only). */
export function formObject(form: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of form) if (typeof value === 'string' && !(key in out)) out[key] = value;
	return out;
}

export const staffUserSchema = v.object({
	phone: phoneSchema,
	password: passwordSchema,
	name: nameSchema,
	role: v.picklist(roles, 'role'),
	community: optionalCode,
	department: optionalCode
});

const checkbox = v.optional(
	v.pipe(
		v.string(),
		v.transform((s) => s === 'on' || s === 'true' || s === '1')
	),
	'false' as string
);
const intInRange = (min: number, max: number) =>
	v.pipe(
		v.string('required'),
		v.trim(),
		v.regex(/^\d+$/, 'number'),
		v.transform(Number),
		v.minValue(min, 'number'),
		v.maxValue(max, 'number')
	);
const codeSchema = v.pipe(
	v.string('required'),
	v.trim(),
	v.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'choice')
);
const optionalText = v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200, 'name')), '');

export const categoryEditSchema = v.object({
	code: codeSchema,
	name: nameSchema,
	nameEn: optionalText,
	group: v.picklist(categoryGroups, 'choice'),
	department: optionalCode,
	deadlineHours: intInRange(1, 2000),
	urgentDeadlineHours: intInRange(1, 2000),
	duplicateRadiusM: intInRange(0, 5000),
	urgent: checkbox,
	indoor: checkbox,
	active: checkbox
});

/** A grid's row on the communities page: who answers for it, and its English name. */
export const gridEditSchema = v.object({
	gridId: v.pipe(v.string(), v.uuid()),
	responsibleName: nameSchema,
	nameEn: optionalText
});

export const departmentEditSchema = v.object({
	code: codeSchema,
	name: nameSchema,
	nameEn: optionalText,
	kind: v.picklist(['internal', 'community', 'external'], 'choice'),
	active: checkbox
});

export const communityEditSchema = v.object({
	code: codeSchema,
	name: nameSchema,
	nameEn: optionalText,
	boundary: v.optional(v.pipe(v.string(), v.trim()), ''),
	active: checkbox
});

export const userEditSchema = v.object({
	name: nameSchema,
	role: v.picklist(roles, 'role'),
	community: optionalCode,
	department: optionalCode,
	password: v.optional(v.union([v.literal(''), passwordSchema], 'password'), ''),
	disabled: checkbox
});
