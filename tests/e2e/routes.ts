import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** One staff-only thing to try: a page load, a form action or an endpoint method. */
export interface ProtectedTarget {
	kind: 'page' | 'action' | 'endpoint';
	method: string;
	path: string;
	/** The route file it comes from, for messages. */
	file: string;
}

const ROUTES = 'src/routes';
// Sample values for dynamic segments: ids that exist nowhere, so no real object is touched.
const params: Record<string, string> = {
	id: '00000000-0000-4000-8000-000000000000',
	code: 'no-such-code',
	trackingCode: 'NOSUCHCODE'
};

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

function urlOf(file: string): string {
	const parts = relative(ROUTES, file).split(sep).slice(0, -1);
	const segments = parts
		.filter((p) => !(p.startsWith('(') && p.endsWith(')')))
		.map((p) =>
			p.replace(/^\[(?:\.\.\.)?(\w+)(?:=\w+)?\]$/, (_, name: string) => params[name] ?? 'x')
		);
	return '/' + segments.join('/');
}

/** Every page, form action and endpoint method below the staff and admin areas. */
export function protectedTargets(isProtected: (path: string) => boolean): ProtectedTarget[] {
	const targets: ProtectedTarget[] = [];
	for (const file of walk(ROUTES)) {
		const path = urlOf(file);
		if (!isProtected(path)) continue;
		const source = readFileSync(file, 'utf8');
		if (file.endsWith('+page.server.ts')) {
			targets.push({ kind: 'page', method: 'GET', path, file });
			const actions = source.match(/export const actions[\s\S]*$/)?.[0] ?? '';
			for (const [, name] of actions.matchAll(/^\t(\w+):\s/gm)) {
				targets.push({
					kind: 'action',
					method: 'POST',
					path: name === 'default' ? path : `${path}?/${name}`,
					file
				});
			}
		} else if (file.endsWith('+server.ts')) {
			for (const [, method] of source.matchAll(
				/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g
			)) {
				targets.push({ kind: 'endpoint', method, path, file });
			}
		}
	}
	return targets;
}
