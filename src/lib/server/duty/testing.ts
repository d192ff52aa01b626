import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { communities, posts, shifts, users } from '../db/schema';
import { saveProfile } from './profiles';
import { createTemplate, type TemplateInput } from './shifts';

let counter = 0;

/** Volunteers with profiles, made straight in the database (no password hashing). */
export async function makeVolunteers(db: Db, count: number): Promise<string[]> {
	const base = 13900000000 + (Date.now() % 1000) * 100000 + (counter++ % 100) * 1000;
	const rows = await db
		.insert(users)
		.values(
			Array.from({ length: count }, (_, i) => ({
				phone: String(base + i),
				name: `志愿者${i}`,
				passwordHash: 'x',
				role: 'volunteer' as const
			}))
		)
		.returning({ id: users.id });
	for (const row of rows) {
		await saveProfile(db, row.id, {
			realName: '测试',
			birthDate: '1990-01-01',
			skills: '',
			guardianName: '',
			guardianPhone: '',
			guardianConsent: false
		});
	}
	return rows.map((r) => r.id);
}

/** A fresh post with one template; returns the post and its generated shifts in time order. */
export async function makePostWithShifts(db: Db, now: Date, template: Partial<TemplateInput> = {}) {
	const code = `test-${Date.now().toString(36)}-${counter++}`;
	const [community] = await db.select().from(communities).limit(1);
	const [post] = await db
		.insert(posts)
		.values({
			code,
			name: `测试点位${counter}`,
			zone: 'west',
			lat: 31.86,
			lng: 117.3,
			communityId: community?.id,
			coordinatorName: '测试协调员'
		})
		.returning();
	const row = await createTemplate(
		db,
		{
			postId: post.id,
			weekdays: [1, 2, 3, 4, 5, 6, 7],
			startTime: '07:30',
			endTime: '11:30',
			volunteersNeeded: 5,
			staffNeeded: 1,
			validFrom: '2026-01-01',
			signupOpensHours: 14 * 24,
			cancelCutoffHours: 2,
			...template
		},
		now
	);
	const list = await db
		.select()
		.from(shifts)
		.where(eq(shifts.postId, post.id))
		.orderBy(shifts.startsAt);
	return { post, template: row, shifts: list };
}
