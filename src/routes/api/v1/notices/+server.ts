import { json } from '@sveltejs/kit';
import { toIsoLocal } from '$lib/domain/local-time';
import { endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import { listPublishedNotices } from '$lib/server/notices/notices';

export const GET = endpoint(async ({ url }) => {
	const notices = await listPublishedNotices(await getDb());
	return json(
		notices.map((n) => ({
			id: n.id,
			title: n.title,
			summary: n.summary,
			publishedAt: toIsoLocal(n.publishedAt),
			pinned: n.pinned,
			url: `${url.origin}/notices/${n.id}`,
			cover: n.cover ? { url: `${url.origin}${n.cover.url}`, alt: n.cover.alt } : null
		})),
		{ headers: { 'Cache-Control': 'public, max-age=60' } }
	);
});
