import { getDb } from '$lib/server/db';
import { noticesAtom } from '$lib/server/notices/atom';
import { getPublishedNotice, listPublishedNotices } from '$lib/server/notices/notices';
import { m } from '$lib/paraglide/messages.js';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const db = await getDb();
	const listed = await listPublishedNotices(db, { limit: 30 });
	const items = [];
	for (const n of listed) {
		const full = await getPublishedNotice(db, n.id);
		if (full) items.push({ ...n, html: full.html });
	}
	const xml = noticesAtom(
		url.origin,
		{ title: m.notices_feed_title(), subtitle: m.notices_feed_subtitle() },
		items
	);
	return new Response(xml, {
		headers: {
			'Content-Type': 'application/atom+xml; charset=utf-8',
			'Cache-Control': 'public, max-age=300'
		}
	});
};
