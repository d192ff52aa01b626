import { error, redirect } from '@sveltejs/kit';
import { toLocalDateTime } from '$lib/domain/local-time';
import { getDb } from '$lib/server/db';
import { requirePublisher, saveNoticeAction } from '$lib/server/notices/form';
import { deleteNotice, getNotice, noticeCoverUrl } from '$lib/server/notices/notices';
import type { Actions, PageServerLoad } from './$types';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
	await requirePublisher(event);
	const notice = uuid.test(event.params.id)
		? await getNotice(await getDb(), event.params.id)
		: null;
	if (!notice) error(404, 'not_found');
	return {
		id: notice.id,
		values: {
			title: notice.title,
			body: notice.body,
			pinned: notice.pinned,
			publishFrom: toLocalDateTime(notice.publishFrom),
			publishUntil: notice.publishUntil ? toLocalDateTime(notice.publishUntil) : '',
			coverAlt: notice.coverAlt ?? ''
		},
		cover: notice.coverKey
			? {
					url: noticeCoverUrl(notice),
					alt: notice.coverAlt ?? ''
				}
			: null
	};
};

export const actions: Actions = {
	save: (event) =>
		uuid.test(event.params.id) ? saveNoticeAction(event, event.params.id) : error(404, 'not_found'),
	delete: async (event) => {
		await requirePublisher(event);
		if (uuid.test(event.params.id)) await deleteNotice(await getDb(), event.params.id);
		redirect(303, '/staff/notices?deleted');
	}
};
