import type { Db } from '../db';
import { announceDueRevisits } from '../reports/revisits';
import { startPeriodic } from './periodic';

/** Announces due revisits (回头看); each is claimed by one conditional update (`announceDueRevisits`). */
export function startRevisitJob(db: Db, everyMs?: number): () => void {
	return startPeriodic('revisits', () => announceDueRevisits(db), everyMs);
}
