// The production server: adapter-node's own (build/index.js: port, graceful shutdown, socket
// activation) with the public cache (scripts/public-cache.js) in front of the app.
// PUBLIC_CACHE_SECONDS (default 5) bounds how long a public answer is reused; 0 turns it off.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPublicCache } from './public-cache.js';

const seconds = Number(process.env.PUBLIC_CACHE_SECONDS ?? 5);
const { server: app } = await import(pathToFileURL(join(process.cwd(), 'build/index.js')).href);

if (seconds > 0) {
	const cache = createPublicCache({ maxSeconds: seconds });
	// Polka listens with `attach`, which defers each request by a setImmediate; the cache answers
	// at once and hands the rest to the same handler.
	app.server.removeListener('request', app.attach);
	app.server.on('request', (req, res) => cache.handle(req, res, () => app.handler(req, res)));
}

// A request answered before its body was read (a 401 to a POST) leaves SvelteKit's body stream
// paused with the rest unread, so Node never reads on and the keep-alive connection breaks on its
// next request (ECONNRESET in tests/e2e/fuzz.spec.ts, 7 of 30 runs without this, 0 of 30 with it).
// Once the answer is sent, the rest is read and dropped.
app.server.on('request', (req, res) => {
	res.on('finish', () => {
		if (req.complete || req.destroyed) return;
		req.removeAllListeners('data');
		req.resume();
	});
});
