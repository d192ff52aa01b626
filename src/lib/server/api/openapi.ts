import { MAX_DESCRIPTION } from '$lib/domain/reporting';
import { stages } from '$lib/domain/stages';
import { dutyPaths } from '../duty/openapi';
import { pushPaths } from '../push/openapi';
import { noticesPaths, noticesSchemas } from '../notices/openapi';
import { open311Paths, open311Schemas } from '../open311/openapi';
import { errorResponse, jsonBody, ok, sessionSecurity, uuid } from './openapi-parts';
import { staffPaths, staffSchemas } from './openapi-staff';
/** The JSON API described as OpenAPI 3.1, served at /api/v1/openapi.json. Extend it with each route. */
const userRef = { $ref: '#/components/schemas/User' };

export const openApiDocument = {
	openapi: '3.1.0',
	info: {
		title: 'Jiexiang (街巷) API',
		version: '1',
		description:
			'JSON API of Jiexiang. Errors are {error: {code, message, fields?}}; messages follow Accept-Language (zh-CN default). State-changing requests with a session cookie, and every login or sign-up, must carry an Origin of this server. The Open311 GeoReport v2 adapter (tag "Open311 GeoReport v2") is served under /open311/v2 and answers in its own formats and error lists.'
	},
	servers: [{ url: '/api/v1' }],
	components: {
		securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'session' } },
		schemas: {
			...staffSchemas,
			...noticesSchemas,
			...open311Schemas,
			Error: {
				type: 'object',
				required: ['error'],
				properties: {
					error: {
						type: 'object',
						required: ['code', 'message'],
						properties: {
							code: { type: 'string', examples: ['invalid_input'] },
							message: { type: 'string' },
							fields: { type: 'object', additionalProperties: { type: 'string' } },
							requestId: { type: 'string' }
						}
					}
				}
			},
			Role: {
				type: 'string',
				enum: [
					'resident',
					'volunteer',
					'grid_worker',
					'handler',
					'community_staff',
					'dispatcher',
					'supervisor',
					'admin'
				]
			},
			User: {
				type: 'object',
				required: ['id', 'name', 'role'],
				properties: {
					id: { type: 'string', format: 'uuid' },
					name: { type: 'string' },
					role: { $ref: '#/components/schemas/Role' },
					community: { type: 'string' },
					department: { type: 'string' }
				}
			},
			ReportCreated: {
				type: 'object',
				required: ['id', 'trackingCode', 'status', 'url'],
				properties: {
					id: { type: 'string', format: 'uuid' },
					trackingCode: { type: 'string', pattern: '^[2-9A-HJKMNP-Z]{8}$' },
					status: { type: 'string', enum: ['open', 'closed'] },
					stage: { type: 'string' },
					outsideArea: { type: 'boolean' },
					url: { type: 'string', description: 'The public tracking page' },
					reporterUrl: { type: 'string', description: 'The reporter’s private link (rate, reopen)' }
				}
			},
			PublicReport: {
				type: 'object',
				required: ['trackingCode', 'category', 'status', 'stage', 'timeline', 'photos', 'location'],
				properties: {
					trackingCode: { type: 'string' },
					category: { type: 'string' },
					categoryName: { type: 'string' },
					status: { type: 'string', enum: ['open', 'closed'] },
					stage: {
						type: 'string',
						enum: [...stages]
					},
					createdAt: { type: 'string', format: 'date-time' },
					meTooCount: { type: 'integer' },
					timeline: {
						type: 'array',
						items: {
							type: 'object',
							required: ['at', 'stage'],
							properties: {
								at: { type: 'string', format: 'date-time' },
								stage: { type: 'string' },
								note: { type: 'string', description: 'A public reply' }
							}
						}
					},
					photos: { type: 'array', items: { type: 'string' } },
					afterPhotos: { type: 'array', items: { type: 'string' } },
					photosWaiting: {
						type: 'integer',
						description: 'Photos still being re-encoded; they join `photos` within moments'
					},
					location: {
						type: 'object',
						properties: {
							lat: { type: ['number', 'null'] },
							lng: { type: ['number', 'null'] },
							precision: { type: 'string', enum: ['approximate', 'compound', 'community', 'none'] },
							community: { type: ['string', 'null'] },
							communityEn: { type: ['string', 'null'] },
							compound: { type: ['string', 'null'] }
						}
					},
					outsideArea: { type: 'boolean' }
				}
			},
			Category: {
				type: 'object',
				required: ['code', 'name', 'group', 'urgent', 'department'],
				properties: {
					code: { type: 'string' },
					name: { type: 'string' },
					group: { type: 'string', enum: ['cleaning', 'enforcement', 'fire_safety', 'other'] },
					urgent: { type: 'boolean' },
					department: { type: ['string', 'null'] }
				}
			}
		}
	},
	paths: {
		'/auth/login': {
			post: {
				summary: 'Log in with phone and password',
				requestBody: jsonBody({
					type: 'object',
					required: ['phone', 'password'],
					properties: {
						phone: { type: 'string', pattern: '^1[3-9]\\d{9}$' },
						password: { type: 'string' }
					}
				}),
				responses: {
					200: ok('Logged in; sets the session cookie', {
						type: 'object',
						properties: { user: userRef }
					}),
					400: errorResponse('Invalid input'),
					401: errorResponse('Wrong phone or password'),
					403: errorResponse('Cross-origin request'),
					429: {
						...errorResponse('Too many failures; see Retry-After'),
						headers: { 'Retry-After': { schema: { type: 'integer' } } }
					}
				}
			}
		},
		'/auth/logout': {
			post: {
				summary: 'End the session',
				security: [{ session: [] }],
				responses: {
					200: ok('Logged out', { type: 'object' }),
					401: errorResponse('Not logged in')
				}
			}
		},
		'/auth/signup': {
			post: {
				summary: 'Sign up as a resident or volunteer',
				requestBody: jsonBody({
					type: 'object',
					required: ['phone', 'password', 'name', 'role'],
					properties: {
						phone: { type: 'string' },
						password: { type: 'string', minLength: 8 },
						name: { type: 'string' },
						role: { type: 'string', enum: ['resident', 'volunteer'] },
						community: { type: 'string' }
					}
				}),
				responses: {
					201: ok('Signed up and logged in', { type: 'object', properties: { user: userRef } }),
					400: errorResponse('Invalid input'),
					409: errorResponse('phone_taken')
				}
			}
		},
		'/me': {
			get: {
				summary: 'The logged-in user',
				security: [{ session: [] }],
				responses: { 200: ok('The user', userRef), 401: errorResponse('Not logged in') }
			}
		},
		'/notifications/read': {
			post: {
				summary:
					'Marks notifications of the caller read (the lists show them as new until then); others’ are left alone',
				security: sessionSecurity,
				requestBody: jsonBody({
					type: 'object',
					required: ['ids'],
					properties: { ids: { type: 'array', maxItems: 50, items: uuid } }
				}),
				responses: {
					204: { description: 'Marked' },
					400: errorResponse('Invalid input'),
					401: errorResponse('Not logged in')
				}
			}
		},
		'/categories': {
			get: {
				summary: 'Active report categories',
				responses: {
					200: ok('Categories in display order', {
						type: 'array',
						items: { $ref: '#/components/schemas/Category' }
					})
				}
			}
		},
		'/admin/api-keys': {
			get: {
				summary: 'Open311 API keys, newest first (never the keys themselves)',
				security: [{ session: [] }],
				responses: {
					200: ok('The keys', {
						type: 'array',
						items: {
							type: 'object',
							required: ['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt'],
							properties: {
								id: { type: 'string', format: 'uuid' },
								name: { type: 'string' },
								prefix: { type: 'string', description: 'The first characters of the key' },
								createdAt: { type: 'string', format: 'date-time' },
								lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
								revokedAt: { type: ['string', 'null'], format: 'date-time' }
							}
						}
					}),
					401: errorResponse('Not logged in'),
					403: errorResponse('Not an admin')
				}
			},
			post: {
				summary: 'Issue an Open311 API key; the key is shown in this answer only',
				security: [{ session: [] }],
				requestBody: jsonBody({
					type: 'object',
					required: ['name'],
					properties: { name: { type: 'string', minLength: 1, maxLength: 100 } }
				}),
				responses: {
					201: ok('Issued', {
						type: 'object',
						required: ['id', 'key'],
						properties: { id: { type: 'string', format: 'uuid' }, key: { type: 'string' } }
					}),
					400: errorResponse('Invalid input'),
					401: errorResponse('Not logged in'),
					403: errorResponse('Not an admin')
				}
			}
		},
		'/admin/api-keys/{id}': {
			delete: {
				summary: 'Revoke an Open311 API key; it stops working at once',
				security: [{ session: [] }],
				parameters: [
					{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }
				],
				responses: {
					200: ok('Revoked', {
						type: 'object',
						required: ['id', 'revokedAt'],
						properties: {
							id: { type: 'string', format: 'uuid' },
							revokedAt: { type: 'string', format: 'date-time' }
						}
					}),
					401: errorResponse('Not logged in'),
					403: errorResponse('Not an admin'),
					404: errorResponse('No such key')
				}
			}
		},
		'/reports': {
			post: {
				summary: 'Report a problem (anonymous allowed; linked to the account when logged in)',
				parameters: [
					{
						name: 'Idempotency-Key',
						in: 'header',
						required: true,
						description:
							'A UUID made when the user pressed send. A replay with the same payload gets the first response; a different payload gets 422.',
						schema: { type: 'string', format: 'uuid' }
					}
				],
				requestBody: {
					required: true,
					content: {
						'multipart/form-data': {
							schema: {
								type: 'object',
								required: ['category'],
								properties: {
									category: { type: 'string', description: 'Category code' },
									description: { type: 'string', maxLength: MAX_DESCRIPTION },
									lat: {
										type: 'number',
										description: 'WGS84; with lng, or give community and address'
									},
									lng: { type: 'number' },
									accuracy: { type: 'number', description: 'GPS accuracy in metres' },
									address: { type: 'string', maxLength: 200 },
									community: { type: 'string', description: 'Community code (address fallback)' },
									phone: {
										type: 'string',
										description: 'Optional feedback phone; stored encrypted'
									},
									shop: {
										type: 'string',
										format: 'uuid',
										description:
											'The shop a duty card’s QR code names: the report is linked to it, and takes its place when none is given'
									},
									photos: {
										type: 'array',
										maxItems: 6,
										items: { type: 'string', format: 'binary' },
										description: 'JPEG, PNG or WebP, at most 10 MB each'
									}
								},
								additionalProperties: {
									type: 'string',
									description:
										'q_<code> (or <category>.q_<code>, as the app’s form sends it): answers to the category’s extra questions, checked against their datatype'
								}
							}
						}
					}
				},
				responses: {
					201: {
						...ok('Created (or the first response again, with Idempotent-Replayed: true)', {
							$ref: '#/components/schemas/ReportCreated'
						})
					},
					400: errorResponse(
						'Invalid input, no Idempotency-Key, or a photo that does not decode (photo_unreadable)'
					),
					413: errorResponse(
						'A photo over 10 MB (photo_too_large) or over 40 megapixels (photo_too_many_pixels)'
					),
					415: errorResponse('Not multipart, or a photo that is not JPEG, PNG or WebP'),
					422: errorResponse('Idempotency-Key reused with a different payload'),
					429: {
						...errorResponse('Too many reports from this device or address; see Retry-After'),
						headers: { 'Retry-After': { schema: { type: 'integer' } } }
					},
					503: {
						...errorResponse(
							'Database (database_unavailable) or photo store (storage_unavailable) unreachable: nothing was kept; retry with the same Idempotency-Key'
						),
						headers: { 'Retry-After': { schema: { type: 'integer' } } }
					},
					507: errorResponse(
						'The photo store is full (storage_full): nothing was kept; retry with the same Idempotency-Key'
					)
				}
			}
		},
		'/reports/nearby': {
			get: {
				summary: 'Open reports of a category near a point (before reporting, to say "me too")',
				parameters: [
					{ name: 'category', in: 'query', required: true, schema: { type: 'string' } },
					{ name: 'lat', in: 'query', required: true, schema: { type: 'number' } },
					{ name: 'lng', in: 'query', required: true, schema: { type: 'number' } }
				],
				responses: {
					200: ok('Nearest first', { type: 'array', items: { type: 'object' } }),
					400: errorResponse('Invalid input')
				}
			}
		},
		'/reports/{trackingCode}': {
			get: {
				summary: 'The public view of a report: no reporter identity, location rounded',
				parameters: [
					{ name: 'trackingCode', in: 'path', required: true, schema: { type: 'string' } }
				],
				responses: {
					200: ok('The report', { $ref: '#/components/schemas/PublicReport' }),
					404: errorResponse('Unknown tracking code')
				}
			}
		},
		'/reports/{trackingCode}/me-too': {
			post: {
				summary: '"Me too" (我也遇到): counts this device or account once; creates no report',
				parameters: [
					{ name: 'trackingCode', in: 'path', required: true, schema: { type: 'string' } }
				],
				responses: {
					200: ok('Counted (or already counted)', {
						type: 'object',
						properties: { counted: { type: 'boolean' }, count: { type: 'integer' } }
					}),
					404: errorResponse('Unknown tracking code'),
					409: errorResponse('report_closed')
				}
			}
		},
		'/admin/users': {
			post: {
				summary: 'Create an account (staff accounts are made this way)',
				security: [{ session: [] }],
				requestBody: jsonBody({
					type: 'object',
					required: ['phone', 'password', 'name', 'role'],
					properties: {
						phone: { type: 'string' },
						password: { type: 'string', minLength: 8 },
						name: { type: 'string' },
						role: { $ref: '#/components/schemas/Role' },
						community: { type: 'string' },
						department: { type: 'string' }
					}
				}),
				responses: {
					201: ok('Created', { type: 'object', properties: { user: userRef } }),
					400: errorResponse('Invalid input'),
					401: errorResponse('Not logged in'),
					403: errorResponse('Not an admin'),
					409: errorResponse('phone_taken')
				}
			}
		},
		...staffPaths,
		...dutyPaths,
		...pushPaths,
		...noticesPaths,
		...open311Paths
	}
};
