// What the service worker precaches. Staff and admin pages are never kept offline
// (src/service-worker.ts), so the chunks only they use are left out of the precache: a resident's
// phone then downloads about a third less when the worker installs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Route ids whose pages hold personal data and are never kept on the device. */
const PRIVATE_ROUTE = /^\/\(staff\)\//;

/**
 * The client files (paths under `client/`, as `_app/immutable/…`) that only private pages load:
 * found by walking Vite's client manifest from the route leaves in SvelteKit's server manifest.
 */
export function privateOnlyFiles(outputDir = '.svelte-kit/output') {
	const routes = readFileSync(join(outputDir, 'server/manifest-full.js'), 'utf8');
	// The nodes (layouts, error pages, leaves) of each page route; a node any public page uses is public.
	const privateNodes = new Set();
	const publicNodes = new Set();
	for (const [, id, page] of routes.matchAll(/id: "([^"]+)",[\s\S]*?page: (null|\{[^}]*\})/g))
		for (const [node] of page.matchAll(/\d+/g))
			(PRIVATE_ROUTE.test(id) ? privateNodes : publicNodes).add(Number(node));
	for (const node of publicNodes) privateNodes.delete(node);

	const chunks = JSON.parse(readFileSync(join(outputDir, 'client/.vite/manifest.json'), 'utf8'));
	const nodeOf = (/** @type {string} */ key) =>
		Number(key.match(/\/nodes\/(\d+)\.js$/)?.[1] ?? NaN);
	const entries = Object.keys(chunks).filter((k) => chunks[k].isEntry || chunks[k].isDynamicEntry);
	const reachable = (/** @type {string[]} */ from) => {
		/** @type {Set<string>} */
		const seen = new Set();
		const stack = [...from];
		for (let key = stack.pop(); key !== undefined; key = stack.pop()) {
			if (seen.has(key)) continue;
			seen.add(key);
			stack.push(...(chunks[key].imports ?? []));
		}
		return seen;
	};
	const publicChunks = reachable(entries.filter((k) => !privateNodes.has(nodeOf(k))));
	/** @type {Set<string>} */
	const files = new Set();
	for (const key of reachable(entries))
		if (!publicChunks.has(key))
			for (const file of [chunks[key].file, ...(chunks[key].css ?? [])]) files.add(file);
	return files;
}

/**
 * The precache manifest transform. Giving one replaces @vite-pwa/sveltekit's own, so this also
 * does what that one does for our glob patterns: `client/x` is served as `x`, and a prerendered
 * page `prerendered/pages/x.html` as `x`.
 */
export function precacheTransform(outputDir = '.svelte-kit/output') {
	/** @param {{ url: string, revision: string | null, size: number }[]} entries */
	return async (entries) => {
		const privateOnly = privateOnlyFiles(outputDir);
		const manifest = [];
		for (const entry of entries) {
			let url = entry.url;
			if (url.startsWith('client/')) url = url.slice('client/'.length);
			else if (url.startsWith('prerendered/pages/'))
				url = url.slice('prerendered/pages/'.length).replace(/(\/index)?\.html$/, '');
			if (!privateOnly.has(url)) manifest.push({ ...entry, url });
		}
		return { manifest, warnings: [] };
	};
}
