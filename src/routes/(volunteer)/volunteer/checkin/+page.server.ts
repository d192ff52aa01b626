import { localName } from '$lib/i18n/labels';
import { getLocale } from '$lib/paraglide/runtime.js';
import { fail, type RequestEvent } from '@sveltejs/kit';
import { formatHours } from '$lib/domain/duty';
import { checkInSchema } from '$lib/domain/duty-validation';
import { formObject, parseInput } from '$lib/domain/validation';
import { fieldProblems } from '$lib/i18n/labels';
import { m } from '$lib/paraglide/messages.js';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { checkIn, checkOut } from '$lib/server/duty/checkin';
import { dutyFail } from '$lib/server/duty/forms';
import type { Actions, PageServerLoad } from './$types';

/** The post's name in the page's language. */
const postOf = (result: { post: string; postEn: string | null }) =>
	localName({ name: result.post, nameEn: result.postEn }, getLocale());

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'duty.book');
	const code = event.url.searchParams.get('code') ?? '';
	return { code: /^\d{6}$/.test(code) ? code : '' };
};

async function scan(event: RequestEvent, kind: 'in' | 'out') {
	const user = requirePage(event, 'duty.book');
	const values = formObject(await event.request.formData());
	const input = {
		code: values.code ?? '',
		lat: values.lat ? Number(values.lat) : undefined,
		lng: values.lng ? Number(values.lng) : undefined
	};
	const parsed = parseInput(checkInSchema, input);
	if (!parsed.ok) return fail(400, { values, fields: fieldProblems(parsed.fields) });
	const db = await getDb();
	try {
		if (kind === 'in') {
			const result = await checkIn(db, {
				volunteerId: user.id,
				...parsed.value,
				deviceAt: undefined
			});
			return { message: m.duty_checkin_done_in({ post: postOf(result) }) };
		}
		const result = await checkOut(db, {
			volunteerId: user.id,
			...parsed.value,
			deviceAt: undefined
		});
		return {
			message: m.duty_checkin_done_out({ post: postOf(result), hours: formatHours(result.minutes) })
		};
	} catch (error) {
		return dutyFail(error, values);
	}
}

export const actions: Actions = {
	in: (event) => scan(event, 'in'),
	out: (event) => scan(event, 'out')
};
