import { pushStateOf } from '$lib/push-state';
import { getLocale } from '$lib/paraglide/runtime.js';
import { redirect } from '@sveltejs/kit';
import { addDays, atLocal, localDate } from '$lib/domain/duty';
import { formObject } from '$lib/domain/validation';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { isUuid } from '$lib/server/duty/api';
import { bookShift, cancelBooking, myBookings } from '$lib/server/duty/booking';
import { DutyError } from '$lib/server/duty/errors';
import { dutyFail } from '$lib/server/duty/forms';
import { idempotent } from '$lib/server/duty/idempotency';
import { notificationsToShow } from '$lib/server/notify';
import { getProfile } from '$lib/server/duty/profiles';
import { totalMinutes } from '$lib/server/duty/records';
import { HORIZON_DAYS, listPosts, listShifts } from '$lib/server/duty/shifts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, cookies, isDataRequest }) => {
	const db = await getDb();
	const today = localDate(new Date());
	const days = Array.from({ length: HORIZON_DAYS + 1 }, (_, i) => addDays(today, i));
	const dayParam = url.searchParams.get('day') ?? '';
	const day = days.includes(dayParam) ? dayParam : today;
	const postParam = url.searchParams.get('post') ?? '';
	const postId = isUuid(postParam) ? postParam : undefined;
	const shifts = await listShifts(db, {
		from: atLocal(day, '00:00'),
		to: atLocal(addDays(day, 1), '00:00'),
		postId
	});
	const user = locals.user;
	const volunteer = user?.role === 'volunteer' ? user : null;
	const [profile, bookings, notifications, minutes] = volunteer
		? await Promise.all([
				getProfile(db, volunteer.id),
				myBookings(db, volunteer.id),
				notificationsToShow(db, volunteer.id, {
					locale: getLocale(),
					limit: 5,
					shown: !isDataRequest
				}),
				totalMinutes(db, volunteer.id)
			])
		: [undefined, [], { items: [], more: false }, 0];
	return {
		pushState: pushStateOf(cookies),
		day,
		days,
		postId: postId ?? '',
		posts: (await listPosts(db, { activeOnly: true })).map((p) => ({
			id: p.id,
			name: p.name,
			nameEn: p.nameEn
		})),
		shifts: shifts.map((s) => ({ ...s, open: s.signupOpensAt <= new Date() })),
		loggedIn: !!user,
		volunteer: !!volunteer,
		hasProfile: !!profile,
		bookings,
		notifications,
		minutes,
		done: url.searchParams.get('done') ?? '',
		// A fresh key per page view: a resent form is answered, not booked twice.
		formKey: crypto.randomUUID()
	};
};

function back(form: Record<string, string>, done: string): never {
	const params = new URLSearchParams({ done });
	if (form.day) params.set('day', form.day);
	if (form.post) params.set('post', form.post);
	redirect(303, `/volunteer?${params}`);
}

export const actions: Actions = {
	book: async (event) => {
		const user = requirePage(event, 'duty.book');
		const form = formObject(await event.request.formData());
		if (!isUuid(form.shift) || !form.key) return dutyFail(new DutyError('not_found', 404));
		const db = await getDb();
		const stored = await idempotent(
			db,
			{ key: form.key, userId: user.id, scope: `book:${form.shift}`, payload: {} },
			async (tx) => ({
				status: 201,
				body: await bookShift(tx, { shiftId: form.shift, volunteerId: user.id })
			})
		).catch((error) => ({ status: 0, body: error }));
		const body = stored.body as { status?: string; error?: { code: string } };
		if (stored.status === 201) back(form, body.status ?? 'booked');
		if (body.error) return dutyFail(new DutyError(body.error.code, stored.status));
		return dutyFail(stored.body);
	},
	cancel: async (event) => {
		const user = requirePage(event, 'duty.book');
		const form = formObject(await event.request.formData());
		if (!isUuid(form.booking)) return dutyFail(new DutyError('not_found', 404));
		try {
			await cancelBooking(await getDb(), { bookingId: form.booking, volunteerId: user.id });
		} catch (error) {
			return dutyFail(error);
		}
		back(form, 'cancelled');
	}
};
