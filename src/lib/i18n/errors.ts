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
	number: m.field_number
};
export type FieldProblem = keyof typeof fieldMessages;

/** A field problem code as text; unknown codes fall back to the general error code's text. */
export function fieldMessage(code: string): string {
	const field = fieldMessages[code as FieldProblem] ?? dutyFieldMessages[code];
	return field ? field() : errorMessage(code);
}
