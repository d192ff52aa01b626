import { toLocalDateTime } from '$lib/domain/local-time';
import { requirePublisher, saveNoticeAction } from '$lib/server/notices/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await requirePublisher(event);
	return {
		values: {
			title: '',
			body: '',
			pinned: false,
			publishFrom: toLocalDateTime(new Date()),
			publishUntil: '',
			coverAlt: ''
		}
	};
};

export const actions: Actions = {
	save: (event) => saveNoticeAction(event, null)
};
