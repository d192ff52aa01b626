/** Runs `task` once the page is idle (at most `timeout` ms later), keeping start-up work off the first paint. */
export function whenIdle(task: () => void, timeout = 2000): void {
	if (typeof requestIdleCallback === 'function') requestIdleCallback(() => task(), { timeout });
	else setTimeout(task, 200);
}
