import { error as httpError, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';
import {
	ApiError,
	endpoint,
	isDatabaseUnavailable,
	readJsonBody,
	readMultipartBody
} from './errors';

const event = { locals: { requestId: 'req-123' } } as unknown as RequestEvent;

describe('endpoint', () => {
	it('turns an ApiError into the error format with its status and headers', async () => {
		const handler = endpoint(() => {
			throw new ApiError(429, 'rate_limited', undefined, { 'Retry-After': '60' });
		});
		const response = await handler(event);
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('60');
		expect(await response.json()).toEqual({
			error: { code: 'rate_limited', message: '尝试次数过多，请稍后再试。' }
		});
	});

	it('translates field problem codes', async () => {
		const response = await endpoint(() => {
			throw new ApiError(400, 'invalid_input', { phone: 'phone' });
		})(event);
		expect((await response.json()).error.fields).toEqual({ phone: '请输入 11 位手机号' });
	});

	it('answers 500 with only the request id: no message or stack of the real error', async () => {
		const log = vi.spyOn(console, 'error').mockImplementation(() => {});
		const response = await endpoint(() => {
			throw new Error('secret detail at /srv/app/file.ts:10');
		})(event);
		const text = await response.text();
		expect(response.status).toBe(500);
		expect(JSON.parse(text).error).toMatchObject({ code: 'internal_error', requestId: 'req-123' });
		expect(text).not.toContain('secret detail');
		expect(text).not.toContain('file.ts');
		expect(log).toHaveBeenCalledWith('[req-123]', expect.any(Error));
		log.mockRestore();
	});

	it('answers 503 when the database is unreachable', async () => {
		const response = await endpoint(() => {
			throw Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
		})(event);
		expect(response.status).toBe(503);
		expect((await response.json()).error.code).toBe('database_unavailable');
	});

	it('maps SvelteKit http errors onto codes', async () => {
		const response = await endpoint(() => httpError(404, 'nope'))(event);
		expect(response.status).toBe(404);
		expect((await response.json()).error.code).toBe('not_found');
	});
});

describe('isDatabaseUnavailable', () => {
	it('looks through error causes', () => {
		const wrapped = new Error('query failed', { cause: { code: '57P01' } });
		expect(isDatabaseUnavailable(wrapped)).toBe(true);
		expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '23505' }))).toBe(false);
	});
});

describe('readJsonBody', () => {
	const post = (body: string, type = 'application/json') =>
		new Request('http://x/', { method: 'POST', body, headers: { 'content-type': type } });
	it('accepts a JSON object', async () => {
		expect(await readJsonBody(post('{"a":1}'))).toEqual({ a: 1 });
	});
	it.each(['[1]', 'null', '"x"', '{"a":'])('refuses %s with invalid_json', async (body) => {
		await expect(readJsonBody(post(body))).rejects.toMatchObject({
			status: 400,
			code: 'invalid_json'
		});
	});
	it('reads the media type without regard to case or parameters', async () => {
		expect(await readJsonBody(post('{"a":1}', 'Application/JSON; charset=UTF-8'))).toEqual({
			a: 1
		});
	});
	it('refuses another media type with 415', async () => {
		await expect(readJsonBody(post('{}', 'application/jsonp'))).rejects.toMatchObject({
			status: 415
		});
		await expect(
			readJsonBody(post('a=1', 'application/x-www-form-urlencoded'))
		).rejects.toMatchObject({ status: 415 });
	});
});

/** A body as SvelteKit gives it when it is over BODY_SIZE_LIMIT: a stream errored with status 413. */
function overLimit(type: string) {
	const tooLarge = Object.assign(new Error('request body size exceeded BODY_SIZE_LIMIT'), {
		status: 413
	});
	return new Request('http://x/', {
		method: 'POST',
		body: new ReadableStream({ start: (controller) => controller.error(tooLarge) }),
		headers: { 'content-type': type },
		duplex: 'half'
	} as RequestInit);
}

describe('bodies over the size limit', () => {
	it('are 413 too_large for JSON, not a JSON error', async () => {
		await expect(readJsonBody(overLimit('application/json'))).rejects.toMatchObject({
			status: 413,
			code: 'too_large'
		});
	});
	it('are 413 too_large for a form', async () => {
		await expect(
			readMultipartBody(overLimit('multipart/form-data; boundary=x'))
		).rejects.toMatchObject({ status: 413, code: 'too_large' });
	});
});

describe('readMultipartBody', () => {
	const post = (body: string, type = 'multipart/form-data; boundary=b') =>
		new Request('http://x/', { method: 'POST', body, headers: { 'content-type': type } });
	it('reads text fields and files', async () => {
		const form = await readMultipartBody(
			post(
				'--b\r\nContent-Disposition: form-data; name="result"\r\n\r\nabsent\r\n' +
					'--b\r\nContent-Disposition: form-data; name="photo"; filename="p.jpg"\r\n' +
					'Content-Type: image/jpeg\r\n\r\nJPEG\r\n--b--\r\n'
			)
		);
		expect(form.fields()).toEqual({ result: 'absent' });
		expect(form.files('photo').map((file) => file.toString())).toEqual(['JPEG']);
	});
	it('refuses a truncated body with 400 and another media type with 415', async () => {
		await expect(
			readMultipartBody(post('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx'))
		).rejects.toMatchObject({ status: 400, code: 'invalid_input' });
		await expect(readMultipartBody(post('a=1', 'application/json'))).rejects.toMatchObject({
			status: 415
		});
	});
	it('refuses a multipart type with no boundary, or one over 70 characters, with 400', async () => {
		for (const type of ['multipart/form-data', `multipart/form-data; boundary=${'b'.repeat(71)}`])
			await expect(readMultipartBody(post('--b--\r\n', type))).rejects.toMatchObject({
				status: 400,
				code: 'invalid_input'
			});
	});
});
