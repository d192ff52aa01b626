import type { Duty, InspectionInput } from '$lib/domain/shops';
import { m } from '$lib/paraglide/messages.js';
import type { SessionUser } from '../auth/session';
import type { Db } from '../db';
import { photoStore, storePhoto, type PhotoStore, type StoredPhoto } from '../reports/photos';
import { recordInspection, type RecordedInspection } from './campaigns';

const zh = { locale: 'zh-CN' as const };
/** Duty names in the case text, which staff read in Chinese whatever the inspector's language. */
const dutyLabels = (): Record<Duty, string> => ({
	appearance: m.shops_duty_appearance({}, zh),
	sanitation: m.shops_duty_sanitation({}, zh),
	order: m.shops_duty_order({}, zh)
});

/**
 * Records an inspection with its photo, for the API (the offline outbox) and the plain form alike.
 * The photo goes through the shared pipeline (type from the bytes, 413/415, EXIF rotate and strip)
 * into the photo store; it is removed again when the inspection is refused or was already recorded.
 * Throws PhotoError or CampaignProblem.
 */
export async function recordInspectionWithPhoto(
	db: Db,
	campaignId: string,
	input: InspectionInput,
	photoBytes: Uint8Array | null,
	user: Pick<SessionUser, 'id'>,
	store: PhotoStore = photoStore()
): Promise<RecordedInspection> {
	const photo: StoredPhoto | null = photoBytes ? await storePhoto(photoBytes, store) : null;
	try {
		const recorded = await recordInspection(
			db,
			campaignId,
			{ ...input, photo },
			dutyLabels(),
			user
		);
		if (recorded.replayed && photo) await store.delete(photo.storageKey);
		return recorded;
	} catch (error) {
		if (photo) await store.delete(photo.storageKey);
		throw error;
	}
}
