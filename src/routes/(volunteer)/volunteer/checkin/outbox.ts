/**
 * Scans made offline wait here (in this phone's storage) with their device time, and are sent to
 * /api/v1/checkins or /checkouts when the network is back; the server checks the code for that time.
 * A scan the server refuses is kept with its message until the volunteer has read it: they believed
 * they were checked in, and their service hours depend on it.
 */
export interface QueuedScan {
	kind: 'in' | 'out';
	code: string;
	deviceAt: string;
	lat?: number;
	lng?: number;
}

export interface RefusedScan extends QueuedScan {
	/** The server's message, in the language the page was sent in. */
	message: string;
}

const QUEUE_KEY = 'jx-duty-scan-outbox';
const REFUSED_KEY = 'jx-duty-scan-refused';

function readList<T>(key: string): T[] {
	try {
		const list: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
		return Array.isArray(list) ? (list as T[]) : [];
	} catch {
		return [];
	}
}

function writeList(key: string, list: unknown[]): void {
	if (list.length) localStorage.setItem(key, JSON.stringify(list));
	else localStorage.removeItem(key);
}

export function queueScan(scan: QueuedScan): void {
	writeList(QUEUE_KEY, [...readList<QueuedScan>(QUEUE_KEY), scan]);
}

export const queuedScans = () => readList<QueuedScan>(QUEUE_KEY);
export const refusedScans = () => readList<RefusedScan>(REFUSED_KEY);
export const dismissRefused = () => writeList(REFUSED_KEY, []);

async function refusalMessage(response: Response): Promise<string> {
	const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
	return body.error?.message ?? String(response.status);
}

/** One pass over the queue, in order. A 401 waits too: the scan goes once they sign in again. */
async function sendQueued(fetcher: typeof fetch): Promise<number> {
	const queued = readList<QueuedScan>(QUEUE_KEY);
	if (!queued.length || !navigator.onLine) return 0;
	const left: QueuedScan[] = [];
	const refused: RefusedScan[] = [];
	let sent = 0;
	for (const scan of queued) {
		const { kind, ...body } = scan;
		try {
			const response = await fetcher(kind === 'in' ? '/api/v1/checkins' : '/api/v1/checkouts', {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
				body: JSON.stringify(body)
			});
			if (response.ok) sent++;
			else if (response.status >= 500 || response.status === 429 || response.status === 401)
				left.push(scan);
			// A stale code or a scan outside the shift will not change by retrying.
			else refused.push({ ...scan, message: await refusalMessage(response) });
		} catch {
			left.push(scan);
		}
	}
	// Scans queued while these were being sent stay queued, after the ones left.
	writeList(QUEUE_KEY, [...left, ...readList<QueuedScan>(QUEUE_KEY).slice(queued.length)]);
	if (refused.length) writeList(REFUSED_KEY, [...refusedScans(), ...refused]);
	return sent;
}

let flushing: Promise<number> | undefined;

/**
 * Sends what is queued; keeps what could not reach the server. Returns how many went. One pass at
 * a time in this tab, and across tabs where the browser has Web Locks, so no scan is sent twice.
 */
export function flushOutbox(fetcher: typeof fetch = fetch): Promise<number> {
	flushing ??= (async () => {
		try {
			if (!navigator.locks) return await sendQueued(fetcher);
			return await navigator.locks.request(QUEUE_KEY, () => sendQueued(fetcher));
		} finally {
			flushing = undefined;
		}
	})();
	return flushing;
}
