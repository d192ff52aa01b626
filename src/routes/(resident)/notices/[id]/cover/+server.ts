import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { canPublishNotices, noticeCoverKey } from '$lib/server/notices/notices';
import { photoStore } from '$lib/server/reports/photos';
import type { RequestHandler } from './$types';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A notice's cover: public while the notice is live; its publishers also see it before. */
export const GET: RequestHandler = async ({ params, locals }) => {
	if (!uuid.test(params.id)) error(404, 'not_found');
	const db = await getDb();
	const publisher = await canPublishNotices(db, locals.user);
	const key = await noticeCoverKey(db, params.id, { anyState: publisher });
	const data = key && (await photoStore().get(key));
	if (!data) error(404, 'not_found');
	return new Response(new Uint8Array(data), {
		headers: {
			'Content-Type': 'image/jpeg',
			'Content-Length': String(data.byteLength),
			// The URL carries the notice's version, so a long cache is safe; private for previews.
			'Cache-Control': publisher ? 'private, no-store' : 'public, max-age=604800, immutable',
			'Content-Disposition': 'inline'
		}
	});
};
