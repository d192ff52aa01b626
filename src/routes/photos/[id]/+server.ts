import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { photoStore } from '$lib/server/reports/photos';
import { publicPhoto } from '$lib/server/reports/public';
import type { RequestHandler } from './$types';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A report photo, only when it is public. Server-made names: nothing of the upload leaks. */
export const GET: RequestHandler = async ({ params }) => {
	if (!uuid.test(params.id)) error(404, 'not_found');
	const photo = await publicPhoto(await getDb(), params.id);
	const data = photo && (await photoStore().get(photo.storageKey));
	if (!photo || !data) error(404, 'not_found');
	return new Response(new Uint8Array(data), {
		headers: {
			'Content-Type': photo.contentType,
			'Content-Length': String(data.byteLength),
			'Cache-Control': 'public, max-age=86400',
			'Content-Disposition': 'inline'
		}
	});
};
