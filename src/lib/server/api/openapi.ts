/** The JSON API described as OpenAPI 3.1, served at /api/v1/openapi.json. Extend it with each route. */
const errorRef = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({
	description,
	content: { 'application/json': { schema: errorRef } }
});
const jsonBody = (schema: object) => ({
	required: true,
	content: { 'application/json': { schema } }
});
const ok = (description: string, schema: object) => ({
	description,
	content: { 'application/json': { schema } }
});
const userRef = { $ref: '#/components/schemas/User' };

export const openApiDocument = {
	openapi: '3.1.0',
	info: {
		title: 'Jiexiang (街巷) API',
		version: '1',
		description:
			'JSON API of Jiexiang. Errors are {error: {code, message, fields?}}; messages follow Accept-Language (zh-CN default). State-changing requests with a session cookie, and every login or sign-up, must carry an Origin of this server.'
	},
	servers: [{ url: '/api/v1' }],
	components: {
		securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'session' } },
		schemas: {
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
			CampaignProgress: {
				type: 'object',
				properties: {
					shops: { type: 'integer' },
					inspected: { type: 'integer' },
					passed: { type: 'integer' },
					failed: { type: 'integer' },
					fixed: { type: 'integer' }
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
		'/notices': {
			get: {
				summary: 'Published notices (文明宣传), pinned first, then newest',
				responses: {
					200: ok('Notices inside their publish window', {
						type: 'array',
						items: {
							type: 'object',
							required: ['id', 'title', 'summary', 'publishedAt', 'pinned', 'url'],
							properties: {
								id: { type: 'string', format: 'uuid' },
								title: { type: 'string' },
								summary: { type: 'string', description: 'Plain text of the body, shortened' },
								publishedAt: { type: 'string', format: 'date-time' },
								pinned: { type: 'boolean' },
								url: { type: 'string', format: 'uri' }
							}
						}
					})
				}
			}
		},
		'/shops/{id}': {
			get: {
				summary:
					'A shop of the 门前三包 registry, as its duty card QR code names it (no owner details)',
				parameters: [
					{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }
				],
				responses: {
					200: ok('The shop', {
						type: 'object',
						required: ['id', 'name', 'address'],
						properties: {
							id: { type: 'string', format: 'uuid' },
							name: { type: 'string' },
							address: { type: 'string' },
							lat: { type: ['number', 'null'] },
							lng: { type: ['number', 'null'] },
							community: { type: ['string', 'null'], description: 'community code' }
						}
					}),
					404: errorResponse('No such shop')
				}
			}
		},
		'/staff/campaigns': {
			get: {
				summary: 'Inspection campaigns (集中查处) with their progress; 城管中队 staff and admins',
				security: [{ session: [] }],
				responses: {
					200: ok('Campaigns, newest first', {
						type: 'array',
						items: {
							type: 'object',
							properties: {
								id: { type: 'string', format: 'uuid' },
								name: { type: 'string' },
								startsOn: { type: 'string', format: 'date' },
								endsOn: { type: 'string', format: 'date' },
								progress: { $ref: '#/components/schemas/CampaignProgress' }
							}
						}
					}),
					401: errorResponse('Not logged in'),
					403: errorResponse('Not 城管中队 staff or admin')
				}
			}
		},
		'/staff/campaigns/{id}': {
			get: {
				summary: "A campaign's shops, their last results and the cases it opened",
				security: [{ session: [] }],
				parameters: [
					{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }
				],
				responses: {
					200: ok('The campaign', {
						type: 'object',
						properties: {
							id: { type: 'string', format: 'uuid' },
							name: { type: 'string' },
							startsOn: { type: 'string', format: 'date' },
							endsOn: { type: 'string', format: 'date' },
							progress: { $ref: '#/components/schemas/CampaignProgress' },
							shops: {
								type: 'array',
								items: {
									type: 'object',
									properties: {
										id: { type: 'string', format: 'uuid' },
										name: { type: 'string' },
										address: { type: 'string' },
										community: { type: ['string', 'null'] },
										dutyNotes: { type: 'object' },
										lastInspectedAt: { type: ['string', 'null'], format: 'date-time' },
										lastResults: { type: ['object', 'null'] },
										fixed: { type: 'boolean' },
										cases: {
											type: 'array',
											items: {
												type: 'object',
												properties: {
													id: { type: 'string', format: 'uuid' },
													trackingCode: { type: 'string' },
													stage: { type: 'string' },
													department: { type: ['string', 'null'] }
												}
											}
										}
									}
								}
							}
						}
					}),
					401: errorResponse('Not logged in'),
					403: errorResponse('Not 城管中队 staff or admin'),
					404: errorResponse('No such campaign')
				}
			}
		},
		'/staff/campaigns/{id}/inspections': {
			post: {
				summary:
					'Record an inspection (from the offline outbox). A failed duty opens a case dispatched to 城管中队. clientId makes a replay harmless.',
				security: [{ session: [] }],
				parameters: [
					{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
					{
						name: 'Idempotency-Key',
						in: 'header',
						required: true,
						schema: { type: 'string', format: 'uuid' }
					}
				],
				requestBody: {
					required: true,
					content: {
						'multipart/form-data': {
							schema: {
								type: 'object',
								required: [
									'clientId',
									'shopId',
									'inspectedAt',
									'appearance',
									'sanitation',
									'order'
								],
								properties: {
									clientId: { type: 'string', format: 'uuid' },
									shopId: { type: 'string', format: 'uuid' },
									inspectedAt: { type: 'string', format: 'date-time' },
									appearance: { type: 'string', enum: ['pass', 'fail'] },
									sanitation: { type: 'string', enum: ['pass', 'fail'] },
									order: { type: 'string', enum: ['pass', 'fail'] },
									note: { type: 'string' },
									photo: {
										type: 'string',
										format: 'binary',
										description: 'required when a duty fails'
									}
								}
							}
						}
					}
				},
				responses: {
					201: ok('Recorded', {
						type: 'object',
						properties: {
							id: { type: 'string', format: 'uuid' },
							case: {
								type: ['object', 'null'],
								properties: { id: { type: 'string' }, trackingCode: { type: 'string' } }
							}
						}
					}),
					200: ok('A replay of an inspection already recorded: the first answer', {
						type: 'object'
					}),
					400: errorResponse(
						'Invalid input, or a failure without a photo (campaign_photo_required)'
					),
					401: errorResponse('Not logged in'),
					403: errorResponse('Not 城管中队 staff or admin'),
					404: errorResponse('No such campaign, or the shop is not in it'),
					409: errorResponse('campaign_closed: the inspection day is outside the campaign'),
					413: errorResponse('Photo too large'),
					415: errorResponse('Not multipart, or the photo is not an image'),
					422: errorResponse('The Idempotency-Key or clientId was used for another payload')
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
		}
	}
};
