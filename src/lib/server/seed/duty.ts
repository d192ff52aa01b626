import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { posts, shiftTemplates, users } from '../db/schema';
import { saveProfile } from '../duty/profiles';
import { generateShifts } from '../duty/shifts';

/**
 * Demo duty data: the plan's two daily windows (07:30–11:30, 17:00–19:00) at every post, more
 * volunteers and staff at the two markets, and a profile for the demo volunteer.
 */
export async function seedDuty(db: Db, now = new Date()): Promise<void> {
	const all = await db.select().from(posts);
	for (const post of all) {
		const market = post.code.endsWith('-market');
		for (const [startTime, endTime] of [
			['07:30', '11:30'],
			['17:00', '19:00']
		]) {
			await db.insert(shiftTemplates).values({
				postId: post.id,
				weekdays: [1, 2, 3, 4, 5, 6, 7],
				startTime,
				endTime,
				volunteersNeeded: market ? 4 : 2,
				staffNeeded: market ? 2 : 1,
				validFrom: '2026-01-01',
				signupOpensHours: 14 * 24,
				cancelCutoffHours: 2
			});
		}
	}
	const [volunteer] = await db.select().from(users).where(eq(users.phone, '13800000002'));
	if (volunteer) {
		await saveProfile(db, volunteer.id, {
			realName: '演示志愿者',
			birthDate: '1990-05-01',
			skills: '文明劝导',
			guardianName: '',
			guardianPhone: '',
			guardianConsent: false
		});
	}
	await generateShifts(db, { now });
}
