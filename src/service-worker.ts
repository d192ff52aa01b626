/// <reference lib="webworker" />
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute, setCatchHandler } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';
import { SYNC_TAG, replayOutbox } from '$lib/offline/outbox';
import { PAGES_CACHE } from '$lib/offline/page-cache';

declare let self: ServiceWorkerGlobalScope;

// The app shell (built JS, CSS, icons) and the prerendered offline page.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Public pages: network first, the last copy when offline. Staff, admin and account pages hold
// personal data, so they are never kept on the device; the rest are forgotten at logout.
const privatePages = [/^\/staff/, /^\/admin/, /^\/account/, /^\/login/, /^\/signup/, /^\/api\//];
registerRoute(
	new NavigationRoute(new NetworkFirst({ cacheName: PAGES_CACHE, networkTimeoutSeconds: 5 }), {
		denylist: privatePages
	})
);

// Notice covers: their URL changes with the notice, so a kept copy is never stale; a notice seen
// once opens offline with its picture.
registerRoute(
	({ url, request }) =>
		request.method === 'GET' && /^\/notices\/[0-9a-f-]{36}\/cover$/i.test(url.pathname),
	new CacheFirst({ cacheName: 'notice-covers' })
);

// The report page must open offline, even if the resident never visited it before: keep a copy
// from the moment the worker installs.
const OFFLINE_READY = ['/report'];
self.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(PAGES_CACHE)
			.then((cache) => cache.addAll(OFFLINE_READY))
			.catch(() => {})
	);
});

// Background Sync: send the outbox even when no page is open.
interface SyncEvent extends ExtendableEvent {
	readonly tag: string;
}
self.addEventListener('sync', (event) => {
	const sync = event as SyncEvent;
	if (sync.tag !== SYNC_TAG) return;
	sync.waitUntil(
		replayOutbox().then(({ waiting }) => {
			// Still waiting: fail the sync so the browser tries again later.
			if (waiting > 0) throw new Error('outbox not empty');
		})
	);
});

// Web Push: shift reminders (and other notices) sent by the server's jobs, shown even when no
// page is open. The payload is JSON {title, body, link, tag}.
self.addEventListener('push', (event) => {
	let data: { title?: string; body?: string; link?: string; tag?: string } = {};
	try {
		data = event.data?.json() ?? {};
	} catch {
		data = { body: event.data?.text() };
	}
	event.waitUntil(
		self.registration.showNotification(data.title || '街巷', {
			body: data.body ?? '',
			tag: data.tag,
			icon: '/icons/icon-192.png',
			data: { link: data.link || '/' }
		})
	);
});

self.addEventListener('notificationclick', (event) => {
	event.notification.close();
	const link = new URL(event.notification.data?.link ?? '/', self.location.origin);
	// Only our own pages open from a notification.
	const target = link.origin === self.location.origin ? link.href : self.location.origin;
	event.waitUntil(
		self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
			const open = windows.find((w) => w.url === target);
			return open ? open.focus() : self.clients.openWindow(target);
		})
	);
});

// Only GET requests are routed above: POSTs always go to the network (the outbox retries them).
setCatchHandler(async ({ request }) => {
	if (request.mode === 'navigate') return (await matchPrecache('/offline')) ?? Response.error();
	return Response.error();
});

// The update prompt asks before the new worker takes over.
self.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});
