import { and, asc, eq } from 'drizzle-orm';
import { groupLabel, localName } from '$lib/i18n/labels';
import { m } from '$lib/paraglide/messages.js';
import type { Db } from '../db';
import { categories, subdistricts } from '../db/schema';
import { Open311Error } from './respond';

/*
 * Service discovery, the service list and service definitions: the active categories as
 * GeoReport v2 services, their extra questions as attributes. Names follow the request's language.
 */

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
export const FORMATS = ['text/xml', 'application/json'];
/** Changes when the server starts: clients refresh cached service lists then. */
const STARTED = new Date();

export async function discovery(
	db: Db,
	input: { origin: string; locale: string; test: boolean },
	changeset: Date = STARTED
) {
	const [area] = await db
		.select({ name: subdistricts.name, nameEn: subdistricts.nameEn })
		.from(subdistricts)
		.limit(1);
	const name = area ? localName(area, input.locale) : '';
	const stamp = changeset.toISOString();
	return {
		changeset: stamp,
		contact: m.open311_contact({ name }),
		key_service: m.open311_key_service({ name }),
		endpoints: [
			{
				specification: SPECIFICATION,
				url: `${input.origin}/open311/v2`,
				changeset: stamp,
				type: input.test ? 'test' : 'production',
				formats: FORMATS
			}
		]
	};
}

export interface Open311Service {
	service_code: string;
	service_name: string;
	description: string | null;
	metadata: boolean;
	type: 'realtime';
	keywords: string | null;
	group: string;
}

export async function listServices(db: Db, locale: string): Promise<Open311Service[]> {
	const rows = await db
		.select()
		.from(categories)
		.where(eq(categories.active, true))
		.orderBy(asc(categories.sortOrder), asc(categories.code));
	return rows.map((c) => ({
		service_code: c.code,
		service_name: localName(c, locale),
		description: c.description || null,
		metadata: c.questions.length > 0,
		type: 'realtime',
		keywords: c.keywords.length ? c.keywords.join(', ') : null,
		group: groupLabel[c.group]()
	}));
}

export interface Open311Attribute {
	variable: boolean;
	code: string;
	datatype: string;
	required: boolean;
	datatype_description: string | null;
	order: number;
	description: string;
	values: { key: string; name: string }[];
}

/** The definition of one active service; 404 when there is none. */
export async function serviceDefinition(db: Db, code: string, locale: string) {
	const [category] = await db
		.select()
		.from(categories)
		.where(and(eq(categories.code, code), eq(categories.active, true)));
	if (!category) throw new Open311Error(404, m.open311_error_service_not_found({ code }));
	const attributes: Open311Attribute[] = category.questions.map((q, i) => ({
		variable: true,
		code: q.code,
		datatype: q.datatype,
		required: q.required,
		datatype_description: null,
		order: i + 1,
		description: locale === 'en' && q.labelEn ? q.labelEn : q.label,
		values: (q.values ?? []).map((v) => ({
			key: v.key,
			name: locale === 'en' && v.nameEn ? v.nameEn : v.name
		}))
	}));
	return { service_code: category.code, attributes };
}
