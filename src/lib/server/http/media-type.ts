/**
 * The media type of a request's body: lower case, without parameters, '' when none. Media types
 * are case-insensitive (RFC 9110), so `Multipart/Form-Data; boundary=…` is a form too.
 */
export function mediaTypeOf(request: Request): string {
	return (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
}
