import { readSheet } from 'read-excel-file/node';

/** One row of a spreadsheet or CSV file, with the line (row number) people see in their editor. */
export interface SourceRow {
	line: number;
	cells: string[];
}

/**
 * Decodes CSV bytes: UTF-8 (with or without BOM) or, as Excel saves it on Chinese Windows, GB18030.
 */
export function decodeCsv(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		return new TextDecoder('gb18030').decode(bytes);
	}
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): SourceRow[] {
	const rows: SourceRow[] = [];
	let cells: string[] = [];
	let cell = '';
	let quoted = false;
	let line = 1;
	let rowLine = 1;
	const s = text.replace(/^\uFEFF/, '');
	const endRow = () => {
		cells.push(cell);
		if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
		cells = [];
		cell = '';
	};
	for (let i = 0; i < s.length; i++) {
		const ch = s[i];
		if (quoted) {
			if (ch === '"') {
				if (s[i + 1] === '"') {
					cell += '"';
					i++;
				} else quoted = false;
			} else {
				if (ch === '\n') line++;
				cell += ch;
			}
		} else if (ch === '"' && cell === '') {
			quoted = true;
		} else if (ch === ',') {
			cells.push(cell);
			cell = '';
		} else if (ch === '\r' || ch === '\n') {
			if (ch === '\r' && s[i + 1] === '\n') i++;
			endRow();
			line++;
			rowLine = line;
		} else {
			cell += ch;
		}
	}
	if (cell !== '' || cells.length) endRow();
	return rows;
}

function cellText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	return String(value);
}

/** The first sheet of an .xlsx file; lines are the sheet's row numbers. */
export async function parseXlsx(bytes: Uint8Array): Promise<SourceRow[]> {
	const data = await readSheet(Buffer.from(bytes));
	return data
		.map((row, i) => ({ line: i + 1, cells: row.map(cellText) }))
		.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

/** XLSX files are ZIP archives: they start with "PK\x03\x04". */
export function looksLikeXlsx(bytes: Uint8Array): boolean {
	return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}
