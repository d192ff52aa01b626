import { and, eq } from 'drizzle-orm';
import { MAX_DESCRIPTION } from '$lib/domain/reporting';
import { fieldMessage } from '$lib/i18n/errors';
import { m } from '$lib/paraglide/messages.js';
import type { Db } from '../db';
import { categories, communities, reportEvents } from '../db/schema';
import { ReportError, submitReport, type Submission } from '../reports/intake';
import { checkApiKey } from './api-keys';
import { Open311Error } from './respond';

/*
 * POST requests: a GeoReport v2 form becomes a resident report through the same intake as the app
 * (submitReport): the same validation, duplicate and privacy rules, rate limits and queue.
 * Open311 fields map onto the intake's; what intake has no place for (email, names) is not kept.
 */

export interface Open311Form {
	get(name: string): string | null;
	getAll(name: string): string[];
	/** Every field name sent (so attribute[…] values are checked too). */
	names?(): string[];
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** The plain fields this adapter reads. */
const CHECKED: Record<string, true> = {
	service_code: true,
	description: true,
	lat: true,
	long: true,
	address_string: true,
	phone: true,
	media_url: true
};

export interface CreateResult {
	service_request_id: string;
	service_notice: string;
	account_id: null;
}

/** Mainland mobile numbers as people write them: +86 138 1234 5678, 0086-13812345678… */
export function normalisePhone(raw: string): string {
	const digits = raw.replace(/[\s\-().]/g, '');
	return digits.replace(/^(?:\+86|0086)(?=1\d{10}$)/, '');
}

/** Intake field names back to the Open311 parameter a client sent. */
function open311Field(field: string): string {
	if (field.startsWith('q_')) return `attribute[${field.slice(2)}]`;
	return (
		{
			category: 'service_code',
			lng: 'long',
			address: 'address_string',
			community: 'address_string'
		}[field] ?? field
	);
}

function problems(fields: Record<string, string>): string[] {
	return Object.entries(fields).map(([field, code]) =>
		m.open311_error_field({ field: open311Field(field), problem: fieldMessage(code) })
	);
}

/** The community an address names (by its name, short name or code), for reports without a point. */
async function communityIn(db: Db, address: string): Promise<string> {
	const rows = await db
		.select({ code: communities.code, name: communities.name, nameEn: communities.nameEn })
		.from(communities)
		.where(eq(communities.active, true));
	const text = address.toLowerCase();
	const word = (w: string) => {
		const clean = w.toLowerCase().replace(/[^a-z0-9-]/g, '');
		return clean ? new RegExp(`\\b${clean}\\b`) : /$^/;
	};
	// Full names first; a short name (繁昌 for 繁昌社区) only when just one community matches,
	// since roads often carry a community's short name (和平路).
	const shortMatches = rows.filter(
		(c) => c.name.endsWith('社区') && c.name.length > 3 && address.includes(c.name.slice(0, -2))
	);
	const found =
		rows.find((c) => address.includes(c.name)) ??
		rows.find((c) => (c.nameEn && word(c.nameEn).test(text)) || word(c.code).test(text)) ??
		(shortMatches.length === 1 ? shortMatches[0] : undefined);
	if (found) return found.code;
	throw new Open311Error(
		400,
		m.open311_error_location({ communities: rows.map((c) => c.name).join('、') })
	);
}

export async function createRequest(
	db: Db,
	form: Open311Form,
	ctx: { apiKey: string | null; idempotencyKey: string | null }
): Promise<CreateResult> {
	const key = await checkApiKey(db, ctx.apiKey);
	if (!key.ok) {
		if (key.reason === 'rate_limited')
			throw new Open311Error(
				429,
				m.open311_error_rate_limited({ seconds: String(key.retryAfterSeconds) }),
				{ 'Retry-After': String(key.retryAfterSeconds) }
			);
		throw new Open311Error(
			403,
			key.reason === 'missing'
				? m.open311_error_api_key_missing()
				: m.open311_error_api_key_invalid()
		);
	}

	const value = (name: string) => form.get(name)?.trim() ?? '';
	// Control characters (NUL above all) have no place in a report, and PostgreSQL refuses NUL.
	const names = form.names?.() ?? Object.keys(CHECKED);
	const withControls = names.filter(
		(name) =>
			(name in CHECKED || name.startsWith('attribute[')) &&
			form.getAll(name).some((v) => CONTROL.test(v))
	);
	if (withControls.length)
		throw new Open311Error(
			400,
			withControls.map((field) =>
				m.open311_error_field({ field, problem: fieldMessage('invalid_input') })
			)
		);
	const serviceCode = value('service_code');
	if (!serviceCode) throw new Open311Error(400, m.open311_error_service_code_missing());
	const [category] = await db
		.select({ id: categories.id, urgent: categories.urgent, questions: categories.questions })
		.from(categories)
		.where(and(eq(categories.code, serviceCode), eq(categories.active, true)));
	if (!category)
		throw new Open311Error(400, m.open311_error_service_code_unknown({ code: serviceCode }));

	const description = form.get('description') ?? '';
	if (description.length > MAX_DESCRIPTION)
		throw new Open311Error(400, m.open311_error_description_length());
	const lat = value('lat');
	const long = value('long');
	if ((lat === '') !== (long === '')) throw new Open311Error(400, m.open311_error_lat_long());
	const address = value('address_string');
	// Without a point, the address must name a community (the list is in the 400 answer).
	const community = lat === '' ? await communityIn(db, address) : '';
	const mediaUrl = value('media_url');
	if (mediaUrl && !/^https?:\/\/\S{1,2000}$/i.test(mediaUrl))
		throw new Open311Error(
			400,
			m.open311_error_field({ field: 'media_url', problem: fieldMessage('invalid_input') })
		);

	const attributeValues = (code: string) =>
		[...form.getAll(`attribute[${code}]`), ...form.getAll(`attribute[${code}][]`)].filter(
			(s) => s.trim() !== ''
		);
	const fields: Record<string, string> = {
		category: serviceCode,
		description,
		lat,
		lng: long,
		address,
		community,
		phone: normalisePhone(value('phone'))
	};
	const submission: Submission = {
		fields,
		getAll: (name) => (name.startsWith('q_') ? attributeValues(name.slice(2)) : []),
		photos: [],
		idempotencyKey: ctx.idempotencyKey ?? crypto.randomUUID(),
		// Intake's per-client limit then counts per API key (a partner server relays many people).
		reporter: { userId: null, deviceId: null, clientAddress: `open311:${key.id}` }
	};

	let outcome: Awaited<ReturnType<typeof submitReport>>;
	try {
		outcome = await submitReport(db, submission);
	} catch (error) {
		if (!(error instanceof ReportError)) throw error;
		if (error.status === 429) {
			const seconds = String(error.retryAfterSeconds ?? 60);
			throw new Open311Error(429, m.open311_error_rate_limited({ seconds }), {
				'Retry-After': seconds
			});
		}
		throw new Open311Error(
			400,
			error.fields && Object.keys(error.fields).length
				? problems(error.fields)
				: fieldMessage(error.code)
		);
	}
	const { report, replayed } = outcome;
	if (!replayed) {
		// For staff only: which client filed it, and the media link it sent (never fetched here).
		await db.insert(reportEvents).values({
			reportId: report.id,
			action: 'note',
			note: [`Open311 · ${key.name}`, mediaUrl].filter(Boolean).join(' · '),
			data: { channel: 'open311', apiKeyId: key.id, mediaUrl: mediaUrl || null }
		});
	}
	return {
		service_request_id: report.trackingCode,
		service_notice: category.urgent ? m.open311_notice_urgent() : m.open311_notice_received(),
		account_id: null
	};
}
