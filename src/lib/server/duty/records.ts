import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { RECORD_WORKING_DAYS, localDate, localTime, serviceMinutes } from '$lib/domain/duty';
import { addWorkingDays, type WorkCalendar } from '$lib/domain/working-hours';
import type { Db } from '../db';
import {
	bookings,
	communities,
	posts,
	serviceRecordEvents,
	serviceRecords,
	shifts,
	subdistricts,
	users
} from '../db/schema';
import { loadCalendar } from '../reports/deadlines';
import { activityRecordFields } from '../activities/activities';
import { DutyError } from './errors';

export const ACTIVITY = '文明劝导定岗志愿服务';

/**
 * Makes (or remakes) the service record of a booking from its check-in and check-out, capped to
 * the shift's window (志愿服务记录与证明出具办法: activity, date, place, content, hours,
 * organising unit, responsible person). A final record is left alone.
 */
export async function createServiceRecord(db: Db, bookingId: string) {
	const [row] = await db
		.select({ booking: bookings, shift: shifts, post: posts, unit: subdistricts.name })
		.from(bookings)
		.innerJoin(shifts, eq(bookings.shiftId, shifts.id))
		.innerJoin(posts, eq(shifts.postId, posts.id))
		.leftJoin(communities, eq(posts.communityId, communities.id))
		.leftJoin(subdistricts, eq(communities.subdistrictId, subdistricts.id))
		.where(eq(bookings.id, bookingId));
	if (!row) throw new DutyError('not_found', 404);
	const minutes = serviceMinutes(row.shift, row.booking.checkedInAt, row.booking.checkedOutAt);
	const serviceDate = localDate(row.shift.startsAt);
	// A one-off activity's shift: its own title, place and responsible person.
	const activity = await activityRecordFields(db, row.shift.id);
	const values = {
		bookingId,
		volunteerId: row.booking.volunteerId,
		activity: ACTIVITY,
		serviceDate,
		place: row.post.name,
		content: `${row.post.name}文明劝导（${localTime(row.shift.startsAt)}–${localTime(row.shift.endsAt)}）`,
		minutes,
		organisingUnit: row.unit ?? '街道办事处',
		responsiblePerson: row.post.coordinatorName ?? '—',
		finalisesOn: finalDate(await loadCalendar(db), serviceDate),
		...activity
	};
	const [record] = await db
		.insert(serviceRecords)
		.values(values)
		.onConflictDoUpdate({
			target: serviceRecords.bookingId,
			set: { minutes },
			setWhere: isNull(serviceRecords.finalisedAt)
		})
		.returning();
	if (record) return record;
	const [existing] = await db
		.select()
		.from(serviceRecords)
		.where(eq(serviceRecords.bookingId, bookingId));
	return existing;
}

export async function listRecords(db: Db, volunteerId: string) {
	return db
		.select({
			record: serviceRecords,
			pendingCorrection: sql<boolean>`exists (select 1 from service_record_events e where e.record_id = "service_records"."id" and e.kind = 'correction_request' and not exists (select 1 from service_record_events r where r.record_id = e.record_id and r.kind = 'correction_resolved' and r.at >= e.at))`
		})
		.from(serviceRecords)
		.where(eq(serviceRecords.volunteerId, volunteerId))
		.orderBy(desc(serviceRecords.serviceDate));
}

export async function totalMinutes(db: Db, volunteerId: string): Promise<number> {
	const [row] = await db
		.select({ total: sql<number>`coalesce(sum(${serviceRecords.minutes}), 0)::int` })
		.from(serviceRecords)
		.where(eq(serviceRecords.volunteerId, volunteerId));
	return row.total;
}

/** A coordinator changes the minutes, with a reason; the change is kept in the record's trail. */
export async function adjustRecord(
	db: Db,
	input: { recordId: string; actorUserId: string; minutes: number; reason: string; now?: Date }
) {
	return db.transaction(async (tx) => {
		const [record] = await tx
			.select()
			.from(serviceRecords)
			.where(eq(serviceRecords.id, input.recordId))
			.for('update');
		if (!record) throw new DutyError('not_found', 404);
		if (record.finalisedAt) throw new DutyError('record_final');
		await tx
			.update(serviceRecords)
			.set({ minutes: input.minutes })
			.where(eq(serviceRecords.id, record.id));
		await tx.insert(serviceRecordEvents).values({
			recordId: record.id,
			kind: 'adjust',
			actorUserId: input.actorUserId,
			fromMinutes: record.minutes,
			toMinutes: input.minutes,
			reason: input.reason,
			at: input.now ?? new Date()
		});
	});
}

