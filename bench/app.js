// Loads the app's own TypeScript modules (with $lib and Paraglide) into a plain Node script, through
// Vite's SSR loader, so the benchmarks time the very query functions the pages call.
import { createServer } from 'vite';

export async function loadApp(paths) {
	const server = await createServer({
		server: { middlewareMode: true, hmr: false, ws: false },
		appType: 'custom',
		logLevel: 'error'
	});
	const modules = {};
	for (const [name, path] of Object.entries(paths))
		modules[name] = await server.ssrLoadModule(path);
	return { modules, close: () => server.close() };
}

export const BENCH_DATABASE_URL =
	process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/jx_bench_1m';
