import { json, type RequestEvent } from '@sveltejs/kit';
import { ApiError, endpoint, errorResponse } from '../api/errors';
import { DutyError } from './errors';
import type { StoredResponse } from './idempotency';

/** `endpoint` that also turns duty refusals into the API's error format. */
export function dutyEndpoint(handler: (event: RequestEvent) => Promise<Response> | Response) {
	return endpoint(async (event) => {
		try {
			return await handler(event);
		} catch (error) {
			if (error instanceof DutyError) throw new ApiError(error.status, error.code, error.fields);
			throw error;
		}
	});
}

/** A stored (idempotent) answer as a response; refusals get their message in today's language. */
export function storedResponse(stored: StoredResponse): Response {
	const body = stored.body as { error?: { code: string; fields?: Record<string, string> } };
	if (body?.error) return errorResponse(stored.status, body.error.code, body.error.fields);
	return json(stored.body, { status: stored.status });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is a UUID, or 404 (never a database cast error). */
export function uuidParam(value: string | undefined): string {
	if (!value || !uuidPattern.test(value)) throw new DutyError('not_found', 404);
	return value.toLowerCase();
}

export function isUuid(value: string | null | undefined): value is string {
	return !!value && uuidPattern.test(value);
}
