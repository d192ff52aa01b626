import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';

/*
 * The OpenAPI document is written by hand beside the routes. These checks keep the two together:
 * a new endpoint under /api/v1 fails here until it is documented, and so does a documented one
 * that went away. (Open311's routes have their own check in open311/openapi.spec.ts.)
 */

const API = join(process.cwd(), 'src/routes/api/v1');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
// The document itself needs no entry.
const SELF = '/openapi.json';

/** Every +server.ts under src/routes/api/v1: its OpenAPI path template and exported methods. */
function apiRoutes(): { path: string; methods: string[] }[] {
	return readdirSync(API, { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('+server.ts'))
		.map((file) => {
			const folder = relative(API, join(API, file)).split(sep).slice(0, -1).join('/');
			const source = readFileSync(join(API, file), 'utf8');
			return {
				path: '/' + folder.replace(/\[(\w+)\]/g, '{$1}'),
				methods: METHODS.filter((method) =>
					new RegExp(`export (const|async function|function) ${method}\\b`).test(source)
				)
			};
		})
		.filter((route) => route.path !== SELF);
}

type PathItem = Record<string, unknown> & { servers?: unknown };
const paths = openApiDocument.paths as unknown as Record<string, PathItem>;
/** The paths served under the document's own server (/api/v1), not Open311's. */
const apiPaths = Object.keys(paths).filter((path) => !paths[path].servers);

describe('the OpenAPI document describes the JSON API', () => {
	it('has every route file under /api/v1, with each method it exports', () => {
		const routes = apiRoutes();
		expect(routes.length).toBeGreaterThan(25);
		for (const route of routes) {
			expect(route.methods.length, route.path).toBeGreaterThan(0);
			for (const method of route.methods)
				expect(paths[route.path]?.[method.toLowerCase()], `${method} ${route.path}`).toBeDefined();
		}
	});

	it('documents no path or method that does not exist', () => {
		const routes = new Map(apiRoutes().map((route) => [route.path, route.methods]));
		expect(apiPaths.filter((path) => !routes.has(path))).toEqual([]);
		for (const path of apiPaths)
			for (const method of Object.keys(paths[path]).filter((key) => key !== 'parameters'))
				expect(routes.get(path), `${method} ${path}`).toContain(method.toUpperCase());
	});
});
