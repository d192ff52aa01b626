/** Web Push subscription routes, for the OpenAPI document (merged into `api/openapi.ts`). */
import { errorResponse as err } from '../api/openapi-parts';

const endpointProperty = {
	type: 'string',
	format: 'uri',
	description: 'The push service URL from PushSubscription (https)'
};

export const pushPaths = {
	'/push/key': {
		get: {
			summary: 'The VAPID public key to subscribe with (applicationServerKey)',
			responses: {
				200: {
					description: 'The key, base64url',
					content: {
						'application/json': {
							schema: { type: 'object', properties: { publicKey: { type: 'string' } } }
						}
					}
				},
				404: err('Web Push is off (no VAPID keys in production)')
			}
		}
	},
	'/push/subscriptions': {
		post: {
			summary:
				'Keep this browser’s Web Push subscription: the caller’s notifications then also arrive as push notifications',
			description:
				'Every notification the caller gets in the app is pushed too: shift reminders, waitlist places, called-off shifts and activities, stand-in requests, case news; for staff, overdue cases, revisits due and absences. The pushes are written in the language of this request (the PARAGLIDE_LOCALE cookie, else Accept-Language). Posting the same endpoint again moves it to the caller with the new keys and language.',
			security: [{ session: [] }],
			requestBody: {
				required: true,
				content: {
					'application/json': {
						schema: {
							type: 'object',
							required: ['endpoint', 'keys'],
							description: 'PushSubscription.toJSON() as the browser gives it',
							properties: {
								endpoint: endpointProperty,
								keys: {
									type: 'object',
									required: ['p256dh', 'auth'],
									properties: {
										p256dh: { type: 'string', description: 'base64url P-256 public key' },
										auth: { type: 'string', description: 'base64url auth secret' }
									}
								},
								expirationTime: { type: ['number', 'null'] }
							}
						}
					}
				}
			},
			responses: {
				201: {
					description: 'Kept',
					content: {
						'application/json': {
							schema: { type: 'object', properties: { endpoint: { type: 'string' } } }
						}
					}
				},
				400: err('invalid_input'),
				401: err('Not logged in'),
				415: err('Not JSON')
			}
		},
		delete: {
			summary: 'Stop pushing to this browser',
			security: [{ session: [] }],
			requestBody: {
				required: true,
				content: {
					'application/json': {
						schema: {
							type: 'object',
							required: ['endpoint'],
							properties: { endpoint: endpointProperty }
						}
					}
				}
			},
			responses: {
				200: { description: 'Removed' },
				400: err('invalid_input'),
				401: err('Not logged in'),
				404: err('No such subscription of yours')
			}
		}
	}
};
