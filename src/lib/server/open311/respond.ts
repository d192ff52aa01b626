import type { RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { isDatabaseUnavailable } from '../api/errors';
import { xmlDocument, type XmlValue } from './xml';

/*
 * Responses and errors as GeoReport v2 says: XML (text/xml) or JSON by the path's extension;
 * errors are a list of {code, description} with HTTP 400, 403 for the api_key, 404 for the unknown.
 */

export type Format = 'json' | 'xml';

export function parseFormat(value: string): Format | null {
	return value === 'json' || value === 'xml' ? value : null;
}

export interface Open311Problem {
	code: number;
	description: string;
}

export class Open311Error extends Error {
	readonly problems: Open311Problem[];
	constructor(
		readonly status: number,
		description: string | string[],
		readonly headers: Record<string, string> = {}
	) {
		super(Array.isArray(description) ? description.join('; ') : description);
		this.problems = (Array.isArray(description) ? description : [description]).map((d) => ({
			code: status,
			description: d
		}));
	}
}

const contentTypes: Record<Format, string> = {
	json: 'application/json; charset=utf-8',
	xml: 'text/xml; charset=utf-8'
};

/** `root` names the XML root element (services, service_requests, discovery…). */
export function respond(
	format: Format,
	root: string,
	body: unknown,
	status = 200,
	headers: Record<string, string> = {}
): Response {
	const text = format === 'xml' ? xmlDocument(root, body as XmlValue) : JSON.stringify(body);
	return new Response(text, {
		status,
		headers: {
			'Content-Type': contentTypes[format],
			// Public data, and no cookie is ever read here (an api_key authenticates a create), so
			// web apps on any origin may read the answers.
			'Access-Control-Allow-Origin': '*',
			...headers
		}
	});
}

export function errorResponse(format: Format, error: Open311Error): Response {
	return respond(format, 'errors', error.problems, error.status, error.headers);
}

type Handler = (event: RequestEvent, format: Format) => Promise<Response> | Response;

/**
 * Wraps an Open311 endpoint: picks the format from the `format` route parameter (an unknown one
 * is 404), and turns every failure into the spec's error list in that format.
 */
export function open311(handler: Handler) {
	return async (event: RequestEvent): Promise<Response> => {
		const format = parseFormat(event.params.format ?? '');
		if (!format) return errorResponse('json', new Open311Error(404, m.open311_error_format()));
		try {
			return await handler(event, format);
		} catch (error) {
			if (error instanceof Open311Error) return errorResponse(format, error);
			if (isDatabaseUnavailable(error)) {
				return errorResponse(
					format,
					new Open311Error(503, m.open311_error_unavailable(), { 'Retry-After': '5' })
				);
			}
			console.error(`[${event.locals.requestId}]`, error);
			return errorResponse(
				format,
				new Open311Error(500, m.open311_error_internal({ requestId: event.locals.requestId }))
			);
		}
	};
}

/** ISO 8601 with the +08:00 offset (China Standard Time has no daylight saving). */
export function chinaTime(date: Date): string {
	const shifted = new Date(date.getTime() + 8 * 3_600_000);
	return shifted.toISOString().replace(/\.\d{3}Z$/, '+08:00');
}
