import { eq } from 'drizzle-orm';
import { spotCheckSchema } from '$lib/domain/duty-validation';
import { parseInput } from '$lib/domain/validation';
import type { Db } from '../db';
import { spotChecks } from '../db/schema';
import { PhotoError, newPhotoKey, photoStore, processPhoto } from '../reports/photos';
import { actionTime } from './checkin';
import { DutyError } from './errors';
import { idempotent, type StoredResponse } from './idempotency';
import { recordSpotCheck } from './supervision';
import type { Notice } from '../notify';
import { pushAfterCommit } from '../push/push';

/**
 * One spot check as the phone sends it, live or from the offline outbox: the fields, an optional
 * photo, and the key made when the supervisor tapped. The photo goes through the photo pipeline
 * and store before the check is saved; a replay of the same key saves nothing twice and keeps no
 * second photo.
 */
export async function submitSpotCheck(
	db: Db,
	input: {
		key: string;
		checkedBy: string;
		fields: Record<string, string>;
		photo?: Uint8Array;
		now?: Date;
	}
): Promise<StoredResponse> {
	const parsed = parseInput(spotCheckSchema, input.fields);
	if (!parsed.ok) throw new DutyError('invalid_input', 400, parsed.fields);
	const { booking, assignment, result, note, checkedAt } = parsed.value;
	const { at } = actionTime(checkedAt ? new Date(checkedAt) : undefined, input.now);
	let photoKey: string | null = null;
	if (input.photo?.byteLength) {
		try {
			const photo = await processPhoto(input.photo);
			photoKey = newPhotoKey();
			await photoStore().put(photoKey, photo.data, photo.contentType);
		} catch (error) {
			if (error instanceof PhotoError)
				throw new DutyError(error.code, error.status, { photo: error.code });
			throw error;
		}
	}
	const payload = { ...parsed.value, checkedAt: at.toISOString(), photo: input.photo ?? null };
	let stored: StoredResponse;
	let told: Notice[] = [];
	try {
		stored = await idempotent(
			db,
			{ key: input.key, userId: input.checkedBy, scope: 'spot-check', payload },
			async (tx) => {
				const { check: row, told: notices } = await recordSpotCheck(tx, {
					bookingId: booking || undefined,
					assignmentId: assignment || undefined,
					result,
					note,
					photoKey,
					checkedBy: input.checkedBy,
					checkedAt: at
				});
				told = notices;
				return { status: 201, body: { id: row.id, result: row.result, photo: !!photoKey } };
			}
		);
	} catch (error) {
		if (photoKey) await photoStore().delete(photoKey);
		throw error;
	}
	// Told once: a replay answers from the stored response, without the callback.
	void pushAfterCommit(db, told);
	// A replay or a refusal: the photo just stored belongs to nothing.
	const id = (stored.body as { id?: string }).id;
	if (photoKey && (!id || !(await photoOf(db, id, photoKey)))) await photoStore().delete(photoKey);
	return stored;
}

async function photoOf(db: Db, id: string, photoKey: string) {
	const [row] = await db
		.select({ photoKey: spotChecks.photoKey })
		.from(spotChecks)
		.where(eq(spotChecks.id, id));
	return row?.photoKey === photoKey;
}

/** The photo of a spot check, for staff who may see checks. */
export async function spotCheckPhoto(db: Db, id: string): Promise<Buffer | null> {
	const [row] = await db
		.select({ photoKey: spotChecks.photoKey })
		.from(spotChecks)
		.where(eq(spotChecks.id, id));
	return row?.photoKey ? photoStore().get(row.photoKey) : null;
}
