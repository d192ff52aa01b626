import { m } from '$lib/paraglide/messages.js';
import { open311, Open311Error } from '$lib/server/open311/respond';

/**
 * Every service here is `realtime`: POST requests returns the service_request_id at once and no
 * token is ever issued, so every token is unknown.
 */
export const GET = open311((event) => {
	throw new Open311Error(404, m.open311_error_token_not_found({ token: event.params.token! }));
});
