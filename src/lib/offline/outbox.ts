import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/*
 * The offline outbox: a report made offline, or whose send failed, waits here in IndexedDB with its
 * photos as Blobs and the Idempotency-Key made when the user pressed send. Other creates use it
 * too, each with its own endpoint: a supervisor's spot checks (multipart) and a volunteer's
 * check-in scans (JSON). It runs in the page and in the service worker (Background Sync), so it
 * uses no DOM.
 *
 * A 2xx deletes the draft; a 4xx keeps it for editing with the server's message ("attention"); a
 * network error, a 5xx, a 429 or a 401 (signed out meanwhile) leaves it waiting for the next try.
 */

export type DraftState = 'waiting' | 'sending' | 'sent' | 'attention';

export const REPORTS_ENDPOINT = '/api/v1/reports';

export interface Draft {
	/** The Idempotency-Key, made when the user pressed send. */
	key: string;
	/** Where it is posted (multipart); reports when absent. */
	endpoint?: string;
	/** The multipart name of the photos; `photos` when absent. */
	photoField?: string;
	fields: [string, string][];
	/** Sent as a JSON body instead of the fields and photos. */
	json?: Record<string, unknown>;
	photos: Blob[];
	state: DraftState;
	createdAt: number;
	attempts: number;
	/** The server's message when it refused the report (4xx). */
	message?: string;
	problems?: Record<string, string>;
	/** Where the report can be seen once sent. */
	url?: string;
	/** The server last answered 401: it waits until the user signs in again. */
	signedOut?: boolean;
}

interface OutboxSchema extends DBSchema {
	drafts: { key: string; value: Draft; indexes: { createdAt: number } };
}

const DB_NAME = 'jiexiang-outbox';
export const SYNC_TAG = 'report-outbox';
export const CHANGE_EVENT = 'jx-outbox-change';

let opening: Promise<IDBPDatabase<OutboxSchema>> | undefined;
function db() {
	opening ??= openDB<OutboxSchema>(DB_NAME, 1, {
		upgrade(database) {
			database
				.createObjectStore('drafts', { keyPath: 'key' })
				.createIndex('createdAt', 'createdAt');
		}
	});
	return opening;
}

function changed() {
	// Other tabs and the badge listen; the service worker has no window to tell.
	if (typeof BroadcastChannel !== 'undefined') {
		const channel = new BroadcastChannel(CHANGE_EVENT);
		channel.postMessage('changed');
		channel.close();
	}
	if (typeof window !== 'undefined') window.dispatchEvent(new Event(CHANGE_EVENT));
}

/** Adds a draft, waiting unless said (a refusal carried over from elsewhere is `attention`). */
export async function addDraft(
	draft: Omit<Draft, 'state' | 'createdAt' | 'attempts'> & { state?: DraftState }
) {
	// Drafts are sent in createdAt order, and a check-out must follow its check-in even when both are
	// queued in the same millisecond (the move from localStorage does that): createdAt never repeats.
	const transaction = (await db()).transaction('drafts', 'readwrite');
	const newest = await transaction.store.index('createdAt').openCursor(null, 'prev');
	const createdAt = Math.max(Date.now(), (newest?.value.createdAt ?? 0) + 1);
	const stored: Draft = { state: 'waiting', ...draft, createdAt, attempts: 0 };
	await Promise.all([transaction.store.put(stored), transaction.done]);
	changed();
	return stored;
}

/** Calls `listener` whenever the outbox changes, in this tab, another tab or the service worker. */
export function onOutboxChange(listener: () => void): () => void {
	const channel =
		typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(CHANGE_EVENT) : null;
	channel?.addEventListener('message', listener);
	window.addEventListener(CHANGE_EVENT, listener);
	return () => {
		channel?.close();
		window.removeEventListener(CHANGE_EVENT, listener);
	};
}

/** The drafts bound for one endpoint or some (reports unless said), oldest first. */
export async function listDrafts(endpoint: string | string[] = REPORTS_ENDPOINT): Promise<Draft[]> {
	const endpoints = new Set([endpoint].flat());
	return (await allDrafts()).filter((d) => endpoints.has(d.endpoint ?? REPORTS_ENDPOINT));
}

async function allDrafts(): Promise<Draft[]> {
	if (!opening && !(await outboxExists())) return [];
	return (await db()).getAllFromIndex('drafts', 'createdAt');
}

/**
 * Whether the outbox database exists. Most visitors never queue a report: listing or replaying at start-up
 * then opens nothing, where opening would create the database, a long task on a slow phone.
 */
async function outboxExists(): Promise<boolean> {
	if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return true;
	try {
		return (await indexedDB.databases()).some((d) => d.name === DB_NAME);
	} catch {
		return true;
	}
}

export async function deleteDraft(key: string) {
	await (await db()).delete('drafts', key);
	changed();
}

async function update(key: string, patch: Partial<Draft>) {
	const database = await db();
	const draft = await database.get('drafts', key);
	if (!draft) return;
	await database.put('drafts', { ...draft, ...patch });
	changed();
}

export type SendResult =
	| { kind: 'sent'; url: string; body: Record<string, unknown> }
	| { kind: 'refused'; status: number; message: string; problems: Record<string, string> }
	| { kind: 'retry'; signedOut?: boolean };