/** A volunteer asks for a correction of their own record, before it is final. */
export async function requestCorrection(
	db: Db,
	input: { recordId: string; volunteerId: string; reason: string; now?: Date }
) {
	const now = input.now ?? new Date();
	const [record] = await db
		.select()
		.from(serviceRecords)
		.where(eq(serviceRecords.id, input.recordId));
	if (!record || record.volunteerId !== input.volunteerId) throw new DutyError('not_found', 404);
	if (record.finalisedAt || localDate(now) > record.finalisesOn)
		throw new DutyError('record_final');
	await db.insert(serviceRecordEvents).values({
		recordId: record.id,
		kind: 'correction_request',
		actorUserId: input.volunteerId,
		reason: input.reason,
		at: now
	});
}

/** Records still open for change, with any correction requests, for coordinators. */
export async function recordsForReview(db: Db) {
	return db
		.select({
			record: serviceRecords,
			volunteer: users.name,
			request: serviceRecordEvents
		})
		.from(serviceRecords)
		.innerJoin(users, eq(serviceRecords.volunteerId, users.id))
		.leftJoin(
			serviceRecordEvents,
			and(
				eq(serviceRecordEvents.recordId, serviceRecords.id),
				eq(serviceRecordEvents.kind, 'correction_request')
			)
		)
		.where(isNull(serviceRecords.finalisedAt))
		.orderBy(desc(serviceRecords.serviceDate), asc(users.name))
		.limit(200);
}

export async function recordTrail(db: Db, recordId: string) {
	return db
		.select()
		.from(serviceRecordEvents)
		.where(eq(serviceRecordEvents.recordId, recordId))
		.orderBy(asc(serviceRecordEvents.at));
}

/** The last day a record can still change: 10 working days after the service, by the calendar. */
function finalDate(calendar: WorkCalendar, serviceDate: string): string {
	return addWorkingDays(calendar, serviceDate, RECORD_WORKING_DAYS);
}

/**
 * The daily job: records past their 10 working days become final. The working days follow the
 * admin's holiday calendar as it is now, so a holiday added after a record was made still counts.
 */
export async function finaliseRecords(db: Db, now = new Date()): Promise<number> {
	const calendar = await loadCalendar(db);
	const open = await db
		.select({
			id: serviceRecords.id,
			serviceDate: serviceRecords.serviceDate,
			finalisesOn: serviceRecords.finalisesOn
		})
		.from(serviceRecords)
		.where(isNull(serviceRecords.finalisedAt));
	const today = localDate(now);
	let finalised = 0;
	for (const record of open) {
		const finalisesOn = finalDate(calendar, record.serviceDate);
		const final = finalisesOn < today;
		if (!final && finalisesOn === record.finalisesOn) continue;
		const rows = await db
			.update(serviceRecords)
			.set(final ? { finalisesOn, finalisedAt: now } : { finalisesOn })
			.where(and(eq(serviceRecords.id, record.id), isNull(serviceRecords.finalisedAt)))
			.returning({ id: serviceRecords.id });
		if (final) finalised += rows.length;
	}
	return finalised;
}

/** CSV (RFC 4180, with a BOM for spreadsheet programs) of a volunteer's records. */
export function recordsCsv(
	rows: { record: typeof serviceRecords.$inferSelect }[],
	header: string[]
): string {
	const cell = (v: string | number) => {
		const s = String(v);
		return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
	};
	const lines = [header.map(cell).join(',')];
	for (const { record: r } of rows) {
		lines.push(
			[
				r.serviceDate,
				r.activity,
				r.place,
				r.content,
				(r.minutes / 60).toFixed(2),
				r.organisingUnit,
				r.responsiblePerson,
				r.finalisedAt ? 'final' : 'open'
			]
				.map(cell)
				.join(',')
		);
	}
	return '\ufeff' + lines.join('\r\n') + '\r\n';
}
