import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		// Scoped class names as `s1gwnrjh`, not `svelte-1gwnrjh`: they sit on most elements of every
		// page (228 times on /report), so the shorter prefix saves over a kilobyte of HTML there.
		cssHash: ({ hash, filename, css }) => `s${hash(filename ?? css)}`
	},
	kit: {
		adapter: adapter({ precompress: true }),
		// The PWA plugin registers its own service worker (src/service-worker.ts).
		serviceWorker: { register: false },
		// The app's stylesheets are small (the largest, the shell's, is 3.5 KB): inlined in <head>, the first
		// paint waits for no request after the HTML. Leaflet's (15 KB, only with a map) stays a file.
		inlineStyleThreshold: 5 * 1024,
		// The form-origin check (against CSRF) runs in src/hooks.server.ts instead: SvelteKit's own
		// cannot exempt a route, and Open311 clients post forms from servers, with no Origin.
		csrf: { trustedOrigins: ['*'] },
		// Hashes, not nonces: a public page reused by the shared cache (scripts/public-cache.js)
		// must hold nothing made per request.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Svelte writes style attributes at runtime.
				'style-src': ['self', 'unsafe-inline'],
				// Map tiles come from a configurable https provider.
				'img-src': ['self', 'data:', 'blob:', 'https:'],
				'connect-src': ['self'],
				'font-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
