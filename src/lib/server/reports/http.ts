import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { ApiError } from '../api/errors';
import { payloadHash } from '../api/idempotency';
import { newDeviceId } from './secrets';
import type { Db } from '../db';
import { readMultipart, type MultipartForm } from '../http/multipart';
import { ReportError, submitReport, type Submission, type SubmittedReport } from './intake';
import { kickPhotoFinishing, noteReportTaken } from './photo-finishing';
import { reporterToken } from './secrets';

/*
 * The bits the report routes share: the anonymous device cookie, reading a multipart report, and
 * turning domain errors into API errors.
 */

export const DEVICE_COOKIE = 'jx_device';
const DEVICE_PATTERN = /^[a-z2-7]{32}$/;

/** The device id from its cookie, or null. */
export function readDevice(cookies: Cookies): string | null {
	const value = cookies.get(DEVICE_COOKIE);
	return value && DEVICE_PATTERN.test(value) ? value : null;
}

/** The device id, setting a new cookie (a year, httpOnly) when there is none yet. */
export function ensureDevice(event: Pick<RequestEvent, 'cookies' | 'url'>): string {
	const existing = readDevice(event.cookies);
	if (existing) return existing;
	const id = newDeviceId();
	event.cookies.set(DEVICE_COOKIE, id, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: event.url.protocol === 'https:',
		maxAge: 365 * 86_400
	});
	return id;
}

/**
 * Who sends a form: the user, else the address. Not the device cookie: the first post sets it, so
 * a form sent again after going back would look like another sender's.
 */
export function senderOf(event: Pick<RequestEvent, 'locals' | 'getClientAddress'>) {
	return event.locals.user?.id ?? event.getClientAddress();
}

/**
 * The no-JS form's Idempotency-Key when its page carries none: a UUID from the sender and every
 * field and photo, so the same form posted twice makes one report.
 */
export function contentKey(sender: string, submission: Pick<Submission, 'fields' | 'photos'>) {
	const fields = { ...submission.fields };
	delete fields.idempotencyKey;
	const hex = payloadHash({ sender, fields, photos: submission.photos });
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * What a refused no-JS form is filled in with again: each field's value, and every value of a
 * field sent more than once (a multi-choice answer). Never the phone number.
 */
export function refillOf(submission: Pick<Submission, 'fields' | 'getAll'>) {
	const values = { ...submission.fields };
	delete values.phone;
	const choices = Object.fromEntries(
		Object.keys(values)
			.map((name) => [name, submission.getAll(name)] as const)
			.filter(([, all]) => all.length > 1)
	);
	return { values, choices };
}

/**
 * A report's multipart body. One that is not well-formed is the sender's error: 400, or 413 when
 * it is over the server's body limit.
 */
export async function readReportForm(request: Request): Promise<MultipartForm> {
	try {
		return await readMultipart(request);
	} catch (error) {
		if ((error as { status?: unknown }).status === 413) throw new ReportError(413, 'too_large');
		throw new ReportError(400, 'invalid_input');
	}
}

/** A report from its form (the API and the no-JS form send the same fields). */
export function readSubmission(
	event: RequestEvent,
	form: MultipartForm,
	idempotencyKey: string | null
): Submission {
	return {
		fields: form.fields(),
		getAll: (name) => form.getAll(name),
		photos: form.files('photos'),
		idempotencyKey,
		reporter: {
			userId: event.locals.user?.id ?? null,
			deviceId: ensureDevice(event),
			clientAddress: event.getClientAddress()
		}
	};
}

export function toApiError(error: unknown): unknown {
	if (!(error instanceof ReportError)) return error;
	return new ApiError(
		error.status,
		error.code,
		error.fields,
		error.retryAfterSeconds ? { 'Retry-After': String(error.retryAfterSeconds) } : undefined
	);
}

/**
 * Takes a resident's report, then starts finishing its photos on this server, after the answer.
 * A replay kicks too: it often follows a crash that left the first request's photos waiting.
 */
export async function takeReport(db: Db, submission: Submission) {
	const result = await submitReport(db, submission);
	noteReportTaken();
	if (submission.photos.length) kickPhotoFinishing(db);
	return result;
}

export const trackingPath = (code: string) => `/r/${code}`;

/** The reporter's secret link: it lets them rate or reopen from any device. */
export const reporterPath = (report: Pick<SubmittedReport, 'id' | 'trackingCode'>) =>
	`${trackingPath(report.trackingCode)}?key=${reporterToken(report.id)}`;
