import { m } from '$lib/paraglide/messages.js';

/** Error codes of the duty area and their texts; merged into the shared table in `errors.ts`. */
export const dutyErrorMessages: Record<string, () => string> = {
	shift_full: m.duty_error_shift_full,
	overlap: m.duty_error_overlap,
	closed: m.duty_error_closed,
	already_booked: m.duty_error_already_booked,
	profile_required: m.duty_error_profile_required,
	cancel_closed: m.duty_error_cancel_closed,
	invalid_code: m.duty_error_invalid_code,
	not_in_window: m.duty_error_not_in_window,
	not_checked_in: m.duty_error_not_checked_in,
	device_time: m.duty_error_device_time,
	record_final: m.duty_error_record_final,
	not_leader: m.duty_error_not_leader,
	stand_in_taken: m.duty_error_stand_in_taken,
	activity_started: m.activities_edit_closed,
	activity_cancelled: m.activities_edit_closed
};

export const dutyFieldMessages: Record<string, () => string> = {
	date: m.duty_field_date,
	time: m.duty_field_time,
	time_order: m.duty_field_time_order,
	code: m.duty_field_code,
	too_long: m.duty_field_too_long,
	guardian_required: m.duty_field_guardian_required,
	guardian_consent: m.duty_field_guardian_consent,
	visit_date: m.duty_field_visit_date
};
