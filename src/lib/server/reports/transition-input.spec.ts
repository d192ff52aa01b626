import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { photoStore } from './photos';
import { discardPhoto, readTransition } from './transition-input';

process.env.UPLOAD_DIR = mkdtempSync(join(tmpdir(), 'jx-input-'));

const post = (body: BodyInit, type?: string) =>
	new Request('http://localhost/x', {
		method: 'POST',
		body,
		headers: type ? { 'content-type': type } : undefined
	});

async function failure(promise: Promise<unknown>) {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ApiError);
	return error as ApiError;
}

describe('reading a transition', () => {
	it('reads JSON, with the version as a number', async () => {
		const input = await readTransition(
			post(
				JSON.stringify({ action: 'dispatch', department: 'city-management', version: 3 }),
				'application/json'
			)
		);
		expect(input).toMatchObject({ action: 'dispatch', department: 'city-management', version: 3 });
	});

	it('reads the media type without regard to case', async () => {
		const body = '--b\r\nContent-Disposition: form-data; name="action"\r\n\r\nstart\r\n--b--\r\n';
		expect(await readTransition(post(body, 'Multipart/Form-Data; boundary=b'))).toEqual({
			action: 'start'
		});
		expect(
			await readTransition(post('{"action":"start"}', 'APPLICATION/JSON; charset=utf-8'))
		).toEqual({ action: 'start' });
	});

	it('reads a form post, with the version as text and empty fields left out', async () => {
		const form = new URLSearchParams({
			action: 'decline',
			reason: ' 不属实 ',
			version: '2',
			note: ''
		});
		const input = await readTransition(post(form, 'application/x-www-form-urlencoded'));
		expect(input).toEqual({ action: 'decline', reason: '不属实', version: 2 });
	});

	it('stores the after photo of a multipart handle, and can discard it', async () => {
		const form = new FormData();
		form.set('action', 'handle');
		form.set('note', '已清理');
		const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } })
			.png()
			.toBuffer();
		form.set('photo', new File([new Uint8Array(png)], 'after.png', { type: 'image/png' }));
		const input = await readTransition(post(form));
		expect(input.photo?.contentType).toBe('image/jpeg');
		const key = input.photo!.storageKey;
		expect(await photoStore().get(key)).not.toBeNull();
		await discardPhoto(input);
		expect(await photoStore().get(key)).toBeNull();
	});

	it('refuses unknown actions, bad versions, broken JSON and other media types', async () => {
		const unknown = await failure(
			readTransition(post(JSON.stringify({ action: 'fly' }), 'application/json'))
		);
		expect(unknown.fields).toEqual({ action: 'choice' });
		expect(
			(
				await failure(
					readTransition(
						post(JSON.stringify({ action: 'accept', version: 'x' }), 'application/json')
					)
				)
			).status
		).toBe(400);
		expect((await failure(readTransition(post('{', 'application/json')))).code).toBe(
			'invalid_json'
		);
		expect((await failure(readTransition(post('[1]', 'application/json')))).code).toBe(
			'invalid_json'
		);
		expect((await failure(readTransition(post('a', 'text/plain')))).status).toBe(415);
	});

	it('refuses a malformed multipart body with 400, not an unexpected error', async () => {
		const truncated = '--b\r\nContent-Disposition: form-data; name="action"\r\n\r\nhandle';
		const refused = await failure(
			readTransition(post(truncated, 'multipart/form-data; boundary=b'))
		);
		expect([refused.status, refused.code]).toEqual([400, 'invalid_input']);
	});
});
