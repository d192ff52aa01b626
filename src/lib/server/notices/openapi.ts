// The notices, shops and campaigns part of the OpenAPI document (see src/lib/server/api/openapi.ts).
import { errorResponse, ok, sessionSecurity, uuid, uuidPathParam } from '../api/openapi-parts';

const integer = { type: 'integer' };
const string = { type: 'string' };
const date = { type: 'string', format: 'date' };
const nullableString = { type: ['string', 'null'] };
const passOrFail = { type: 'string', enum: ['pass', 'fail'] };
const campaignFields = {
	id: uuid,
	name: string,
	startsOn: date,
	endsOn: date,
	progress: { $ref: '#/components/schemas/CampaignProgress' }
};
const campaignStaffOnly = {
	401: errorResponse('Not logged in'),
	403: errorResponse('Not 城管中队 staff or admin')
};

export const noticesSchemas = {
	CampaignProgress: {
		type: 'object',
		properties: {
			shops: integer,
			inspected: integer,
			passed: integer,
			failed: integer,
			fixed: integer
		}
	}
};

export const noticesPaths = {
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
							id: uuid,
							title: string,
							summary: { type: 'string', description: 'Plain text of the body, shortened' },
							publishedAt: { type: 'string', format: 'date-time' },
							pinned: { type: 'boolean' },
							url: { type: 'string', format: 'uri' },
							cover: {
								type: ['object', 'null'],
								description: 'The cover image (a re-encoded JPEG) and its alt text',
								properties: {
									url: { type: 'string', format: 'uri' },
									alt: { type: 'string' }
								}
							}
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
			parameters: [uuidPathParam()],
			responses: {
				200: ok('The shop', {
					type: 'object',
					required: ['id', 'name', 'address'],
					properties: {
						id: uuid,
						name: string,
						address: string,
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
			security: sessionSecurity,
			responses: {
				200: ok('Campaigns, newest first', {
					type: 'array',
					items: { type: 'object', properties: campaignFields }
				}),
				...campaignStaffOnly
			}
		}
	},
	'/staff/campaigns/{id}': {
		get: {
			summary: "A campaign's shops, their last results and the cases it opened",
			security: sessionSecurity,
			parameters: [uuidPathParam()],
			responses: {
				200: ok('The campaign', {
					type: 'object',
					properties: {
						...campaignFields,
						shops: {
							type: 'array',
							items: {
								type: 'object',
								properties: {
									id: uuid,
									name: string,
									address: string,
									community: nullableString,
									dutyNotes: { type: 'object' },
									lastInspectedAt: { type: ['string', 'null'], format: 'date-time' },
									lastResults: { type: ['object', 'null'] },
									fixed: { type: 'boolean' },
									cases: {
										type: 'array',
										items: {
											type: 'object',
											properties: {
												id: uuid,
												trackingCode: string,
												stage: string,
												department: nullableString
											}
										}
									}
								}
							}
						}
					}
				}),
				...campaignStaffOnly,
				404: errorResponse('No such campaign')
			}
		}
	},
	'/staff/campaigns/{id}/inspections': {
		post: {
			summary:
				'Record an inspection (from the offline outbox). A failed duty opens a case dispatched to 城管中队. clientId makes a replay harmless.',
			security: sessionSecurity,
			parameters: [
				uuidPathParam(),
				{ name: 'Idempotency-Key', in: 'header', required: true, schema: uuid }
			],
			requestBody: {
				required: true,
				content: {
					'multipart/form-data': {
						schema: {
							type: 'object',
							required: ['clientId', 'shopId', 'inspectedAt', 'appearance', 'sanitation', 'order'],
							properties: {
								clientId: uuid,
								shopId: uuid,
								inspectedAt: { type: 'string', format: 'date-time' },
								appearance: passOrFail,
								sanitation: passOrFail,
								order: passOrFail,
								note: string,
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
				200: ok('A replay of an inspection already recorded: the first answer', {
					type: 'object'
				}),
				201: ok('Recorded', {
					type: 'object',
					properties: {
						id: uuid,
						case: {
							type: ['object', 'null'],
							properties: { id: string, trackingCode: string }
						}
					}
				}),
				400: errorResponse('Invalid input, or a failure without a photo (campaign_photo_required)'),
				...campaignStaffOnly,
				404: errorResponse('No such campaign, or the shop is not in it'),
				409: errorResponse('campaign_closed: the inspection day is outside the campaign'),
				413: errorResponse('Photo too large'),
				415: errorResponse('Not multipart, or the photo is not an image'),
				422: errorResponse('The Idempotency-Key or clientId was used for another payload')
			}
		}
	},
	'/staff/campaigns/photos/{id}': {
		get: {
			summary: "An inspection's photo, by the inspection's id (re-encoded, with no metadata)",
			security: sessionSecurity,
			parameters: [uuidPathParam()],
			responses: {
				200: {
					description: 'The photo',
					content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } }
				},
				...campaignStaffOnly,
				404: errorResponse('No such inspection, or it has no photo')
			}
		}
	}
};
