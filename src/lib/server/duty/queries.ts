import { eq } from 'drizzle-orm';
import { addDays, atLocal, localDate } from '$lib/domain/duty';
import type { Db } from '../db';
import { posts } from '../db/schema';
import { isUuid } from './api';
import { DutyError } from './errors';
import type { ShiftQuery, listShifts } from './shifts';

const MAX_DAYS = 31;

function parseWhen(value: string | null, field: string): Date | undefined {
	if (!value) return undefined;
	// A bare date means its local midnight.
	const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? atLocal(value, '00:00') : new Date(value);
	if (Number.isNaN(at.getTime())) throw new DutyError('invalid_input', 400, { [field]: 'date' });
	return at;
}

/** `from`, `to` (ISO date or time; default today and 14 days on) and `post` (id or code). */
export async function parseShiftQuery(db: Db, params: URLSearchParams): Promise<ShiftQuery> {
	const from = parseWhen(params.get('from'), 'from') ?? atLocal(localDate(new Date()), '00:00');
	const to = parseWhen(params.get('to'), 'to') ?? atLocal(addDays(localDate(from), 15), '00:00');
	if (to <= from || to.getTime() - from.getTime() > MAX_DAYS * 86400_000)
		throw new DutyError('invalid_input', 400, { to: 'date' });
	const post = params.get('post');
	let postId: string | undefined;
	if (post) {
		const [row] = await db
			.select({ id: posts.id })
			.from(posts)
			.where(isUuid(post) ? eq(posts.id, post) : eq(posts.code, post));
		if (!row) throw new DutyError('invalid_input', 400, { post: 'choice' });
		postId = row.id;
	}
	return { from, to, postId };
}

/** A shift in the API's shape. */
export function shiftJson(row: Awaited<ReturnType<typeof listShifts>>[number]) {
	return {
		id: row.id,
		post: { id: row.postId, name: row.postName, nameEn: row.postNameEn },
		startsAt: row.startsAt.toISOString(),
		endsAt: row.endsAt.toISOString(),
		capacity: row.capacity,
		booked: row.booked,
		free: Math.max(0, row.capacity - row.booked),
		waitlisted: row.waitlisted,
		signupOpensAt: row.signupOpensAt.toISOString(),
		cancelCutoffAt: row.cancelCutoffAt.toISOString(),
		activity: row.activityId ? { id: row.activityId, title: row.activityTitle } : null
	};
}
