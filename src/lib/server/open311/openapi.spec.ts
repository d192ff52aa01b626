import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../api/openapi';
import { OPEN311_SERVER } from './openapi';

const ROUTES = join(process.cwd(), 'src/routes');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Every +server.ts under src/routes/open311, as an OpenAPI path template and its methods. */
function open311Routes(): { path: string; methods: string[] }[] {
	const files = readdirSync(join(ROUTES, 'open311'), { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith('+server.ts'))
		.map((f) => join(ROUTES, 'open311', f));
	return files.map((file) => {
		const dir = relative(ROUTES, file).split(sep).slice(0, -1).join('/');
		const source = readFileSync(file, 'utf8');
		return {
			path: '/' + dir.replace(/\[(\w+)\]/g, '{$1}'),
			methods: METHODS.filter((m) =>
				new RegExp(`export (const|async function|function) ${m}\\b`).test(source)
			)
		};
	});
}

type PathItem = Record<string, unknown> & { servers?: { url: string }[] };
const paths = openApiDocument.paths as unknown as Record<string, PathItem>;

/** The full URL path of each documented path item: its own server, else the document's. */
function documented(): Map<string, PathItem> {
	const base = openApiDocument.servers[0].url;
	return new Map(
		Object.entries(paths).map(([path, item]) => [(item.servers?.[0].url ?? base) + path, item])
	);
}

describe('the OpenAPI document describes Open311', () => {
	it('has every Open311 route file, with each method it exports', () => {
		const routes = open311Routes();
		expect(routes.length).toBeGreaterThanOrEqual(6);
		const described = documented();
		for (const route of routes) {
			const item = described.get(route.path);
			expect(item, route.path).toBeDefined();
			expect(item!.servers).toEqual([expect.objectContaining({ url: OPEN311_SERVER })]);
			expect(route.methods.length, route.path).toBeGreaterThan(0);
			for (const method of route.methods)
				expect(item![method.toLowerCase()], `${method} ${route.path}`).toBeDefined();
		}
		// And nothing that does not exist.
		const open311Paths = [...described.keys()].filter((p) => p.startsWith('/open311/'));
		expect(open311Paths.sort()).toEqual(routes.map((r) => r.path).sort());
	});

	it('offers JSON and XML for every answer and the error list for every failure', () => {
		for (const [path, item] of documented()) {
			if (!path.startsWith('/open311/')) continue;
			for (const [method, op] of Object.entries(item)) {
				if (method === 'servers') continue;
				const operation = op as {
					parameters: { name: string; schema: { enum?: string[] } }[];
					responses: Record<string, { content: Record<string, { schema: unknown }> }>;
				};
				const format = operation.parameters.find((p) => p.name === 'format');
				expect(format?.schema.enum, `${method} ${path}`).toEqual(['json', 'xml']);
				for (const [status, response] of Object.entries(operation.responses)) {
					expect(Object.keys(response.content).sort(), `${status} ${method} ${path}`).toEqual([
						'application/json',
						'text/xml'
					]);
					if (Number(status) >= 400)
						expect(response.content['application/json'].schema).toEqual({
							$ref: '#/components/schemas/Open311Errors'
						});
				}
				expect(Object.keys(operation.responses), `${method} ${path}`).toContain('404');
			}
		}
	});

	it('takes the create as a form, with api_key, attributes and the 4000-character description', () => {
		const post = (paths['/requests.{format}'] as { post: { requestBody: unknown } }).post;
		const body = post.requestBody as {
			content: Record<string, { schema: unknown }>;
		};
		const form = body.content['application/x-www-form-urlencoded'].schema as {
			required: string[];
			properties: Record<string, { maxLength?: number }>;
			patternProperties: Record<string, unknown>;
		};
		expect(form.required).toEqual(['api_key', 'service_code']);
		expect(form.properties.description.maxLength).toBe(4000);
		const [attribute] = Object.keys(form.patternProperties);
		expect(new RegExp(attribute).test('attribute[charging_now]')).toBe(true);
		expect(new RegExp(attribute).test('attribute[floors][]')).toBe(true);
		expect(new RegExp(attribute).test('attributes')).toBe(false);
		expect(body.content['application/json']).toBeUndefined();
	});

	it('has no dangling $ref anywhere', () => {
		const schemas = openApiDocument.components.schemas as Record<string, unknown>;
		const refs = JSON.stringify(openApiDocument).match(/"\$ref":"[^"]+"/g) ?? [];
		for (const ref of new Set(refs)) {
			const name = ref.match(/#\/components\/schemas\/([^"]+)"/)?.[1];
			expect(name && schemas[name], ref).toBeTruthy();
		}
	});
});
