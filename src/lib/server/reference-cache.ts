import type { Db } from './db';

/**
 * Reference data (categories, communities, the subdistrict) is read by every report form and
 * category request and changed only by an admin. Each server keeps it for a short time, per
 * database handle; a change through admin.ts clears it at once on that server, and the others
 * catch up within REFERENCE_TTL_MS (clients may already cache the categories for 60 s).
 */
export const REFERENCE_TTL_MS = 30_000;

interface Entry {
	at: number;
	generation: number;
	value: Promise<unknown>;
}

const caches = new WeakMap<Db, Map<string, Entry>>();
let generation = 0;

export function cachedReference<T>(
	db: Db,
	key: string,
	load: () => PromiseLike<T>,
	now = Date.now()
): Promise<T> {
	let cache = caches.get(db);
	if (!cache) caches.set(db, (cache = new Map()));
	const hit = cache.get(key);
	if (hit && hit.generation === generation && now - hit.at < REFERENCE_TTL_MS)
		return hit.value as Promise<T>;
	const value = Promise.resolve().then(load);
	const entry = { at: now, generation, value };
	cache.set(key, entry);
	// A failed read (database down) is not kept: the next request tries again.
	value.catch(() => {
		if (cache.get(key) === entry) cache.delete(key);
	});
	return value;
}

/** Drops every cached reference read on this server, after an admin change or a seed. */
export function clearReferenceCache(): void {
	generation++;
}
