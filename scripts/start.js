// Starts the built app with the README's defaults, building first when the build is missing or stale.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

process.env.PORT ||= '3000';
process.env.ORIGIN ||= `http://localhost:${process.env.PORT}`;
// Phone photos: up to 6 of 10 MB each, plus the form.
process.env.BODY_SIZE_LIMIT ||= '70M';

function newest(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const builtAt = newest('build/index.js');
const sourcesAt = Math.max(
	...['src', 'static', 'messages', 'package.json', 'svelte.config.js', 'vite.config.ts'].map(newest)
);
if (!builtAt || sourcesAt > builtAt) {
	console.log('[start] building the app…');
	execSync('npm run build', { stdio: 'inherit' });
}
await import('./serve.js');
