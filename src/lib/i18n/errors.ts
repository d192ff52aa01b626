import { m } from '$lib/paraglide/messages.js';
import { dutyErrorMessages, dutyFieldMessages } from './duty-errors';

const messages: Record<string, () => string> = {
	invalid_input: m.error_invalid_input,
	invalid_json: m.error_invalid_json,
	unauthenticated: m.error_unauthenticated,
	forbidden: m.error_forbidden,
	cross_origin: m.error_cross_origin,
	not_found: m.error_not_found,
	method_not_allowed: m.error_method_not_allowed,
	conflict: m.error_conflict,
	too_large: m.error_too_large,
	unsupported_media_type: m.error_unsupported_media_type,
	idempotency_key_mismatch: m.error_idempotency_key_mismatch,
	idempotency_key_required: m.error_idempotency_key_required,
	rate_limited: m.error_rate_limited,
	database_unavailable: m.error_database_unavailable,
	internal_error: m.error_internal,
	invalid_credentials: m.error_invalid_credentials,
	phone_taken: m.error_phone_taken,
	account_disabled: m.error_account_disabled,
	// Reporting (issue 3); field codes of the report form resolve here too.
	photo_too_large: m.report_error_photo_too_large,
	photo_type: m.report_error_photo_type,
	photo_unreadable: m.report_error_photo_unreadable,
	photo_too_many_pixels: m.hardening_error_photo_too_many_pixels,
	storage_full: m.hardening_error_storage_full,
	storage_unavailable: m.hardening_error_storage_unavailable,
	feedback_closed: m.report_error_feedback_closed,
	report_closed: m.report_error_report_closed,
	device_required: m.report_error_device_required,
	location: m.report_field_location,
	too_many_photos: m.report_field_too_many_photos,
	too_long: m.report_field_too_long,
	stale_version: m.staff_error_stale_version,
	transition_forbidden: m.staff_error_transition_forbidden,
	revisit_not_scheduled: m.staff_error_revisit_not_scheduled,
	revisit_not_due: m.staff_error_revisit_not_due,
	...dutyErrorMessages
};

/** The user-facing text for an error code, in the request's language. */
export function errorMessage(code: string): string {
	return (messages[code] ?? m.error_generic)();
}

/** Field-level validation messages. */
export const fieldMessages = {
	required: m.field_required,
	phone: m.field_phone,
	password: m.field_password,
	name: m.field_name,
	role: m.field_role,
	choice: m.field_choice,
	number: m.field_number,
	photo_type: m.staff_field_photo_type,
	too_long: m.staff_field_too_long,
	date: m.staff_field_date
};
export type FieldProblem = keyof typeof fieldMessages;

/** A field problem code as text; unknown codes fall back to the general error code's text. */
export function fieldMessage(code: string): string {
	const field = fieldMessages[code as FieldProblem] ?? dutyFieldMessages[code];
	return field ? field() : errorMessage(code);
}
