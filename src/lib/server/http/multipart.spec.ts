import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PARTS, MultipartError, boundaryOf, parseMultipart, readMultipart } from './multipart';

/** The body and Content-Type a browser-grade encoder (undici's Request) makes of a FormData. */
async function encoded(form: FormData) {
	const request = new Request('http://x/', { method: 'POST', body: form });
	return { request, body: Buffer.from(await request.clone().arrayBuffer()) };
}

const name = fc.oneof(
	fc.constantFrom('category', 'photos', 'answer.noise', 'a"b', 'line\r\nbreak', '名字', ''),
	fc.string({ maxLength: 12, unit: 'binary' })
);
const text = fc.oneof(
	fc.string({ maxLength: 40, unit: 'grapheme' }),
	fc.constantFrom('', '\r\n', '--', '\r\n--', '😀绿化带', 'a\u0000b')
);
const bytes = fc.uint8Array({ maxLength: 300 });

describe('parseMultipart', () => {
	it('reads what a browser-grade encoder sends exactly as Request.formData() does', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.oneof(
						fc.record({ name, value: text }),
						fc.record({ name, file: bytes, filename: fc.constantFrom('p.jpg', '', '照片.jpg') })
					),
					{ maxLength: 8 }
				),
				async (entries) => {
					const form = new FormData();
					for (const entry of entries) {
						if ('file' in entry) form.append(entry.name, new Blob([entry.file]), entry.filename);
						else form.append(entry.name, entry.value);
					}
					const { request, body } = await encoded(form);
					const ours = await readMultipart(request.clone());
					const theirs = await request.formData();
					const theirParts = await Promise.all(
						[...theirs].map(async ([key, value]) =>
							typeof value === 'string'
								? { name: key, filename: null, text: value }
								: {
										name: key,
										filename: value.name,
										bytes: [...new Uint8Array(await value.arrayBuffer())]
									}
						)
					);
					const ourParts = ours.parts.map((part) =>
						part.filename === null
							? { name: part.name, filename: null, text: part.data.toString('utf8') }
							: { name: part.name, filename: part.filename, bytes: [...part.data] }
					);
					expect(ourParts).toEqual(theirParts);
					expect(body.length).toBeGreaterThan(0);
				}
			),
			{ numRuns: 300 }
		);
	});

	it('gives fields, every value of a repeated field, and non-empty files', async () => {
		const form = new FormData();
		form.append('category', 'noise');
		form.append('answer.time', '夜间');
		form.append('answer.time', '清晨');
		form.append('photos', new Blob([new Uint8Array([0xff, 0xd8, 0xff])]), 'a.jpg');
		form.append('category', 'second value ignored by fields()');
		const { request } = await encoded(form);
		const parsed = await readMultipart(request);
		expect(parsed.fields()).toEqual({ category: 'noise', 'answer.time': '夜间' });
		expect(parsed.getAll('answer.time')).toEqual(['夜间', '清晨']);
		expect(parsed.get('missing')).toBeNull();
		expect(parsed.files('photos').map((file) => [...file])).toEqual([[0xff, 0xd8, 0xff]]);
		// A file part is not a text field, and a text field is not a file.
		expect(parsed.getAll('photos')).toEqual([]);
		expect(parsed.files('category')).toEqual([]);
	});

	it('drops the empty part a browser sends for a file input left empty', () => {
		const body = Buffer.from(
			'--x\r\nContent-Disposition: form-data; name="photos"; filename=""\r\n' +
				'Content-Type: application/octet-stream\r\n\r\n\r\n--x--\r\n'
		);
		const form = parseMultipart(body, 'x');
		expect(form.parts).toMatchObject([{ name: 'photos', filename: '' }]);
		expect(form.files('photos')).toEqual([]);
		expect(form.fields()).toEqual({});
	});

	it('takes a preamble, quoted boundaries and a part with a content type', () => {
		const body = Buffer.from(
			'ignored preamble\r\n--b x\r\n' +
				'Content-Disposition: form-data; name="photos"; filename="p.jpg"\r\n' +
				'Content-Type: image/jpeg\r\n\r\n' +
				'JPEG\r\n--b x--\r\nepilogue'
		);
		const boundary = boundaryOf('Multipart/Form-Data; charset=utf-8; boundary="b x"');
		expect(boundary).toBe('b x');
		const form = parseMultipart(body, boundary!);
		expect(form.parts).toHaveLength(1);
		expect(form.parts[0]).toMatchObject({
			name: 'photos',
			filename: 'p.jpg',
			contentType: 'image/jpeg'
		});
		expect(form.parts[0].data.toString()).toBe('JPEG');
	});

	it('refuses other types and boundaries that are missing or too long', () => {
		expect(boundaryOf('application/json')).toBeNull();
		expect(boundaryOf('multipart/form-data')).toBeNull();
		expect(boundaryOf('multipart/mixed; boundary=x')).toBeNull();
		expect(boundaryOf(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeNull();
		expect(boundaryOf(`multipart/form-data; boundary=${'x'.repeat(70)}`)).toBe('x'.repeat(70));
	});

	const part = (headers: string, content = 'v') => `--x\r\n${headers}\r\n\r\n${content}\r\n`;
	const malformed: [string, string][] = [
		['empty', ''],
		['no boundary at all', 'hello'],
		['truncated inside a part', part('Content-Disposition: form-data; name="a"').slice(0, -4)],
		['never closed', part('Content-Disposition: form-data; name="a"')],
		['no line break after the boundary', '--xjunk\r\n\r\nv\r\n--x--'],
		['headers never end', '--x\r\nContent-Disposition: form-data; name="a"\r\nv\r\n--x--'],
		['a part without headers', '--x\r\n\r\nv\r\n--x--'],
		['not form-data', part('Content-Disposition: attachment; name="a"') + '--x--'],
		['no name', part('Content-Disposition: form-data; filename="a.jpg"') + '--x--'],
		[
			'a header line without a colon',
			part('Content-Disposition: form-data; name="a"\r\nbroken') + '--x--'
		],
		[
			'huge headers',
			part(`Content-Disposition: form-data; name="a"\r\nX: ${'y'.repeat(9000)}`) + '--x--'
		]
	];
	it.each(malformed)('refuses a body that is %s', (_, body) => {
		expect(() => parseMultipart(Buffer.from(body), 'x')).toThrow(MultipartError);
	});

	it(`refuses more than ${MAX_PARTS} parts, and takes exactly that many`, () => {
		const many = (n: number) =>
			Buffer.from(part('Content-Disposition: form-data; name="a"').repeat(n) + '--x--');
		expect(parseMultipart(many(MAX_PARTS), 'x').parts).toHaveLength(MAX_PARTS);
		expect(() => parseMultipart(many(MAX_PARTS + 1), 'x')).toThrow(MultipartError);
	});

	it('never throws anything but MultipartError on random bytes around a valid start', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (tail, framed) => {
				const body = Buffer.concat([Buffer.from(framed ? '--x\r\n' : ''), Buffer.from(tail)]);
				try {
					parseMultipart(body, 'x');
				} catch (error) {
					expect(error).toBeInstanceOf(MultipartError);
				}
			}),
			{ numRuns: 2000 }
		);
	});

	it('reads the request body, and refuses a request that is not multipart', async () => {
		const notMultipart = new Request('http://x/', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}'
		});
		await expect(readMultipart(notMultipart)).rejects.toBeInstanceOf(MultipartError);
	});
});
