import { error } from '@sveltejs/kit';
import { errorMessage } from '$lib/i18n/errors';

/**
 * Makes an unreadable form body the sender's error wherever it is read. `Request.formData()`
 * throws a TypeError on a malformed multipart body, and SvelteKit's 413 on one over
 * BODY_SIZE_LIMIT. Unguarded in a form action, either would be a 500. Here every caller gets a
 * 400 or a 413 instead.
 */
export function guardFormData(request: Request): void {
	const read = request.formData.bind(request);
	request.formData = async () => {
		try {
			return await read();
		} catch (cause) {
			const tooLarge = (cause as { status?: unknown } | null)?.status === 413;
			error(tooLarge ? 413 : 400, errorMessage(tooLarge ? 'too_large' : 'invalid_input'));
		}
	};
}
