import { json } from '@sveltejs/kit';
import { inspectionSchema } from '$lib/domain/shops';
import { formObject, parseInput } from '$lib/domain/validation';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import { requireCampaignApi } from '$lib/server/shops/api';
import { CampaignProblem, recordInspection } from '$lib/server/shops/campaigns';
import { uuidPattern } from '$lib/server/shops/form';
import { PhotoError, storeInspectionPhoto } from '$lib/server/shops/photo';
import { m } from '$lib/paraglide/messages.js';

/**
 * An inspection from the phone's outbox (multipart: clientId, shopId, inspectedAt, appearance,
 * sanitation, order, note?, photo?). The clientId makes a replay harmless: 201 the first time,
 * 200 with the same answer after.
 */
export const POST = endpoint(async (event) => {
	const user = await requireCampaignApi(event);
	const id = event.params.id ?? '';
	if (!uuidPattern.test(id)) throw new ApiError(404, 'not_found');
	const type = event.request.headers.get('content-type') ?? '';
	if (!type.startsWith('multipart/form-data')) throw new ApiError(415, 'unsupported_media_type');
	const form = await event.request.formData();
	const parsed = parseInput(inspectionSchema, formObject(form));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const photo = form.get('photo');
	let photoKey: string | null = null;
	try {
		if (photo instanceof File && photo.size > 0)
			photoKey = await storeInspectionPhoto(new Uint8Array(await photo.arrayBuffer()));
		const recorded = await recordInspection(
			await getDb(),
			id,
			{ ...parsed.value, photoKey },
			{
				appearance: m.shops_duty_appearance({}, { locale: 'zh-CN' }),
				sanitation: m.shops_duty_sanitation({}, { locale: 'zh-CN' }),
				order: m.shops_duty_order({}, { locale: 'zh-CN' })
			},
			user
		);
		return json(
			{ id: recorded.id, case: recorded.case },
			{ status: recorded.replayed ? 200 : 201 }
		);
	} catch (error) {
		if (error instanceof PhotoError)
			throw new ApiError(error.code === 'too_large' ? 413 : 415, error.code, { photo: error.code });
		if (error instanceof CampaignProblem) {
			// The specific problem is the code, so a client can say what went wrong.
			const code = error.fields ? Object.values(error.fields)[0] : error.code;
			throw new ApiError(error.status, code, error.fields);
		}
		throw error;
	}
});
