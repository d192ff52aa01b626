import { localPostName } from '$lib/i18n/labels';
import { getLocale } from '$lib/paraglide/runtime.js';
import { listUpcomingActivities } from '$lib/server/activities/activities';
import { getDb } from '$lib/server/db';
import { myBookings } from '$lib/server/duty/booking';
import { getProfile } from '$lib/server/duty/profiles';
import type { PageServerLoad } from './$types';

/**
 * One-off activities to book. Booking posts to the volunteer page's own `book` action (the same
 * idempotent form and booking code as any shift), which answers on /volunteer.
 */
export const load: PageServerLoad = async ({ locals }) => {
	const db = await getDb();
	const now = new Date();
	const volunteer = locals.user?.role === 'volunteer' ? locals.user : null;
	const [activities, bookings, profile] = await Promise.all([
		listUpcomingActivities(db, now),
		volunteer ? myBookings(db, volunteer.id) : [],
		volunteer ? getProfile(db, volunteer.id) : undefined
	]);
	const mine = new Map(bookings.map((b) => [b.shiftId, b.status]));
	return {
		activities: activities.map((a) => ({
			id: a.id,
			kind: a.kind,
			title: a.title,
			description: a.description,
			place: a.place,
			postName: localPostName(a, getLocale()),
			organiser: a.organiser,
			startsAt: a.startsAt,
			endsAt: a.endsAt,
			capacity: a.capacity,
			booked: a.booked,
			waitlisted: a.waitlisted,
			shiftId: a.shiftId,
			open: a.signupOpensAt <= now && a.startsAt > now,
			mine: mine.get(a.shiftId) ?? null
		})),
		loggedIn: !!locals.user,
		canBook: !!volunteer && !!profile,
		formKey: crypto.randomUUID()
	};
};
