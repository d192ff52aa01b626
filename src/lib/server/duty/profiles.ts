import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { volunteerProfiles } from '../db/schema';

export interface ProfileInput {
	realName: string;
	birthDate: string;
	skills: string;
	guardianName: string;
	guardianPhone: string;
	guardianConsent: boolean;
}

export async function getProfile(db: Db, userId: string) {
	const [row] = await db
		.select()
		.from(volunteerProfiles)
		.where(eq(volunteerProfiles.userId, userId));
	return row;
}

/** Saves a volunteer's profile (validated by `volunteerProfileSchema`); consent is time-stamped. */
export async function saveProfile(db: Db, userId: string, input: ProfileInput, now = new Date()) {
	const values = {
		realName: input.realName,
		birthDate: input.birthDate,
		skills: input.skills,
		guardianName: input.guardianName || null,
		guardianPhone: input.guardianPhone || null,
		guardianConsentAt: input.guardianConsent && input.guardianName ? now : null,
		updatedAt: now
	};
	await db
		.insert(volunteerProfiles)
		.values({ userId, ...values })
		.onConflictDoUpdate({ target: volunteerProfiles.userId, set: values });
}
