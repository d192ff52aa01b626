import { json } from '@sveltejs/kit';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import {
	readSubmission,
	reporterPath,
	takeReport,
	toApiError,
	trackingPath
} from '$lib/server/reports/http';

/** A resident's report (multipart). Safe to retry with the same Idempotency-Key. */
export const POST = endpoint(async (event) => {
	const type = event.request.headers.get('content-type') ?? '';
	if (!type.startsWith('multipart/form-data')) throw new ApiError(415, 'unsupported_media_type');
	let form: FormData;
	try {
		form = await event.request.formData();
	} catch {
		throw new ApiError(400, 'invalid_input');
	}
	const key = event.request.headers.get('idempotency-key');
	const submission = await readSubmission(event, form, key);
	try {
		const { report, replayed } = await takeReport(await getDb(), submission);
		return json(
			{
				id: report.id,
				trackingCode: report.trackingCode,
				status: report.status,
				stage: report.stage,
				outsideArea: report.outsideArea,
				url: trackingPath(report.trackingCode),
				reporterUrl: reporterPath(report)
			},
			{ status: 201, headers: replayed ? { 'Idempotent-Replayed': 'true' } : {} }
		);
	} catch (error) {
		throw toApiError(error);
	}
});
