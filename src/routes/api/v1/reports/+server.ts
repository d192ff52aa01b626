import { json } from '@sveltejs/kit';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import { mediaTypeOf } from '$lib/server/http/media-type';
import {
	readReportForm,
	readSubmission,
	reporterPath,
	takeReport,
	toApiError,
	trackingPath
} from '$lib/server/reports/http';

/** A resident's report (multipart). Safe to retry with the same Idempotency-Key. */
export const POST = endpoint(async (event) => {
	if (mediaTypeOf(event.request) !== 'multipart/form-data')
		throw new ApiError(415, 'unsupported_media_type');
	try {
		const form = await readReportForm(event.request);
		const key = event.request.headers.get('idempotency-key');
		const submission = readSubmission(event, form, key);
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
