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
