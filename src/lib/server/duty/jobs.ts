import type { Db } from '../db';
import { finaliseRecords } from './records';
import { generateShifts } from './shifts';

const HOUR = 3600_000;
let timer: ReturnType<typeof setInterval> | undefined;

/**
 * The duty area's scheduled work: shifts 14 days ahead and final service records. Both are
 * idempotent and state lives in the database, so a restart or a second server does no harm
 * (generation also takes an advisory lock).
 */
export async function runDutyJobs(db: Db, now = new Date()) {
	const shifts = await generateShifts(db, { now });
	const finalised = await finaliseRecords(db, now);
	return { shifts, finalised };
}

/** Runs the jobs at start-up and then hourly (the work for a day is done by its first run). */
export function startDutyJobs(db: Db): void {
	if (timer) return;
	const run = () => runDutyJobs(db).catch((error) => console.error('[duty jobs]', error));
	void run();
	timer = setInterval(run, HOUR);
	timer.unref?.();
}
