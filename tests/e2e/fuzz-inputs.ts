import fc from 'fast-check';

/** Strings that break naive parsers: binary, graphemes, lone surrogates, injections, 100 KB. */
export const weirdString = fc.oneof(
	fc.string({ unit: 'binary', maxLength: 64 }),
	fc.string({ unit: 'grapheme', maxLength: 64 }),
	fc.constantFrom(
		'\u0000',
		'\uFEFF',
		'\uD800',
		'𠀀𠀁',
		'e\u0301',
		'<script>alert(1)</script>',
		"' or 1=1 --",
		'../../etc/passwd',
		'%00',
		'13800000001'
	),
	fc.string({ minLength: 100_000, maxLength: 100_001 }).map((s) => s.padEnd(100_000, 'x'))
);

type DocOperation = {
	requestBody?: { content?: Record<string, { schema?: { properties?: object } }> };
};
/** A path item: its operations, and the server it lives under when not /api/v1 (Open311). */
export type PathItem = { servers?: { url: string }[] } & Record<string, DocOperation>;

export interface DocumentedOperation {
	method: string;
	/** The full path, under its server, with `{…}` parameters still in it. */
	template: string;
	properties: string[];
}

/** Every operation of the OpenAPI document that takes a body of this media type. */
export function operationsTaking(
	doc: { paths: Record<string, PathItem>; servers: { url: string }[] },
	mediaType: string
): DocumentedOperation[] {
	const operations: DocumentedOperation[] = [];
	for (const [path, { servers, ...item }] of Object.entries(doc.paths)) {
		for (const [method, op] of Object.entries(item)) {
			const schema = op.requestBody?.content?.[mediaType]?.schema;
			if (!schema) continue;
			operations.push({
				method: method.toUpperCase(),
				template: (servers?.[0].url ?? doc.servers[0].url) + path,
				properties: Object.keys(schema.properties ?? {})
			});
		}
	}
	return operations;
}
