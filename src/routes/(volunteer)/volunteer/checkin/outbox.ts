/**
 * Scans made offline wait here (in this phone's storage) with their device time, and are sent to
 * /api/v1/checkins or /checkouts when the network is back; the server checks the code for that time.
 */
export interface QueuedScan {
	kind: 'in' | 'out';
	code: string;
	deviceAt: string;
	lat?: number;
	lng?: number;
}

const KEY = 'jx-duty-scan-outbox';

function read(): QueuedScan[] {
	try {
		return JSON.parse(localStorage.getItem(KEY) ?? '[]') as QueuedScan[];
	} catch {
		return [];
	}
}

export function queueScan(scan: QueuedScan): void {
	localStorage.setItem(KEY, JSON.stringify([...read(), scan]));
}

/** Sends what is queued, in order; keeps what could not reach the server. Returns how many went. */
export async function flushOutbox(): Promise<number> {
	const queued = read();
	if (!queued.length || !navigator.onLine) return 0;
	const left: QueuedScan[] = [];
	let sent = 0;
	for (const { kind, ...body } of queued) {
		try {
			const response = await fetch(kind === 'in' ? '/api/v1/checkins' : '/api/v1/checkouts', {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify(body)
			});
			// A refusal (stale code, no booking) will not change by retrying: it is dropped.
			if (response.status >= 500) left.push({ kind, ...body });
			else sent++;
		} catch {
			left.push({ kind, ...body });
		}
	}
	localStorage.setItem(KEY, JSON.stringify(left));
	return sent;
}
