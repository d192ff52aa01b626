import * as v from 'valibot';

/** The three shopfront duties (门前三包): 市容, 环境卫生, 秩序. */
export const duties = ['appearance', 'sanitation', 'order'] as const;
export type Duty = (typeof duties)[number];
export type DutyResult = 'pass' | 'fail';

export function isDuty(value: unknown): value is Duty {
	return typeof value === 'string' && (duties as readonly string[]).includes(value);
}

const text = (max: number) =>
	v.optional(v.pipe(v.string(), v.trim(), v.maxLength(max, 'shops_too_long')), '');
const required = (max: number) =>
	v.pipe(
		v.string('required'),
		v.trim(),
		v.minLength(1, 'required'),
		v.maxLength(max, 'shops_too_long')
	);
const coordinate = (min: number, max: number) =>
	v.optional(
		v.union(
			[
				v.pipe(
					v.literal(''),
					v.transform(() => null)
				),
				v.pipe(
					v.string(),
					v.trim(),
					v.regex(/^-?\d{1,3}(\.\d+)?$/, 'shops_coordinate'),
					v.transform(Number),
					v.minValue(min, 'shops_coordinate'),
					v.maxValue(max, 'shops_coordinate')
				)
			],
			'shops_coordinate'
		),
		''
	);

/** A shop as typed in the form or read from one import row (all values as strings). */
export const shopSchema = v.pipe(
	v.object({
		name: required(100),
		address: required(200),
		community: text(64),
		lat: coordinate(-90, 90),
		lng: coordinate(-180, 180),
		ownerName: text(50),
		ownerContact: v.optional(
			v.pipe(
				v.string(),
				v.trim(),
				v.check((s) => s === '' || /^[0-9+\-\s()]{5,20}$/.test(s), 'shops_contact')
			),
			''
		),
		appearance: text(500),
		sanitation: text(500),
		order: text(500)
	}),
	v.forward(
		v.check((s) => (s.lat === null) === (s.lng === null), 'shops_coordinate'),
		['lng']
	)
);
export type ShopInput = v.InferOutput<typeof shopSchema>;

/**
 * Import column headers, in Chinese or English, to shop fields. Headers are matched after
 * trimming and lower-casing.
 */
export const importHeaders: Record<string, keyof ShopInput> = {
	名称: 'name',
	店名: 'name',
	商户名称: 'name',
	name: 'name',
	地址: 'address',
	address: 'address',
	社区: 'community',
	community: 'community',
	纬度: 'lat',
	lat: 'lat',
	latitude: 'lat',
	经度: 'lng',
	lng: 'lng',
	longitude: 'lng',
	负责人: 'ownerName',
	owner: 'ownerName',
	联系电话: 'ownerContact',
	电话: 'ownerContact',
	contact: 'ownerContact',
	phone: 'ownerContact',
	市容: 'appearance',
	appearance: 'appearance',
	环境卫生: 'sanitation',
	sanitation: 'sanitation',
	秩序: 'order',
	order: 'order'
};

const isoDate = v.pipe(
	v.string('required'),
	v.trim(),
	v.regex(/^\d{4}-\d{2}-\d{2}$/, 'campaign_date'),
	v.check((s) => !Number.isNaN(new Date(`${s}T00:00:00Z`).getTime()), 'campaign_date')
);

/** A new inspection campaign: its shops by community or by list, and a date range. */
export const campaignSchema = v.pipe(
	v.object({
		name: v.pipe(
			v.string('required'),
			v.trim(),
			v.minLength(1, 'required'),
			v.maxLength(100, 'shops_too_long')
		),
		startsOn: isoDate,
		endsOn: isoDate,
		by: v.picklist(['community', 'list'], 'choice'),
		communities: v.array(v.string()),
		shops: v.array(v.string())
	}),
	v.forward(
		v.check((c) => c.endsOn >= c.startsOn, 'campaign_dates'),
		['endsOn']
	),
	v.forward(
		v.check((c) => c.by !== 'community' || c.communities.length > 0, 'campaign_no_shops'),
		['communities']
	),
	v.forward(
		v.check((c) => c.by !== 'list' || c.shops.length > 0, 'campaign_no_shops'),
		['shops']
	)
);
export type CampaignInput = v.InferOutput<typeof campaignSchema>;

const result = v.picklist(['pass', 'fail'], 'choice');

/** One inspection as the phone sends it (multipart fields, all strings). */
export const inspectionSchema = v.object({
	clientId: v.pipe(v.string('required'), v.uuid('choice')),
	shopId: v.pipe(v.string('required'), v.uuid('choice')),
	inspectedAt: v.pipe(
		v.string('required'),
		v.isoTimestamp('campaign_date'),
		v.transform((s) => new Date(s))
	),
	appearance: result,
	sanitation: result,
	order: result,
	note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(500, 'shops_too_long')), '')
});
export type InspectionInput = v.InferOutput<typeof inspectionSchema>;
