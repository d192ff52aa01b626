import type { Db } from '../db';
import { escalateOverdue } from '../reports/deadlines';
import { startPeriodic } from './periodic';

/** Deadline escalation; each escalation is recorded once however many servers run it (`escalateOverdue`). */
export function startEscalationJob(db: Db, everyMs?: number): () => void {
	return startPeriodic('escalation', () => escalateOverdue(db), everyMs);
}
