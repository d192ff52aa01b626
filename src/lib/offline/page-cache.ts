/**
 * The service worker's copies of pages seen, for offline use. Some hold personal data (a
 * volunteer's bookings, a resident's case news), so logging out deletes them.
 */
export const PAGES_CACHE = 'pages';

/** Forgets the pages kept on this device; unsent reports and scans (IndexedDB) stay. */
export async function forgetKeptPages(): Promise<void> {
	if (typeof caches === 'undefined') return;
	await caches.delete(PAGES_CACHE).catch(() => false);
}
