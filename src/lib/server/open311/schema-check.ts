import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * For tests only: validates bodies against the GeoReport v2 JSON schemas in tests/fixtures/open311
 * (see the README there for their source).
 */

const FIXTURES = join(process.cwd(), 'tests/fixtures/open311');
export type SchemaName =
	| 'services'
	| 'service-definition'
	| 'requests'
	| 'request'
	| 'post-response'
	| 'discovery'
	| 'errors';

// ajv-formats is CommonJS; its default export sits one level down under some loaders.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ??
	addFormatsImport) as unknown as (ajv: Ajv2020) => void;

let ajv: Ajv2020 | undefined;

function compiler(): Ajv2020 {
	if (ajv) return ajv;
	ajv = new Ajv2020({ allErrors: true, strict: true });
	addFormats(ajv);
	for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))) {
		ajv.addSchema(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')));
	}
	return ajv;
}

/** The schema's problems with `body`, as readable lines; empty when it is valid. */
export function schemaProblems(name: SchemaName, body: unknown): string[] {
	const validate = compiler().getSchema(`https://jiexiang.test/open311/${name}.json`);
	if (!validate) throw new Error(`no schema ${name}`);
	if (validate(body)) return [];
	return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

let openApiAjv: { doc: unknown; ajv: Ajv2020 } | undefined;

/**
 * The problems of `body` against a component schema of the served OpenAPI document, so the
 * document is checked against real answers too.
 */
export function openApiProblems(doc: unknown, component: string, body: unknown): string[] {
	let ajv = openApiAjv && openApiAjv.doc === doc ? openApiAjv.ajv : undefined;
	if (!ajv) {
		// Not strict: the document carries OpenAPI keywords (paths, info…) beside the schemas.
		ajv = new Ajv2020({ allErrors: true, strict: false });
		addFormats(ajv);
		ajv.addFormat('binary', true);
		ajv.addSchema(doc as object, 'openapi');
		openApiAjv = { doc, ajv };
	}
	const validate = ajv.getSchema(`openapi#/components/schemas/${component}`);
	if (!validate) throw new Error(`no component ${component}`);
	if (validate(body)) return [];
	return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}
