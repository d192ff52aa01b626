import { parseInput } from '$lib/domain/validation';
import { transitionSchema } from '$lib/domain/staff-input';
import { ApiError } from '../api/errors';
import { discardAfterPhoto, storeAfterPhoto } from './after-photo';
import type { TransitionInput } from './workflow';

/**
 * Reads a transition from a JSON body or a multipart form (the `handle` move carries its after
 * photo as the file field `photo`). Shared by the JSON endpoint and the case page's form action.
 */
export async function readTransition(request: Request): Promise<TransitionInput> {
	const type = request.headers.get('content-type') ?? '';
	let values: Record<string, unknown>;
	let file: File | null = null;
	if (type.includes('application/json')) {
		try {
			values = (await request.json()) as Record<string, unknown>;
		} catch {
			throw new ApiError(400, 'invalid_json');
		}
		if (!values || typeof values !== 'object' || Array.isArray(values))
			throw new ApiError(400, 'invalid_json');
	} else if (
		type.includes('multipart/form-data') ||
		type.includes('application/x-www-form-urlencoded')
	) {
		const form = await request.formData();
		values = {};
		for (const [key, value] of form) {
			if (typeof value === 'string') values[key] ??= value;
			else if (key === 'photo' && value.size > 0) file = value;
		}
	} else throw new ApiError(415, 'unsupported_media_type');
	const parsed = parseInput(transitionSchema, values);
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const input: TransitionInput = { ...parsed.value };
	if (file && parsed.value.action === 'handle')
		input.photo = await storeAfterPhoto(new Uint8Array(await file.arrayBuffer()));
	return input;
}

/** Removes a stored photo whose move failed, so no orphan file stays behind. */
export async function discardPhoto(input: TransitionInput): Promise<void> {
	await discardAfterPhoto(input.photo);
}
