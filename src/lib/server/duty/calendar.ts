import { randomBytes } from 'node:crypto';
import { and, asc, eq, gte, ne } from 'drizzle-orm';
import type { Db } from '../db';
import { localName } from '$lib/i18n/labels';
import { m } from '$lib/paraglide/messages.js';
import type { Locale } from '$lib/paraglide/runtime.js';
import { activities, bookings, posts, shifts, volunteerProfiles } from '../db/schema';

/** The volunteer's feed token, made on first use. */
export async function calendarToken(db: Db, userId: string): Promise<string | null> {
	const [profile] = await db
		.select({ token: volunteerProfiles.calendarToken })
		.from(volunteerProfiles)
		.where(eq(volunteerProfiles.userId, userId));
	if (!profile) return null;
	return profile.token ?? regenerateCalendarToken(db, userId);
}

/** A new secret URL; the old one stops working. */
export async function regenerateCalendarToken(db: Db, userId: string): Promise<string> {
	const token = randomBytes(24).toString('base64url');
	await db
		.update(volunteerProfiles)
		.set({ calendarToken: token })
		.where(eq(volunteerProfiles.userId, userId));
	return token;
}

/** The feed's language from its address (`?lang=en`); Chinese otherwise. */
export const feedLocale = (url: URL): Locale =>
	url.searchParams.get('lang') === 'en' ? 'en' : 'zh-CN';

/** The feed's address, in the language of the page that shows it. */
export const feedUrl = (origin: string, token: string, locale: Locale) =>
	`${origin}/calendar/${token}.ics${locale === 'en' ? '?lang=en' : ''}`;

const icsTime = (d: Date) =>
	d
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
const icsText = (s: string) =>
	s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character. */
export function foldLine(line: string): string {
	const out: string[] = [];
	let current = '';
	let bytes = 0;
	for (const ch of line) {
		const size = Buffer.byteLength(ch);
		const limit = out.length === 0 ? 75 : 74; // continuation lines start with a space
		if (bytes + size > limit) {
			out.push(current);
			current = '';
			bytes = 0;
		}
		current += ch;
		bytes += size;
	}
	out.push(current);
	return out.join('\r\n ');
}

/**
 * The iCal feed (RFC 5545) of a token's volunteer: booked and waitlisted shifts from 30 days back,
 * named in `locale` (a calendar app sends no cookie, so the feed's address carries the language).
 */
export async function calendarFeed(
	db: Db,
	token: string,
	now = new Date(),
	locale: Locale = 'zh-CN'
): Promise<string | null> {
	const [profile] = await db
		.select({ userId: volunteerProfiles.userId })
		.from(volunteerProfiles)
		.where(eq(volunteerProfiles.calendarToken, token));
	if (!profile) return null;
	const rows = await db
		.select({
			booking: bookings,
			post: posts,
			activity: { title: activities.title, place: activities.place }
		})
		.from(bookings)
		.innerJoin(shifts, eq(bookings.shiftId, shifts.id))
		.innerJoin(posts, eq(shifts.postId, posts.id))
		.leftJoin(activities, eq(activities.shiftId, shifts.id))
		.where(
			and(
				eq(bookings.volunteerId, profile.userId),
				ne(bookings.status, 'cancelled'),
				gte(bookings.endsAt, new Date(now.getTime() - 30 * 86400_000))
			)
		)
		.orderBy(asc(bookings.startsAt));
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Jiexiang//Duty//ZH',
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		`X-WR-CALNAME:${icsText(m.duty_calendar_feed_name({}, { locale }))}`
	];
	for (const { booking, post, activity } of rows) {
		const waiting = booking.status === 'waitlisted';
		// An activity is named by its title and place; a duty shift is civility persuasion at a post.
		const summary =
			activity?.title ?? m.duty_calendar_duty_event({ post: localName(post, locale) }, { locale });
		const location = activity?.place ?? post.name;
		lines.push(
			'BEGIN:VEVENT',
			`UID:${booking.id}@jiexiang`,
			`DTSTAMP:${icsTime(now)}`,
			`DTSTART:${icsTime(booking.startsAt)}`,
			`DTEND:${icsTime(booking.endsAt)}`,
			`SUMMARY:${icsText(waiting ? m.duty_calendar_waitlisted({ summary }, { locale }) : summary)}`,
			`LOCATION:${icsText(location)}`,
			`GEO:${post.lat};${post.lng}`,
			`STATUS:${waiting ? 'TENTATIVE' : 'CONFIRMED'}`,
			'END:VEVENT'
		);
	}
	lines.push('END:VCALENDAR');
	return lines.map(foldLine).join('\r\n') + '\r\n';
}
