import { addDraft, deleteDraft, listDrafts, waitsForSignIn, type Draft } from '$lib/offline/outbox';

/**
 * Scans made offline wait in the app's outbox (IndexedDB) with their device time, and are sent to
 * /api/v1/checkins or /checkouts when the network is back: by any open page of the app, or by the
 * service worker with none open. The server checks the code for that time. A scan the server
 * refuses is kept with its message until the volunteer has read it: they believed they were
 * checked in, and their service hours depend on it.
 */
export interface QueuedScan {
	kind: 'in' | 'out';
	code: string;
	deviceAt: string;
	lat?: number;
	lng?: number;
}

export interface RefusedScan extends QueuedScan {
	/** The server's message, in the language of the page that sent it. */
	message: string;
}

export const SCAN_ENDPOINTS = { in: '/api/v1/checkins', out: '/api/v1/checkouts' } as const;
const endpoints = Object.values(SCAN_ENDPOINTS);

export async function queueScan({ kind, ...body }: QueuedScan): Promise<void> {
	await addDraft({
		key: crypto.randomUUID(),
		endpoint: SCAN_ENDPOINTS[kind],
		fields: [],
		photos: [],
		json: { ...body }
	});
}

export const isScan = (draft: Draft) => endpoints.some((e) => e === draft.endpoint);

function scanOf(draft: Draft): QueuedScan {
	const kind = draft.endpoint === SCAN_ENDPOINTS.out ? 'out' : 'in';
	return { kind, ...(draft.json as Omit<QueuedScan, 'kind'>) };
}

export interface ScanOutbox {
	/** The keys of the scans waiting to be sent. */
	waiting: string[];
	refused: (RefusedScan & { key: string })[];
	/** The server said the volunteer is signed out: the waiting scans go once they sign in. */
	signedOut: boolean;
}

export async function scanOutbox(): Promise<ScanOutbox> {
	await moveLegacyQueue();
	const drafts = await listDrafts(endpoints);
	return {
		waiting: drafts.filter((d) => d.state !== 'attention').map((d) => d.key),
		refused: drafts
			.filter((d) => d.state === 'attention')
			.map((d) => ({ ...scanOf(d), message: d.message ?? '', key: d.key })),
		signedOut: waitsForSignIn(drafts)
	};
}

export async function dismissRefused(): Promise<void> {
	for (const draft of await listDrafts(endpoints))
		if (draft.state === 'attention') await deleteDraft(draft.key);
}

// Where scans waited before they moved to the outbox (localStorage, sent only by this page).
const LEGACY_QUEUE = 'jx-duty-scan-outbox';
const LEGACY_REFUSED = 'jx-duty-scan-refused';

function readLegacy<T>(key: string): T[] {
	try {
		const list: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
		return Array.isArray(list) ? (list as T[]) : [];
	} catch {
		return [];
	}
}

/** Moves scans left in localStorage by an earlier version into the outbox, so none is lost. */
async function moveLegacyQueue(): Promise<void> {
	if (typeof localStorage === 'undefined') return;
	const queued = readLegacy<QueuedScan>(LEGACY_QUEUE);
	const refused = readLegacy<RefusedScan>(LEGACY_REFUSED);
	if (!queued.length && !refused.length) return;
	for (const scan of queued) await queueScan(scan);
	localStorage.removeItem(LEGACY_QUEUE);
	for (const { message, kind, ...body } of refused)
		await addDraft({
			key: crypto.randomUUID(),
			endpoint: SCAN_ENDPOINTS[kind],
			fields: [],
			photos: [],
			json: body,
			state: 'attention',
			message
		});
	localStorage.removeItem(LEGACY_REFUSED);
}
