import { isHttpError, isRedirect, json, type RequestEvent } from '@sveltejs/kit';
import { errorMessage, fieldMessage } from '$lib/i18n/errors';
import { formObject } from '$lib/domain/validation';
import { mediaTypeOf } from '../http/media-type';
import { readMultipart, type MultipartForm } from '../http/multipart';

/** An error the JSON API reports as `{error: {code, message, fields}}`. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		readonly fields?: Record<string, string>,
		readonly headers?: Record<string, string>
	) {
		super(code);
	}
}

export function errorResponse(
	status: number,
	code: string,
	fields?: Record<string, string>,
	headers?: Record<string, string>
): Response {
	const error: Record<string, unknown> = { code, message: errorMessage(code) };
	if (fields)
		error.fields = Object.fromEntries(Object.entries(fields).map(([k, c]) => [k, fieldMessage(c)]));
	return json({ error }, { status, headers });
}

const statusCodes: Record<number, string> = {
	400: 'invalid_input',
	401: 'unauthenticated',
	403: 'forbidden',
	404: 'not_found',
	405: 'method_not_allowed',
	409: 'conflict',
	413: 'too_large',
	415: 'unsupported_media_type',
	422: 'idempotency_key_mismatch',
	429: 'rate_limited',
	503: 'database_unavailable'
};

const connectionErrorCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	'57P01', // admin_shutdown
	'57P03' // cannot_connect_now
]);

/** True for errors that mean the database is unreachable rather than the request being wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
	for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && connectionErrorCodes.has(code)) return true;
	}
	return false;
}

type Handler = (event: RequestEvent) => Promise<Response> | Response;

/**
 * Wraps a JSON endpoint so every failure leaves in the API's error format: known errors with
 * their status, a lost database as 503, and anything else as a 500 with only the request id.
 */
export function endpoint(handler: Handler): Handler {
	return async (event) => {
		try {
			return await handler(event);
		} catch (error) {
			if (error instanceof ApiError) {
				return errorResponse(error.status, error.code, error.fields, error.headers);
			}
			if (isRedirect(error)) throw error;
			if (isHttpError(error)) {
				return errorResponse(error.status, statusCodes[error.status] ?? 'error');
			}
			if (isDatabaseUnavailable(error)) {
				return errorResponse(503, 'database_unavailable', undefined, { 'Retry-After': '5' });
			}
			console.error(`[${event.locals.requestId}]`, error);
			return json(
				{
					error: {
						code: 'internal_error',
						message: errorMessage('internal_error'),
						requestId: event.locals.requestId
					}
				},
				{ status: 500 }
			);
		}
	};
}

/**
 * A body that could not be read: 413 when it is over the server's limit (SvelteKit errors the
 * body stream with status 413 for BODY_SIZE_LIMIT), else 400 with `code`.
 */
function unreadableBody(error: unknown, code: string): ApiError {
	return (error as { status?: unknown } | null)?.status === 413
		? new ApiError(413, 'too_large')
		: new ApiError(400, code);
}

/** Reads a JSON object body, or fails with 400, 413 or 415. */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
	if (mediaTypeOf(request) !== 'application/json')
		throw new ApiError(415, 'unsupported_media_type');
	let body: unknown;
	try {
		body = await request.json();
	} catch (error) {
		throw unreadableBody(error, 'invalid_json');
	}
	if (!body || typeof body !== 'object' || Array.isArray(body))
		throw new ApiError(400, 'invalid_json');
	return body as Record<string, unknown>;
}

/** Reads an urlencoded form's text fields (the first value of each), or fails with 400 or 413. */
export async function readUrlEncodedBody(request: Request): Promise<Record<string, string>> {
	try {
		return formObject(await request.formData());
	} catch (error) {
		throw unreadableBody(error, 'invalid_input');
	}
}

/**
 * Reads a multipart/form-data body, or fails with 400, 413 or 415. A multipart type without a
 * usable boundary is a malformed request (400), not an unsupported type.
 */
export async function readMultipartBody(request: Request): Promise<MultipartForm> {
	if (mediaTypeOf(request) !== 'multipart/form-data')
		throw new ApiError(415, 'unsupported_media_type');
	try {
		return await readMultipart(request);
	} catch (error) {
		throw unreadableBody(error, 'invalid_input');
	}
}
