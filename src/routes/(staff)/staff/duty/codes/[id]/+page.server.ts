import { localName } from '$lib/i18n/labels';
import { getLocale } from '$lib/paraglide/runtime.js';
import { error } from '@sveltejs/kit';
import { renderSVG } from 'uqr';
import { localTime } from '$lib/domain/duty';
import { inScope, requirePage, staffScope } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { isUuid } from '$lib/server/duty/api';
import { currentPostCode } from '$lib/server/duty/checkin';
import { listPosts } from '$lib/server/duty/shifts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.coordinate');
	const id = event.params.id;
	const post = isUuid(id)
		? (await listPosts(await getDb())).find((p) => p.id === id.toLowerCase())
		: undefined;
	if (!post) error(404, 'not_found');
	if (!inScope(staffScope(user), { communityId: post.communityId })) error(403, 'forbidden');
	const now = new Date();
	const { code, validUntil } = currentPostCode(post.id, now);
	// The QR code opens the check-in page with the digits filled in.
	const qr = renderSVG(`${event.url.origin}/volunteer/checkin?code=${code}`, { border: 2 });
	return {
		post: { id: post.id, name: localName(post, getLocale()) },
		code,
		validUntil: localTime(validUntil),
		refreshSeconds: Math.max(5, Math.ceil((validUntil.getTime() - now.getTime()) / 1000) + 1),
		qr
	};
};
