import type { RequestEvent } from '@sveltejs/kit';

/** Seconds a page may be reused by the shared cache in front of the app (scripts/public-cache.js). */
export const SHARED_PAGE_SECONDS = 5;

/**
 * Marks a page that is the same for every visitor without a session, so the shared cache may reuse
 * it for a few seconds. Browsers still ask every time (max-age=0); a signed-in user's page is never
 * shared. The page must hold nothing made per request (no token, no nonce: CSP uses hashes).
 */
export function shareWithVisitors(event: Pick<RequestEvent, 'locals' | 'setHeaders'>) {
	if (event.locals.user) return;
	event.setHeaders({
		'cache-control': `public, max-age=0, s-maxage=${SHARED_PAGE_SECONDS}`,
		vary: 'Cookie, Accept-Language'
	});
}
