/**
 * The admin list pages edit one row at a time. After a failed save the server returns the typed values with a
 * problem per field (see server/admin-form.ts); these helpers pick them out so the failed row shows what was typed.
 */
type FailedSave = {
	id?: string | null;
	values?: Record<string, string>;
	fields?: Record<string, string>;
};

function failedSave(form: unknown): FailedSave | null {
	return form && typeof form === 'object' && 'values' in form ? (form as FailedSave) : null;
}

/** The id of the row whose save failed ('' for the new row), or null when nothing failed. */
export function failedRowId(form: unknown): string | null {
	const failed = failedSave(form);
	return failed ? (failed.id ?? '') : null;
}

/** The problems of one row's fields, empty unless that row's save failed. */
export function rowProblems(form: unknown, rowId: string): Record<string, string> {
	const failed = failedSave(form);
	return failed && (failed.id ?? '') === rowId ? (failed.fields ?? {}) : {};
}

/**
 * The values a row's editor shows: the stored row, or what was typed when this row's save failed. Checkboxes
 * post "on" or nothing, so they are turned back into booleans.
 */
export function rowValues<Row extends { id: string }>(
	form: unknown,
	row: Row,
	checkboxes: readonly string[] = []
): Row {
	const failed = failedSave(form);
	if (!failed || (failed.id ?? '') !== row.id) return row;
	const typed: Record<string, unknown> = { ...row, ...failed.values };
	for (const name of checkboxes) typed[name] = failed.values?.[name] === 'on';
	return typed as Row;
}
