import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { guardFormData } from './form-body';

const guarded = (body: BodyInit, type: string) => {
	const request = new Request('http://x/', {
		method: 'POST',
		body,
		headers: { 'content-type': type },
		duplex: 'half'
	} as RequestInit);
	guardFormData(request);
	return request;
};

async function statusOf(promise: Promise<unknown>) {
	const failure = await promise.then(
		() => null,
		(error: unknown) => error
	);
	expect(isHttpError(failure)).toBe(true);
	return (failure as { status: number }).status;
}

describe('guardFormData', () => {
	it('reads a well-formed form as before', async () => {
		const form = await guarded('a=1&b=2', 'application/x-www-form-urlencoded').formData();
		expect(Object.fromEntries(form)).toEqual({ a: '1', b: '2' });
	});
	it('makes a malformed multipart body a 400', async () => {
		const truncated = '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx';
		expect(await statusOf(guarded(truncated, 'multipart/form-data; boundary=b').formData())).toBe(
			400
		);
	});
	it('makes a body over the size limit a 413', async () => {
		const tooLarge = Object.assign(new Error('over BODY_SIZE_LIMIT'), { status: 413 });
		const body = new ReadableStream({ start: (controller) => controller.error(tooLarge) });
		expect(await statusOf(guarded(body, 'application/x-www-form-urlencoded').formData())).toBe(413);
	});
});
