import { describe, expect, it } from 'vitest';
import { readReportForm, refillOf } from './http';

describe('refillOf', () => {
	it('keeps every value of a multi-choice answer and never the phone number', () => {
		const sent = new Map([
			['category', ['construction-noise']],
			['construction-noise.q_time_of_day', ['day', 'night']],
			['phone', ['13912345678']]
		]);
		const refill = refillOf({
			fields: Object.fromEntries([...sent].map(([name, all]) => [name, all[0]])),
			getAll: (name) => sent.get(name) ?? []
		});
		expect(refill.values).toEqual({
			category: 'construction-noise',
			'construction-noise.q_time_of_day': 'day'
		});
		expect(refill.choices).toEqual({ 'construction-noise.q_time_of_day': ['day', 'night'] });
	});
});

describe('readReportForm', () => {
	const post = (body: BodyInit, type = 'multipart/form-data; boundary=x') =>
		new Request('http://x/', {
			method: 'POST',
			headers: { 'content-type': type },
			body,
			duplex: 'half'
		} as RequestInit);

	it('reads a well-formed body', async () => {
		const body = '--x\r\nContent-Disposition: form-data; name="category"\r\n\r\nnoise\r\n--x--\r\n';
		expect((await readReportForm(post(body))).get('category')).toBe('noise');
	});

	it('answers 400 for a broken body and 413 for one over the server limit', async () => {
		await expect(readReportForm(post('--x\r\nnot a part'))).rejects.toMatchObject({
			status: 400,
			code: 'invalid_input'
		});
		// The server's reader fails the body stream this way when it passes BODY_SIZE_LIMIT.
		const overLimit = new ReadableStream({
			pull(controller) {
				controller.error(Object.assign(new Error('Payload Too Large'), { status: 413 }));
			}
		});
		await expect(readReportForm(post(overLimit))).rejects.toMatchObject({
			status: 413,
			code: 'too_large'
		});
	});
});
