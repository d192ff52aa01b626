/**
 * Runs a task now and then every `everyMs` in this server. Each task keeps its state in the
 * database and claims its work there, so several servers may run it at once without doing it twice.
 */
export function startPeriodic(
	name: string,
	task: () => Promise<unknown>,
	everyMs = 5 * 60_000
): () => void {
	const run = () => task().catch((error: unknown) => console.error(`[jobs] ${name} failed`, error));
	const timer = setInterval(run, everyMs);
	timer.unref();
	void run();
	return () => clearInterval(timer);
}
