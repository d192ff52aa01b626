import * as v from 'valibot';

const name = v.pipe(
	v.string('required'),
	v.trim(),
	v.minLength(1, 'required'),
	v.maxLength(100, 'name')
);
const optional = v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100, 'name')), '');
const checkbox = v.optional(
	v.pipe(
		v.string(),
		v.transform((s) => s === 'on' || s === 'true' || s === '1')
	),
	'false'
);

export const propertyCompanySchema = v.object({ name, contactName: optional });

export const compoundSchema = v.object({
	code: v.pipe(v.string('required'), v.trim(), v.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'choice')),
	name,
	community: v.pipe(v.string('required'), v.trim(), v.minLength(1, 'required')),
	propertyCompany: optional
});

/** A fire-hydrant water check (无水小区 when no water). */
export const hydrantCheckSchema = v.object({
	compoundId: v.pipe(v.string('required'), v.uuid('choice')),
	checkedOn: v.pipe(v.string('required'), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'campaign_date')),
	noWater: checkbox,
	note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(500, 'shops_too_long')), '')
});
