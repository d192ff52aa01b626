import type { Db } from '../db';
import { escalateOverdue } from '../reports/deadlines';

/**
 * Runs the deadline escalation every few minutes in this server. Several servers may run it at
 * once: each escalation is recorded once (see `escalateOverdue`).
 */
export function startEscalationJob(db: Db, everyMs = 5 * 60_000): () => void {
	const run = () =>
		escalateOverdue(db).catch((error: unknown) => console.error('[jobs] escalation failed', error));
	const timer = setInterval(run, everyMs);
	timer.unref();
	void run();
	return () => clearInterval(timer);
}
