import { fail, redirect } from '@sveltejs/kit';
import { localDate } from '$lib/domain/duty';
import { volunteerProfileSchema } from '$lib/domain/duty-validation';
import { formObject, parseInput } from '$lib/domain/validation';
import { fieldProblems } from '$lib/i18n/labels';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { getProfile, saveProfile } from '$lib/server/duty/profiles';
import { calendarToken, feedUrl, regenerateCalendarToken } from '$lib/server/duty/calendar';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.book');
	const profile = await getProfile(await getDb(), user.id);
	const values: Record<string, string> = profile
		? {
				realName: profile.realName,
				birthDate: profile.birthDate,
				skills: profile.skills,
				guardianName: profile.guardianName ?? '',
				guardianPhone: profile.guardianPhone ?? '',
				guardianConsent: profile.guardianConsentAt ? 'on' : ''
			}
		: { realName: user.name };
	const token = profile ? await calendarToken(await getDb(), user.id) : null;
	return {
		profile: values,
		calendarUrl: token ? feedUrl(event.url.origin, token, getLocale()) : null
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = requirePage(event, 'duty.book');
		const values = formObject(await event.request.formData());
		const parsed = parseInput(volunteerProfileSchema(localDate(new Date())), values);
		if (!parsed.ok) return fail(400, { values, fields: fieldProblems(parsed.fields) });
		await saveProfile(await getDb(), user.id, parsed.value);
		redirect(303, '/volunteer?done=profile');
	},
	calendar: async (event) => {
		const user = requirePage(event, 'duty.book');
		await regenerateCalendarToken(await getDb(), user.id);
		redirect(303, '/volunteer/profile');
	}
};
