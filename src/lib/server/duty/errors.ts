/** A refusal by a duty rule, with the API status it maps to. */
export class DutyError extends Error {
	constructor(
		readonly code: string,
		readonly status = 409,
		readonly fields?: Record<string, string>
	) {
		super(code);
	}
}

/** The PostgreSQL SQLSTATE of an error, looking through wrappers (drizzle wraps driver errors). */
export function pgCode(error: unknown): string | undefined {
	for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
	}
	return undefined;
}

export const EXCLUSION_VIOLATION = '23P01';
export const UNIQUE_VIOLATION = '23505';
export const CHECK_VIOLATION = '23514';
