import { json } from '@sveltejs/kit';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { dutyEndpoint, uuidParam } from '$lib/server/duty/api';
import { cancelBooking } from '$lib/server/duty/booking';

export const DELETE = dutyEndpoint(async (event) => {
	const user = requireApi(event, 'duty.book');
	const result = await cancelBooking(await getDb(), {
		bookingId: uuidParam(event.params.id),
		volunteerId: user.id
	});
	return json({ id: result.id, status: result.status });
});
