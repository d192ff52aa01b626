import { json } from '@sveltejs/kit';
import { inspectionSchema } from '$lib/domain/shops';
import { parseInput } from '$lib/domain/validation';
import { ApiError, endpoint, readMultipartBody } from '$lib/server/api/errors';
import { idempotencyKeyOf, once, payloadHash } from '$lib/server/api/idempotency';
import { getDb } from '$lib/server/db';
import { mediaTypeOf } from '$lib/server/http/media-type';
import { requireCampaignApi } from '$lib/server/shops/api';
import { PhotoError } from '$lib/server/reports/photos';
import { CampaignProblem } from '$lib/server/shops/campaigns';
import { uuidPattern } from '$lib/server/shops/form';
import { recordInspectionWithPhoto } from '$lib/server/shops/photo';

/**
 * An inspection from the phone's outbox (multipart: clientId, shopId, inspectedAt, appearance,
 * sanitation, order, note?, photo?), with an Idempotency-Key (the outbox sends the clientId).
 * A replay gets the first answer; the clientId also keeps one inspection per visit.
 */
export const POST = endpoint(async (event) => {
	const user = await requireCampaignApi(event);
	const id = event.params.id ?? '';
	if (!uuidPattern.test(id)) throw new ApiError(404, 'not_found');
	if (mediaTypeOf(event.request) !== 'multipart/form-data')
		throw new ApiError(415, 'unsupported_media_type');
	const key = idempotencyKeyOf(event.request);
	const form = await readMultipartBody(event.request);
	const fields = form.fields();
	const parsed = parseInput(inspectionSchema, fields);
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const photoBytes = form.files('photo')[0] ?? null;
	try {
		const result = await once(
			await getDb(),
			{
				scope: `inspection:${user.id}`,
				key,
				requestHash: payloadHash({ id, fields, photo: photoBytes })
			},
			async (tx) => {
				const recorded = await recordInspectionWithPhoto(tx, id, parsed.value, photoBytes, user);
				return {
					status: recorded.replayed ? 200 : 201,
					body: { id: recorded.id, case: recorded.case }
				};
			}
		);
		return json(result.body, { status: result.replayed ? 200 : result.status });
	} catch (error) {
		if (error instanceof PhotoError)
			throw new ApiError(error.status, error.code, { photo: error.code });
		if (error instanceof CampaignProblem) {
			// The specific problem is the code, so a client can say what went wrong.
			const code = error.fields ? Object.values(error.fields)[0] : error.code;
			throw new ApiError(error.status, code, error.fields);
		}
		throw error;
	}
});
