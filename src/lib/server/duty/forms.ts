import { fail } from '@sveltejs/kit';
import { errorMessage } from '$lib/i18n/errors';
import { DutyError } from './errors';

/** A refusal from a duty rule as a form failure that the page shows. */
export function dutyFail(error: unknown, values: Record<string, string> = {}) {
	if (error instanceof DutyError)
		return fail(error.status, { error: errorMessage(error.code), code: error.code, values });
	throw error;
}
