/** The duty area's part of the OpenAPI document (merged into `api/openapi.ts`). */
const errorRef = { $ref: '#/components/schemas/Error' };
const err = (description: string) => ({
	description,
	content: { 'application/json': { schema: errorRef } }
});
const ok = (description: string, schema: object) => ({
	description,
	content: { 'application/json': { schema } }
});
const idempotencyHeader = {
	name: 'Idempotency-Key',
	in: 'header',
	required: true,
	description:
		'A UUID made when the user acts. Same key and payload: the first answer again; other payload: 422; missing: 400.',
	schema: { type: 'string' }
};
const idParam = {
	name: 'id',
	in: 'path',
	required: true,
	schema: { type: 'string', format: 'uuid' }
};
const shift = {
	type: 'object',
	required: ['id', 'post', 'startsAt', 'endsAt', 'capacity', 'booked'],
	properties: {
		id: { type: 'string', format: 'uuid' },
		post: {
			type: 'object',
			properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } }
		},
		startsAt: { type: 'string', format: 'date-time' },
		endsAt: { type: 'string', format: 'date-time' },
		capacity: { type: 'integer' },
		booked: { type: 'integer' },
		free: { type: 'integer' },
		waitlisted: { type: 'integer' },
		signupOpensAt: { type: 'string', format: 'date-time' },
		cancelCutoffAt: { type: 'string', format: 'date-time' },
		activity: {
			type: ['object', 'null'],
			description: 'Set when the shift is a one-off activity (clean-up, publicity event)',
			properties: { id: { type: 'string', format: 'uuid' }, title: { type: 'string' } }
		}
	}
};
const checkInBody = {
	required: true,
	content: {
		'application/json': {
			schema: {
				type: 'object',
				required: ['code'],
				properties: {
					code: { type: 'string', pattern: '^\\d{6}$' },
					deviceAt: {
						type: 'string',
						format: 'date-time',
						description: 'Device time of an offline scan; the code is verified for that time.'
					},
					lat: { type: 'number' },
					lng: { type: 'number' }
				}
			}
		}
	}
};

export const dutyPaths = {
	'/shifts': {
		get: {
			summary: 'Open shifts with their free places',
			parameters: [
				{
					name: 'from',
					in: 'query',
					schema: { type: 'string' },
					description: 'ISO date or date-time; default today'
				},
				{
					name: 'to',
					in: 'query',
					schema: { type: 'string' },
					description: 'ISO date or date-time; default 15 days on; at most 31 days after from'
				},
				{ name: 'post', in: 'query', schema: { type: 'string' }, description: 'post id or code' }
			],
			responses: {
				200: ok('Shifts in time order', { type: 'array', items: shift }),
				400: err('Invalid from, to or post')
			}
		}
	},
	'/shifts/{id}/bookings': {
		post: {
			summary: 'Book a place on a shift (or the waitlist when full)',
			security: [{ session: [] }],
			parameters: [idParam, idempotencyHeader],
			requestBody: {
				required: false,
				content: {
					'application/json': {
						schema: {
							type: 'object',
							properties: {
								waitlist: {
									type: 'boolean',
									default: true,
									description: 'false: 409 shift_full instead of a waitlist place'
								}
							}
						}
					}
				}
			},
			responses: {
				201: ok('Booked or waitlisted', {
					type: 'object',
					properties: {
						id: { type: 'string', format: 'uuid' },
						status: { type: 'string', enum: ['booked', 'waitlisted'] }
					}
				}),
				400: err('Missing Idempotency-Key (idempotency_key_required) or invalid body'),
				401: err('Not logged in'),
				403: err('Not a volunteer, or profile_required'),
				404: err('No such shift'),
				409: err('shift_full, overlap, closed or already_booked'),
				422: err('Idempotency-Key reused with another payload')
			}
		}
	},
	'/bookings/{id}': {
		delete: {
			summary: 'Cancel a booking (until the cut-off); the first on the waitlist moves up',
			security: [{ session: [] }],
			parameters: [idParam],
			responses: {
				200: ok('Cancelled', {
					type: 'object',
					properties: { id: { type: 'string' }, status: { type: 'string', enum: ['cancelled'] } }
				}),
				401: err('Not logged in'),
				403: err('Not a volunteer'),
				404: err('Not your booking'),
				409: err('cancel_closed')
			}
		}
	},
	'/checkins': {
		post: {
			summary:
				'Check in at a post with its rotating 6-digit code (also offline scans, with deviceAt)',
			security: [{ session: [] }],
			requestBody: checkInBody,
			responses: {
				200: ok('Checked in', { type: 'object' }),
				400: err('invalid_code or device_time'),
				409: err('not_in_window')
			}
		}
	},
	'/checkouts': {
		post: {
			summary: 'Check out with the post code; makes the service record',
			security: [{ session: [] }],
			requestBody: checkInBody,
			responses: {
				200: ok('Checked out', { type: 'object' }),
				400: err('invalid_code or device_time'),
				409: err('not_checked_in')
			}
		}
	}
};
