/** The duty area's part of the OpenAPI document (merged into `api/openapi.ts`). */
import { errorResponse as err, ok } from '../api/openapi-parts';

const idempotencyHeader = {
	name: 'Idempotency-Key',
	in: 'header',
	required: true,
	description:
		'A UUID made when the user acts. Same key and payload: the first answer again; other payload: 422; missing: 400.',
	schema: { type: 'string' }
};
/** Scans take a key too, optional: the phone's offline queue sends one, so a resend is harmless. */
const scanIdempotencyHeader = {
	...idempotencyHeader,
	required: false,
	description:
		'Optional. A UUID made when the scan was made: the same key and payload get the first answer again; another payload: 422.'
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
			properties: {
				id: { type: 'string', format: 'uuid' },
				name: { type: 'string' },
				nameEn: { type: ['string', 'null'], description: 'The English name, where one is set' }
			}
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
			parameters: [scanIdempotencyHeader],
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
			parameters: [scanIdempotencyHeader],
			requestBody: checkInBody,
			responses: {
				200: ok('Checked out', { type: 'object' }),
				400: err('invalid_code or device_time'),
				409: err('not_checked_in')
			}
		}
	},
	'/staff/spot-checks': {
		post: {
			summary:
				'A supervisor marks a booked volunteer or an assigned staff member present, late or absent (在岗督察), live or from the offline outbox',
			security: [{ session: [] }],
			parameters: [idempotencyHeader],
			requestBody: {
				required: true,
				content: {
					'multipart/form-data': {
						schema: {
							type: 'object',
							required: ['result'],
							properties: {
								booking: {
									type: 'string',
									format: 'uuid',
									description: 'The booking checked (or assignment)'
								},
								assignment: {
									type: 'string',
									format: 'uuid',
									description: 'The staff assignment checked (or booking)'
								},
								result: { type: 'string', enum: ['present', 'late', 'absent'] },
								note: { type: 'string', maxLength: 500 },
								checkedAt: {
									type: 'string',
									format: 'date-time',
									description: 'Device time of the tap, for a check made offline (up to 7 days old)'
								},
								photo: {
									type: 'string',
									format: 'binary',
									description: 'Optional JPEG, PNG or WebP; re-encoded, metadata stripped'
								}
							}
						}
					}
				}
			},
			responses: {
				201: ok('Saved; an absence opens a stand-in place', {
					type: 'object',
					properties: {
						id: { type: 'string', format: 'uuid' },
						result: { type: 'string' },
						photo: { type: 'boolean' }
					}
				}),
				400: err('invalid_input, device_time, photo_unreadable or idempotency_key_required'),
				401: err('Not logged in'),
				403: err('Not a supervisor, dispatcher or admin'),
				404: err('No such booking or assignment'),
				413: err('photo_too_large'),
				415: err('Not multipart, or photo_type'),
				422: err('Idempotency-Key reused with another payload')
			}
		}
	}
};