/** Whether any of these drafts waits for its user to sign in again (the page should say so). */
export const waitsForSignIn = (drafts: Draft[]) =>
	drafts.some((draft) => draft.state !== 'attention' && draft.signedOut);

/**
 * How long one send may take before it is given up and retried later: a hung request on a weak
 * network would otherwise hold the outbox's lock, and every other page's pass, until the browser
 * drops it. Half a minute, and more for a large body, at 8 KB a second (a poor 2G link).
 */
export function sendTimeoutMs(draft: Pick<Draft, 'json' | 'fields' | 'photos'>): number {
	const bytes = draft.json
		? JSON.stringify(draft.json).length
		: draft.photos.reduce((sum, photo) => sum + photo.size, 0) +
			draft.fields.reduce((sum, [name, value]) => sum + name.length + value.length * 3, 0);
	return 30_000 + Math.ceil(bytes / 8);
}

/**
 * One attempt to send a draft. The draft is deleted only after the server confirms. Where there
 * are Web Locks, a draft is sent by one page or worker at a time: a pass that finds it being sent
 * (a report the page is sending as it is submitted, on a slow link) leaves it waiting rather than
 * sending the photos twice. The browser frees the lock when its page goes, so a send cut short
 * by a closed page does not hold the draft back.
 */
export async function sendDraft(draft: Draft, fetcher: typeof fetch = fetch): Promise<SendResult> {
	const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
	if (!locks) return sendOnce(draft, fetcher);
	return locks.request(`${DB_NAME}:${draft.key}`, { ifAvailable: true }, (lock) =>
		lock ? sendOnce(draft, fetcher) : { kind: 'retry' as const }
	);
}

async function sendOnce(draft: Draft, fetcher: typeof fetch): Promise<SendResult> {
	const timeout = new AbortController();
	const timer = setTimeout(() => timeout.abort(), sendTimeoutMs(draft));
	try {
		return await attemptSend(draft, fetcher, timeout.signal);
	} finally {
		clearTimeout(timer);
	}
}

async function attemptSend(
	draft: Draft,
	fetcher: typeof fetch,
	signal: AbortSignal
): Promise<SendResult> {
	await update(draft.key, { state: 'sending', attempts: draft.attempts + 1 });
	const headers: Record<string, string> = {
		'Idempotency-Key': draft.key,
		Accept: 'application/json'
	};
	let body: FormData | string;
	if (draft.json) {
		body = JSON.stringify(draft.json);
		headers['Content-Type'] = 'application/json';
	} else {
		body = new FormData();
		for (const [name, value] of draft.fields) body.append(name, value);
		for (const [i, photo] of draft.photos.entries())
			body.append(draft.photoField ?? 'photos', photo, `photo-${i + 1}.jpg`);
	}
	let response: Response;
	try {
		response = await fetcher(draft.endpoint ?? REPORTS_ENDPOINT, {
			method: 'POST',
			body,
			headers,
			credentials: 'same-origin',
			signal
		});
	} catch {
		await update(draft.key, { state: 'waiting' });
		return { kind: 'retry' };
	}
	if (response.ok) {
		const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
		const url = String(json.reporterUrl ?? json.url ?? '/r');
		await deleteDraft(draft.key);
		return { kind: 'sent', url, body: json };
	}
	// 429 is a "not now", like a 5xx, and 401 a "not until you sign in again": keep waiting.
	if (response.status === 401) {
		await update(draft.key, { state: 'waiting', signedOut: true });
		return { kind: 'retry', signedOut: true };
	}
	if (response.status >= 500 || response.status === 429) {
		await update(draft.key, { state: 'waiting', signedOut: false });
		return { kind: 'retry' };
	}
	const json = (await response.json().catch(() => ({}))) as {
		error?: { message?: string; fields?: Record<string, string> };
	};
	const message = json.error?.message ?? String(response.status);
	const problems = json.error?.fields ?? {};
	await update(draft.key, { state: 'attention', message, problems, signedOut: false });
	return { kind: 'refused', status: response.status, message, problems };
}

export interface Replay {
	/** How many drafts are still waiting. */
	waiting: number;
	/** The drafts the server took in this pass. */
	sent: Draft[];
}

let replaying: Promise<Replay> | undefined;

/**
 * Sends every waiting draft once, oldest first. One pass at a time in this page or worker, and
 * across the pages and the service worker where there are Web Locks, so none is sent twice at once.
 */
export function replayOutbox(fetcher: typeof fetch = fetch): Promise<Replay> {
	replaying ??= (async () => {
		try {
			const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
			const pass = () => sendWaiting(fetcher);
			return locks ? await locks.request(DB_NAME, pass) : await pass();
		} finally {
			replaying = undefined;
		}
	})();
	return replaying;
}

async function sendWaiting(fetcher: typeof fetch): Promise<Replay> {
	const replay: Replay = { waiting: 0, sent: [] };
	for (const draft of await allDrafts()) {
		// "sending" left over from a page that closed mid-send is retried: the key makes it safe.
		if (draft.state === 'attention') continue;
		const result = await sendDraft(draft, fetcher);
		if (result.kind === 'retry') replay.waiting++;
		if (result.kind === 'sent') replay.sent.push(draft);
	}
	return replay;
}
