import { expect, test, type APIRequestContext } from '@playwright/test';
import fc from 'fast-check';
import sharp from 'sharp';
import { baseURL } from '../../playwright.config';
import { operationsTaking, weirdString } from './fuzz-inputs';
import { demo, loginWithApi } from './helpers';

/**
 * Property test of every endpoint the OpenAPI document lists with a multipart body (intake, staff
 * transitions, spot checks, inspections, the Open311 create): random and malformed multipart bodies
 * always get a 4xx in the API's error format (Open311's own for Open311), never a 500. The parts carry the documented fields and others, broken
 * part headers, and files that are not what they claim (truncated, polyglot, bomb, SVG script).
 */
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'HTTP only: one project is enough');

const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

/** CRC-32 of PNG chunks, so a forged header is read as a real one and refused for its size. */
function crc32(bytes: Uint8Array): number {
	let crc = ~0;
	for (const byte of bytes) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc >>> 0;
}

/** A PNG whose header says 30 000 × 30 000 pixels, over a few bytes of data: a bomb. */
function pngBomb(): Buffer {
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(body));
		return Buffer.concat([length, body, crc]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(30_000, 0);
	header.writeUInt32BE(30_000, 4);
	header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01])),
		chunk('IEND', Buffer.alloc(0))
	]);
}

async function fileSamples(): Promise<Buffer[]> {
	const jpeg = await sharp({
		create: { width: 16, height: 12, channels: 3, background: '#c33' }
	})
		.jpeg()
		.toBuffer();
	return [
		jpeg,
		jpeg.subarray(0, Math.floor(jpeg.length / 2)),
		// A polyglot: a real JPEG with an HTML page after its end.
		Buffer.concat([jpeg, Buffer.from('<html><script>alert(1)</script></html>')]),
		Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]),
		Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
		Buffer.from('GIF89a<script>alert(1)</script>'),
		pngBomb(),
		Buffer.alloc(0)
	];
}

interface Part {
	disposition: string | null;
	contentType: string | null;
	extraHeader: string | null;
	body: Uint8Array | string;
}

interface Body {
	contentType: string;
	body: Buffer;
	idempotencyKey: string | null;
}

function multipartBodies(
	fieldNames: string[],
	files: Buffer[],
	knownValues: string[]
): fc.Arbitrary<Body> {
	const name = fc.oneof(
		{ weight: 4, arbitrary: fc.constantFrom(...fieldNames) },
		{ weight: 1, arbitrary: fc.string({ maxLength: 20 }) }
	);
	const filename = fc.oneof(
		fc.constantFrom('photo.jpg', '../../etc/passwd', 'a.svg', '', '照片.png', 'x\u0000.jpg'),
		fc.string({ maxLength: 30 })
	);
	const disposition = fc.oneof(
		name.map((n) => `form-data; name="${n}"`),
		fc.tuple(name, filename).map(([n, f]) => `form-data; name="${n}"; filename="${f}"`),
		name.map((n) => `form-data; name=${n}`),
		name.map((n) => `form-data; name*=UTF-8''${encodeURIComponent(n)}`),
		fc.constantFrom(
			'form-data',
			'form-data; name=',
			'form-data; name="',
			'attachment; name="photo"',
			'form-data; name="a"; name="b"',
			'form-data; filename="x.jpg"'
		),
		fc.constant(null)
	);
	const partType = fc.option(
		fc.oneof(
			fc.constantFrom(
				'image/jpeg',
				'image/png',
				'image/svg+xml',
				'text/plain; charset=utf-8',
				'application/octet-stream',
				'multipart/mixed; boundary=inner'
			),
			fc.string({ maxLength: 30 })
		)
	);
	const extraHeader = fc.option(
		fc.oneof(
			fc.constantFrom('Content-Transfer-Encoding: base64', 'X-Broken', ': no name'),
			fc.string({ maxLength: 40 }).map((v) => `X-Fuzz: ${v}`)
		)
	);
	const partBody = fc.oneof(
		fc.constantFrom(...knownValues),
		weirdString,
		fc.constantFrom(...files),
		fc.uint8Array({ maxLength: 2048 }),
		fc.integer().map(String),
		fc.double().map(String)
	);
	const part: fc.Arbitrary<Part> = fc.record({
		disposition,
		contentType: partType,
		extraHeader,
		body: partBody
	});
	const boundary = fc.constantFrom(
		'b',
		'----WebKitFormBoundary7MA4YWxkTrZu0gW',
		'x'.repeat(70),
		'x'.repeat(200),
		'a b',
		'"',
		'--',
		'é'
	);
	// Most bodies are well formed, so their fields reach the rules; the rest break one thing.
	const breakage = fc.oneof(
		{ weight: 3, arbitrary: fc.constant('none') },
		{
			weight: 2,
			arbitrary: fc.constantFrom(
				'bare-lf',
				'unclosed',
				'cut',
				'other-boundary',
				'no-boundary',
				'quoted-boundary',
				'upper-case-type',
				'charset-param'
			)
		}
	);
	return fc
		.record({
			boundary,
			otherBoundary: boundary,
			breakage,
			parts: fc.array(part, { maxLength: 8 }),
			preamble: fc.option(fc.string({ maxLength: 40 })),
			cut: fc.double({ min: 0, max: 1, noNaN: true }),
			idempotencyKey: fc.oneof(
				{ weight: 4, arbitrary: fc.uuid().map(() => crypto.randomUUID()) },
				{ weight: 1, arbitrary: fc.constantFrom(null, 'not-a-uuid', '') }
			)
		})
		.map((g) => {
			const br = g.breakage === 'bare-lf' ? '\n' : '\r\n';
			const chunks: Buffer[] = [];
			if (g.preamble !== null) chunks.push(Buffer.from(g.preamble + br));
			for (const p of g.parts) {
				const headers = [
					p.disposition === null ? null : `Content-Disposition: ${p.disposition}`,
					p.contentType === null ? null : `Content-Type: ${p.contentType}`,
					p.extraHeader
				].filter((h): h is string => h !== null);
				chunks.push(Buffer.from(`--${g.boundary}${br}${headers.join(br)}${br}${br}`));
				chunks.push(Buffer.from(p.body));
				chunks.push(Buffer.from(br));
			}
			if (g.breakage !== 'unclosed') chunks.push(Buffer.from(`--${g.boundary}--${br}`));
			let body = Buffer.concat(chunks);
			if (g.breakage === 'cut') body = body.subarray(0, Math.floor(body.length * g.cut));
			const declared = g.breakage === 'other-boundary' ? g.otherBoundary : g.boundary;
			const contentTypes: Record<string, string> = {
				'no-boundary': 'multipart/form-data',
				'quoted-boundary': `multipart/form-data; boundary="${declared}"`,
				'upper-case-type': `MULTIPART/FORM-DATA; BOUNDARY=${declared}`,
				'charset-param': `multipart/form-data; boundary=${declared}; charset=utf-8`
			};
			const contentType = contentTypes[g.breakage] ?? `multipart/form-data; boundary=${declared}`;
			return { contentType, body, idempotencyKey: g.idempotencyKey };
		});
}

