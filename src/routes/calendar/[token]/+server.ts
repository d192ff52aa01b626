import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { calendarFeed, feedLocale } from '$lib/server/duty/calendar';
import type { RequestHandler } from './$types';

/** A volunteer's iCal feed; the secret token in the URL is the only key. */
export const GET: RequestHandler = async ({ params, url }) => {
	const token = params.token.replace(/\.ics$/, '');
	const feed = /^[A-Za-z0-9_-]{20,64}$/.test(token)
		? await calendarFeed(await getDb(), token, new Date(), feedLocale(url))
		: null;
	if (!feed) error(404, 'not_found');
	return new Response(feed, {
		headers: {
			'Content-Type': 'text/calendar; charset=utf-8',
			'Cache-Control': 'private, max-age=300',
			'Referrer-Policy': 'no-referrer'
		}
	});
};
