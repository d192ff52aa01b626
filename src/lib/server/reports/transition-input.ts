import { parseInput } from '$lib/domain/validation';
import { transitionSchema } from '$lib/domain/staff-input';
import { ApiError, readJsonBody, readMultipartBody, readUrlEncodedBody } from '../api/errors';
import { mediaTypeOf } from '../http/media-type';
import { discardAfterPhoto, storeAfterPhoto } from './after-photo';
import type { TransitionInput } from './workflow';

/**
 * Reads a transition from a JSON body or a multipart form (the `handle` move carries its after
 * photo as the file field `photo`). Shared by the JSON endpoint and the case page's form action.
 */
export async function readTransition(request: Request): Promise<TransitionInput> {
	const type = mediaTypeOf(request);
	let values: Record<string, unknown>;
	let photo: Uint8Array | undefined;
	if (type === 'application/json') values = await readJsonBody(request);
	else if (type === 'multipart/form-data') {
		const form = await readMultipartBody(request);
		values = form.fields();
		photo = form.files('photo')[0];
	} else if (type === 'application/x-www-form-urlencoded')
		values = await readUrlEncodedBody(request);
	else throw new ApiError(415, 'unsupported_media_type');
	const parsed = parseInput(transitionSchema, values);
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const input: TransitionInput = { ...parsed.value };
	if (photo && parsed.value.action === 'handle') input.photo = await storeAfterPhoto(photo);
	return input;
}

/** Removes a stored photo whose move failed, so no orphan file stays behind. */
export async function discardPhoto(input: TransitionInput): Promise<void> {
	await discardAfterPhoto(input.photo);
}
