import { CHANGE_EVENT, SYNC_TAG, replayOutbox } from './outbox';

/*
 * When the page replays the outbox: on start, on the `online` event, and on a back-off timer
 * (5 s doubling to 10 min: the first send after the `online` event often fails, the network not
 * being usable yet). Where the browser has Background Sync, the service worker also
 * replays on its `sync` event, even after the page is closed.
 */

const FIRST_DELAY = 5_000;
const MAX_DELAY = 600_000;

/**
 * Runs `pass` now and on a back-off while drafts wait. Asked again while a pass runs (the network
 * came back mid-pass), it runs another right after, instead of waiting out the back-off: the pass
 * in flight began before the network was usable and may still fail.
 */
export function replayScheduler(pass: () => Promise<{ waiting: number }>) {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let delay = FIRST_DELAY;
	let running: Promise<void> | undefined;
	let again = false;

	async function passes() {
		do {
			again = false;
			clearTimeout(timer);
			const { waiting } = await pass().catch(() => ({ waiting: 1 }));
			if (again) continue;
			if (waiting > 0) {
				timer = setTimeout(run, delay);
				delay = Math.min(delay * 2, MAX_DELAY);
			} else {
				delay = FIRST_DELAY;
			}
		} while (again);
	}

	/** A pass now; `fresh` starts the back-off again from its first step. */
	function run(fresh = false): Promise<void> {
		if (fresh) delay = FIRST_DELAY;
		if (running) {
			again = true;
			return running;
		}
		running = passes().finally(() => {
			running = undefined;
		});
		return running;
	}

	return { run };
}

const scheduler = replayScheduler(replayOutbox);
let started = false;

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
	window.addEventListener('online', () => void scheduler.run(true));
	void scheduler.run();
}

/** Starts the timer again after something new was added. */
export function kick() {
	void scheduler.run(true);
	void requestSync();
}

export { CHANGE_EVENT };