/** A fresh case of this test's own, so a random move that happens to be valid disturbs no other. */
async function freshCaseId(request: APIRequestContext): Promise<string> {
	const created = await request.post('/api/v1/reports', {
		headers: { Origin: baseURL, 'Idempotency-Key': crypto.randomUUID() },
		multipart: { category: 'fireworks', lat: '31.85237', lng: '117.29191' }
	});
	expect(created.status()).toBe(201);
	return (await created.json()).id;
}

async function firstCampaignId(request: APIRequestContext): Promise<string> {
	const response = await request.get('/api/v1/staff/campaigns');
	expect(response.status()).toBe(200);
	const campaigns: { id: string }[] = await response.json();
	return campaigns[0]?.id ?? PLACEHOLDER_ID;
}

/** A new Open311 api_key (the admin's context makes it). */
async function open311Key(admin: APIRequestContext): Promise<string> {
	const made = await admin.post('/api/v1/admin/api-keys', {
		data: { name: 'multipart fuzz' },
		headers: { Origin: baseURL }
	});
	expect(made.status()).toBe(201);
	return (await made.json()).key;
}

for (const role of ['anonymous', 'admin'] as const) {
	test(`random multipart bodies never cause a 500 (${role})`, async ({ playwright }) => {
		test.setTimeout(240_000);
		const request = await playwright.request.newContext({ baseURL });
		if (role === 'admin') await loginWithApi(request, baseURL, demo.admin);
		const doc = await (await request.get('/api/v1/openapi.json')).json();
		const operations = operationsTaking(doc, 'multipart/form-data');
		expect(operations.map((op) => op.template)).toEqual(
			expect.arrayContaining([
				'/api/v1/reports',
				'/api/v1/staff/reports/{id}/transitions',
				'/api/v1/staff/spot-checks',
				'/api/v1/staff/campaigns/{id}/inspections'
			])
		);
		const ids: Record<string, string> =
			role === 'admin'
				? {
						'/api/v1/staff/reports/{id}/transitions': await freshCaseId(request),
						'/api/v1/staff/campaigns/{id}/inspections': await firstCampaignId(request)
					}
				: {};
		// Values that pass a field's first check, so a body gets past it more often than by chance.
		const knownValues = ['fireworks', '31.85237', '117.29191', 'fail', 'pass', 'handle', 'absent'];
		if (role === 'admin') knownValues.push(await open311Key(request));
		const files = await fileSamples();
		for (const op of operations) {
			const open311 = !op.template.startsWith(doc.servers[0].url);
			const path = op.template
				.replace('{format}', 'json')
				.replace(/\{[^}]+\}/g, ids[op.template] ?? PLACEHOLDER_ID);
			// Field errors name the fields read: the body was parsed and reached the rules behind it.
			let fieldErrors = 0;
			await fc.assert(
				fc.asyncProperty(
					multipartBodies(op.properties, files, knownValues),
					async ({ contentType, body, idempotencyKey }) => {
						const response = await request.fetch(path, {
							method: op.method,
							data: body,
							headers: {
								'Content-Type': contentType,
								Origin: baseURL,
								...(idempotencyKey === null ? {} : { 'Idempotency-Key': idempotencyKey })
							}
						});
						const status = response.status();
						const where = `${op.method} ${path} ${contentType} ${body.subarray(0, 160).toString('latin1')}`;
						expect(status, where).toBeLessThan(500);
						if (status < 400) return;
						const json = await response.json();
						if (open311) {
							expect(typeof json[0]?.code, where).toBe('number');
							expect(typeof json[0]?.description, where).toBe('string');
							return;
						}
						expect(typeof json.error?.code, where).toBe('string');
						expect(typeof json.error?.message, where).toBe('string');
						if (json.error.fields) fieldErrors++;
					}
				),
				{ numRuns: 60 }
			);
			if (!open311 && (role === 'admin' || op.template === '/api/v1/reports'))
				expect(fieldErrors, `${op.method} ${path}: no body reached validation`).toBeGreaterThan(0);
		}
		await request.dispose();
	});
}
