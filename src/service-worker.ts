/// <reference lib="webworker" />
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute, setCatchHandler } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';

declare let self: ServiceWorkerGlobalScope;

// The app shell (built JS, CSS, icons) and the prerendered offline page.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Public pages: network first, the last copy when offline. Staff, admin and account pages hold
// personal data, so they are never kept on the device.
const privatePages = [/^\/staff/, /^\/admin/, /^\/account/, /^\/login/, /^\/signup/, /^\/api\//];
registerRoute(
	new NavigationRoute(new NetworkFirst({ cacheName: 'pages', networkTimeoutSeconds: 5 }), {
		denylist: privatePages
	})
);

// Only GET requests are routed above: POSTs always go to the network (the outbox retries them).
setCatchHandler(async ({ request }) => {
	if (request.mode === 'navigate') return (await matchPrecache('/offline')) ?? Response.error();
	return Response.error();
});

// The update prompt asks before the new worker takes over.
self.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});
