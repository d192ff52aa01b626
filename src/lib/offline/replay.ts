import { CHANGE_EVENT, SYNC_TAG, replayOutbox } from './outbox';

/*
 * When the page replays the outbox: on start, on the `online` event, and on a back-off timer
 * (5 s doubling to 10 min: the first send after the `online` event often fails, the network not
 * being usable yet). Where the browser has Background Sync, the service worker also
 * replays on its `sync` event, even after the page is closed.
 */

const FIRST_DELAY = 5_000;
const MAX_DELAY = 600_000;
let timer: ReturnType<typeof setTimeout> | undefined;
let delay = FIRST_DELAY;
let started = false;

async function run() {
	clearTimeout(timer);
	const { waiting } = await replayOutbox().catch(() => ({ waiting: 1 }));
	if (waiting > 0) {
		timer = setTimeout(run, delay);
		delay = Math.min(delay * 2, MAX_DELAY);
	} else {
		delay = FIRST_DELAY;
	}
}

/** Asks for a Background Sync, where there is one. */
export async function requestSync() {
	try {
		const registration = await navigator.serviceWorker?.ready;
		const sync = (
			registration as ServiceWorkerRegistration & {
				sync?: { register(tag: string): Promise<void> };
			}
		)?.sync;
		await sync?.register(SYNC_TAG);
	} catch {
		// No Background Sync: the timer and the online event do the work.
	}
}

export function startReplay() {
	if (started) return;
	started = true;
	window.addEventListener('online', () => {
		delay = FIRST_DELAY;
		void run();
	});
	void run();
}

/** Starts the timer again after something new was added. */
export function kick() {
	delay = FIRST_DELAY;
	void run();
	void requestSync();
}

export { CHANGE_EVENT };
