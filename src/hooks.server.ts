import {
	json,
	type Handle,
	type HandleServerError,
	type RequestEvent,
	type ServerInit
} from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { errorResponse, isDatabaseUnavailable } from '$lib/server/api/errors';
import {
	SESSION_COOKIE,
	deleteSessionCookie,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/auth/session';
import { config } from '$lib/server/config';
import { database, getDb, surviveDriverWriteRace } from '$lib/server/db';
import { guardFormData } from '$lib/server/http/form-body';
import { mediaTypeOf } from '$lib/server/http/media-type';
import { withRequestLocale } from '$lib/server/http/locale';
import { errorResponse as open311ErrorResponse, Open311Error } from '$lib/server/open311/respond';
import { seedDemo } from '$lib/server/seed/demo';
import { seedDemoCases } from '$lib/server/reports/demo-cases';
import { startEscalationJob } from '$lib/server/jobs/escalation';
import { startRevisitJob } from '$lib/server/jobs/revisits';
import { startDutyJobs } from '$lib/server/duty/jobs';
import { photoFinishing, startPhotoFinishingJob } from '$lib/server/reports/photo-finishing';
import { startOrphanUploadSweep } from '$lib/server/reports/orphan-uploads';
import { m } from '$lib/paraglide/messages.js';

export const init: ServerInit = async () => {
	// Prerendering at build time needs no database.
	if (building) return;
	const { db, kind, close } = await database();
	if (kind === 'postgres') surviveDriverWriteRace();
	if (config.seedDemo && (await seedDemo(db))) {
		await seedDemoCases(db);
		console.log('[seed] demo data loaded');
	}
	const stops = [
		startEscalationJob(db),
		startRevisitJob(db),
		startDutyJobs(db),
		startPhotoFinishingJob(db),
		startOrphanUploadSweep(db)
	];
	// adapter-node closes the server on SIGTERM/SIGINT, then emits this; the open database pool
	// would otherwise keep the process alive until it is killed.
	process.once('sveltekit:shutdown', async () => {
		for (const stop of stops) stop();
		await photoFinishing();
		await close();
	});
};

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Login and sign-up are origin-checked even without a cookie, against login CSRF.
const ALWAYS_ORIGIN_CHECKED = ['/api/v1/auth/login', '/api/v1/auth/signup'];

const i18n: Handle = ({ event, resolve }) =>
	withRequestLocale(event.request, event.url.origin, (locale) =>
		resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		})
	);

const FORM_TYPES = new Set([
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'application/x-sveltekit-formdata'
]);
// Open311 clients post forms from their servers (no Origin) or from web apps on other origins.
// Those routes read no cookie (an api_key authenticates each create), so a cross-site form without
// a session acts for no one. One that carries the session cookie is refused as everywhere else.
const OPEN311 = '/open311/v2/';

/** SvelteKit's cross-site form check (csrf.checkOrigin), but for cookie-less Open311 posts. */
function crossSiteForm(event: RequestEvent): boolean {
	return (
		MUTATING.has(event.request.method) &&
		FORM_TYPES.has(mediaTypeOf(event.request)) &&
		event.request.headers.get('origin') !== event.url.origin &&
		!(event.url.pathname.startsWith(OPEN311) && event.cookies.get(SESSION_COOKIE) === undefined)
	);
}

const security: Handle = async ({ event, resolve }) => {
	event.locals.requestId = crypto.randomUUID();
	const { pathname } = event.url;
	if (crossSiteForm(event)) {
		if (pathname.startsWith(OPEN311))
			return open311ErrorResponse(
				pathname.endsWith('.xml') ? 'xml' : 'json',
				new Open311Error(403, m.open311_error_cross_site_session())
			);
		const message = `Cross-site ${event.request.method} form submissions are forbidden`;
		return event.request.headers.get('accept') === 'application/json'
			? json({ message }, { status: 403 })
			: new Response(message, { status: 403, headers: { 'Content-Type': 'text/plain' } });
	}
	if (pathname.startsWith('/api/') && MUTATING.has(event.request.method)) {
		const needsOrigin =
			event.cookies.get(SESSION_COOKIE) !== undefined || ALWAYS_ORIGIN_CHECKED.includes(pathname);
		if (needsOrigin && event.request.headers.get('origin') !== event.url.origin) {
			return errorResponse(403, 'cross_origin');
		}
	}
	if (MUTATING.has(event.request.method)) guardFormData(event.request);
	const response = await resolve(event);
	const headers = response.headers;
	headers.set('X-Request-Id', event.locals.requestId);
	headers.set('X-Content-Type-Options', 'nosniff');
	headers.set('X-Frame-Options', 'DENY');
	headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	headers.set(
		'Permissions-Policy',
		'camera=(self), geolocation=(self), microphone=(), payment=(), usb=(), bluetooth=(), serial=(), hid=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), interest-cohort=()'
	);
	if (config.production)
		headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	return response;
};

const auth: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		try {
			const result = await validateSessionToken(await getDb(), token);
			if (result) {
				event.locals.user = result.user;
				event.locals.session = result.session;
				setSessionCookie(event, token, result.session.expiresAt);
			} else {
				deleteSessionCookie(event.cookies);
			}
		} catch (error) {
			if (!isDatabaseUnavailable(error)) throw error;
			if (event.url.pathname.startsWith('/api/')) {
				return errorResponse(503, 'database_unavailable', undefined, { 'Retry-After': '5' });
			}
			return new Response(m.error_database_unavailable(), {
				status: 503,
				headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5' }
			});
		}
	}
	return resolve(event);
};

// Pages and JSON are made per request, so adapter-node's precompressed static files do not cover
// them; on a phone link the HTML of a form page is most of the first load.
const COMPRESSIBLE = /^(text\/html|application\/json)\b/;
const MIN_COMPRESS_BYTES = 1024;

const compression: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const headers = response.headers;
	const length = Number(headers.get('content-length') ?? Infinity);
	if (
		!response.body ||
		event.request.method === 'HEAD' ||
		headers.has('content-encoding') ||
		!COMPRESSIBLE.test(headers.get('content-type') ?? '') ||
		length < MIN_COMPRESS_BYTES
	)
		return response;
	// Said on plain answers too, so a shared cache never gives one to a browser that takes gzip.
	headers.append('Vary', 'Accept-Encoding');
	if (!/\bgzip\b/.test(event.request.headers.get('accept-encoding') ?? '')) return response;
	headers.set('Content-Encoding', 'gzip');
	headers.delete('Content-Length');
	return new Response(response.body.pipeThrough(new CompressionStream('gzip')), {
		status: response.status,
		statusText: response.statusText,
		headers
	});
};

export const handle = sequence(compression, i18n, security, auth);

/** Logs the full error with the request id; the page or API only ever sees the id. */
export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status === 404) return { message: m.error_not_found() };
	const requestId = event.locals.requestId ?? crypto.randomUUID();
	console.error(`[${requestId}] ${event.request.method} ${event.url.pathname}`, error);
	if (isDatabaseUnavailable(error)) return { message: m.error_database_unavailable(), requestId };
	return { message: m.error_internal(), requestId };
};
