import { error, redirect } from '@sveltejs/kit';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { isUuid } from '$lib/server/duty/api';
import { acceptStandIn, getStandIn } from '$lib/server/duty/booking';
import { dutyFail } from '$lib/server/duty/forms';
import type { Actions, PageServerLoad } from './$types';

async function load_(id: string) {
	if (!isUuid(id)) error(404, 'not_found');
	const request = await getStandIn(await getDb(), id);
	if (!request) error(404, 'not_found');
	return request;
}

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'duty.book');
	const request = await load_(event.params.id);
	return {
		request,
		ended: request.endsAt <= new Date(),
		accepted: event.url.searchParams.has('accepted')
	};
};

export const actions: Actions = {
	accept: async (event) => {
		const user = requirePage(event, 'duty.book');
		const request = await load_(event.params.id);
		try {
			await acceptStandIn(await getDb(), { requestId: request.id, volunteerId: user.id });
		} catch (e) {
			return dutyFail(e);
		}
		redirect(303, `/volunteer/stand-in/${request.id}?accepted`);
	}
};
