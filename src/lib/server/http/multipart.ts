/*
 * multipart/form-data, read from the whole body in one pass (RFC 7578). Report intake takes many
 * photos a second: `Request.formData()` copies every part into a Blob and a File and then back
 * out, which cost intake more than half a millisecond a report. Here a file is a view of the
 * body's own bytes, and a text field is decoded once.
 */

/** A body that is not well-formed multipart: the caller answers 400. */
export class MultipartError extends Error {}

export interface MultipartPart {
	name: string;
	/** Present (maybe empty) on a file part, null on a text field. */
	filename: string | null;
	contentType: string | null;
	data: Buffer;
}

/** The parsed form: text fields by name, files by name, in the order sent. */
export class MultipartForm {
	constructor(readonly parts: readonly MultipartPart[]) {}

	/** The first text value of `name`, or null. */
	get(name: string): string | null {
		return this.getAll(name)[0] ?? null;
	}

	/** Every text value of `name` (a multi-choice answer sends several). */
	getAll(name: string): string[] {
		return this.parts
			.filter((part) => part.name === name && part.filename === null)
			.map((part) => part.data.toString('utf8'));
	}

	/** The first text value of each field. */
	fields(): Record<string, string> {
		const fields: Record<string, string> = {};
		for (const part of this.parts)
			if (part.filename === null && !Object.hasOwn(fields, part.name))
				fields[part.name] = part.data.toString('utf8');
		return fields;
	}

	/** The files sent under `name`, without empty ones (an empty file input still sends a part). */
	files(name: string): Buffer[] {
		return this.parts
			.filter((part) => part.name === name && part.filename !== null && part.data.length > 0)
			.map((part) => part.data);
	}
}

/** More parts than any form of ours sends: refused rather than parsed. */
export const MAX_PARTS = 200;
/** A part's headers larger than this are not a browser's. */
const MAX_HEADER_BYTES = 8 * 1024;

const HEADERS_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` Content-Type, or null for any other type. */
export function boundaryOf(contentType: string): string | null {
	const [type, ...params] = contentType.split(';');
	if (type.trim().toLowerCase() !== 'multipart/form-data') return null;
	for (const param of params) {
		const match = /^\s*boundary\s*=\s*(?:"([^"]*)"|([^\s;]*))\s*$/i.exec(param);
		const boundary = match && (match[1] ?? match[2]);
		// RFC 2046: 1 to 70 characters.
		if (boundary && boundary.length <= 70) return boundary;
	}
	return null;
}

/** Parses a whole multipart body. Throws MultipartError when it is truncated or malformed. */
export function parseMultipart(
	body: Buffer,
	boundary: string,
	maxParts = MAX_PARTS
): MultipartForm {
	const dashBoundary = Buffer.from(`--${boundary}`);
	const delimiter = Buffer.from(`\r\n--${boundary}`);
	// The first boundary starts the body, or follows a preamble and its line break.
	let position: number;
	if (body.subarray(0, dashBoundary.length).equals(dashBoundary)) position = dashBoundary.length;
	else {
		const first = body.indexOf(delimiter);
		if (first < 0) throw new MultipartError('no boundary');
		position = first + delimiter.length;
	}
	const parts: MultipartPart[] = [];
	for (;;) {
		// After a boundary: `--` closes the body, else optional padding and a line break.
		if (body[position] === 0x2d && body[position + 1] === 0x2d) break;
		while (body[position] === 0x20 || body[position] === 0x09) position++;
		if (body[position] !== 0x0d || body[position + 1] !== 0x0a)
			throw new MultipartError('no line break after a boundary');
		position += 2;
		if (parts.length === maxParts) throw new MultipartError('too many parts');
		// Headers end at a blank line; a part with none starts with it.
		const headersEnd = body.indexOf(HEADERS_END, position - 2);
		if (headersEnd < 0 || headersEnd - position > MAX_HEADER_BYTES)
			throw new MultipartError('unterminated part headers');
		const headers = headersEnd < position ? '' : body.toString('utf8', position, headersEnd);
		const contentStart = headersEnd + HEADERS_END.length;
		const contentEnd = body.indexOf(delimiter, contentStart);
		if (contentEnd < 0) throw new MultipartError('truncated body');
		parts.push({ ...partHeaders(headers), data: body.subarray(contentStart, contentEnd) });
		position = contentEnd + delimiter.length;
	}
	return new MultipartForm(parts);
}

/** A part's name, filename and type from its headers; a part must be `form-data` with a name. */
function partHeaders(headers: string): Omit<MultipartPart, 'data'> {
	let disposition: string | null = null;
	let contentType: string | null = null;
	for (const line of headers.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon < 0) throw new MultipartError('malformed part header');
		const field = line.slice(0, colon).trim().toLowerCase();
		const value = line.slice(colon + 1).trim();
		if (field === 'content-disposition') disposition = value;
		else if (field === 'content-type') contentType = value;
	}
	if (!disposition || !/^form-data\s*(;|$)/i.test(disposition))
		throw new MultipartError('part is not form-data');
	const params = new Map<string, string>();
	for (const match of disposition.matchAll(/;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g))
		params.set(match[1].toLowerCase(), match[2] ?? match[3].trim());
	const name = params.get('name');
	if (name === undefined) throw new MultipartError('part has no name');
	const filename = params.get('filename');
	return {
		name: decodeFormName(name),
		filename: filename === undefined ? null : decodeFormName(filename),
		contentType
	};
}

/** Browsers escape `"`, CR and LF in names as %22, %0D and %0A (WHATWG HTML, form submission). */
function decodeFormName(value: string): string {
	return value.replace(/%(22|0D|0A)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Reads a request's multipart body. Throws MultipartError for another type or a bad body. */
export async function readMultipart(request: Request): Promise<MultipartForm> {
	const boundary = boundaryOf(request.headers.get('content-type') ?? '');
	if (!boundary) throw new MultipartError('not multipart/form-data');
	return parseMultipart(Buffer.from(await request.arrayBuffer()), boundary);
}
