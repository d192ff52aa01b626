import type { Db } from '../db';
import { finaliseRecords } from './records';
import { sendReminders } from './reminders';
import { generateShifts } from './shifts';
import { startPeriodic } from '../jobs/periodic';

const INTERVAL = 5 * 60_000;

/**
 * The duty area's scheduled work: shifts 14 days ahead, final service records and reminders. Both are
 * idempotent and state lives in the database, so a restart or a second server does no harm
 * (generation also takes an advisory lock).
 */
export async function runDutyJobs(db: Db, now = new Date()) {
	const shifts = await generateShifts(db, { now });
	const finalised = await finaliseRecords(db, now);
	const reminders = await sendReminders(db, now);
	return { shifts, finalised, reminders };
}

/** Runs the jobs at start-up and then every 5 minutes (reminders need that; the rest is idempotent). */
export function startDutyJobs(db: Db): () => void {
	return startPeriodic('duty', () => runDutyJobs(db), INTERVAL);
}
