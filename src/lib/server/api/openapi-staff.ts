import { stages } from '$lib/domain/stages';
import { actions } from '$lib/domain/workflow';
import { errorResponse, jsonBody, ok, sessionSecurity, uuid } from './openapi-parts';

const caseRef = { $ref: '#/components/schemas/Case' };

/* OpenAPI entries of the staff workbench, spread into the document in openapi.ts. */

const named = {
	type: ['object', 'null'],
	properties: {
		code: { type: 'string' },
		name: { type: 'string' },
		nameEn: { type: ['string', 'null'], description: 'The English name, where one is set' }
	}
};
const idParam = {
	name: 'id',
	in: 'path',
	required: true,
	description: 'The report id returned by POST /reports',
	schema: { type: 'string', format: 'uuid' }
};

export const staffSchemas = {
	Stage: { type: 'string', enum: [...stages] },
	TransitionAction: { type: 'string', enum: [...actions] },
	QueueItem: {
		type: 'object',
		required: ['id', 'trackingCode', 'stage', 'priority', 'category', 'overdue', 'version'],
		properties: {
			id: { type: 'string', format: 'uuid' },
			trackingCode: { type: 'string' },
			stage: { $ref: '#/components/schemas/Stage' },
			priority: { type: 'string', enum: ['normal', 'urgent'] },
			description: { type: 'string' },
			address: { type: ['string', 'null'] },
			createdAt: { type: 'string', format: 'date-time' },
			dueAt: { type: ['string', 'null'], format: 'date-time' },
			overdue: { type: 'boolean' },
			hoursLeft: {
				type: ['number', 'null'],
				description: 'Working hours to the deadline; negative when overdue'
			},
			revisitDue: { type: 'boolean', description: 'A revisit (回头看) of the closed case is due' },
			version: { type: 'integer' },
			category: named,
			community: named,
			grid: named,
			department: named
		}
	},
	Case: {
		type: 'object',
		description:
			'A case with its full timeline (internal notes included: staff only). The reporter phone is masked.',
		required: ['id', 'trackingCode', 'stage', 'version', 'timeline', 'actions'],
		properties: {
			id: { type: 'string', format: 'uuid' },
			trackingCode: { type: 'string' },
			stage: { $ref: '#/components/schemas/Stage' },
			priority: { type: 'string', enum: ['normal', 'urgent'] },
			version: {
				type: 'integer',
				description: 'Send it back with a transition: a changed case answers 409'
			},
			description: { type: 'string' },
			location: {
				type: 'object',
				properties: {
					lat: { type: ['number', 'null'] },
					lng: { type: ['number', 'null'] },
					address: { type: ['string', 'null'] },
					outsideArea: { type: 'boolean' }
				}
			},
			category: named,
			community: named,
			grid: named,
			department: named,
			reporterPhone: { type: ['string', 'null'], examples: ['138****0001'] },
			dueAt: { type: ['string', 'null'], format: 'date-time' },
			overdue: { type: 'boolean' },
			hoursLeft: { type: ['number', 'null'] },
			photos: {
				type: 'array',
				items: {
					type: 'object',
					properties: {
						id: { type: 'string' },
						kind: { type: 'string', enum: ['before', 'after'] },
						url: { type: 'string' }
					}
				}
			},
			timeline: {
				type: 'array',
				items: {
					type: 'object',
					properties: {
						at: { type: 'string', format: 'date-time' },
						action: { type: 'string' },
						fromStage: { type: ['string', 'null'] },
						toStage: { type: ['string', 'null'] },
						note: { type: ['string', 'null'], description: 'Internal' },
						publicNote: { type: ['string', 'null'], description: 'Shown to the reporter' },
						actor: { type: ['string', 'null'] },
						department: { type: ['string', 'null'] }
					}
				}
			},
			actions: {
				type: 'array',
				description: 'The moves the caller may take now',
				items: { $ref: '#/components/schemas/TransitionAction' }
			}
		}
	}
};

const transitionProperties = {
	action: { $ref: '#/components/schemas/TransitionAction' },
	version: { type: 'integer', description: 'The version the caller saw' },
	department: {
		type: 'string',
		description:
			'dispatch: the department code (required); accept: overrides the proposal; return: the suggested department'
	},
	reason: { type: 'string', description: 'Required to decline, return and rework' },
	note: { type: 'string', description: 'Internal note; required with handle' },
	publicNote: { type: 'string', description: 'Public reply to the reporter' },
	duplicateOf: { type: 'string', description: 'merge: id or tracking code of the case kept' }
};

export const staffPaths = {
	'/staff/queue': {
		get: {
			summary: 'The case queue within the caller’s scope',
			security: [{ session: [] }],
			parameters: [
				...['stage', 'category', 'community', 'grid', 'department', 'priority', 'q'].map(
					(name) => ({
						name,
						in: 'query',
						schema: { type: 'string' },
						description: name === 'stage' ? 'A stage, or "open" for every open stage' : undefined
					})
				),
				{ name: 'overdue', in: 'query', schema: { type: 'string', enum: ['1', 'true'] } },
				{
					name: 'revisit',
					in: 'query',
					schema: { type: 'string', enum: ['due'] },
					description: 'Only closed cases whose revisit (回头看) is due'
				},
				{
					name: 'sort',
					in: 'query',
					schema: { type: 'string', enum: ['deadline', 'priority', 'newest'] }
				},
				{ name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } }
			],
			responses: {
				200: {
					description: 'One page of 20 cases',
					content: {
						'application/json': {
							schema: {
								type: 'object',
								required: ['items', 'total', 'page'],
								properties: {
									items: { type: 'array', items: { $ref: '#/components/schemas/QueueItem' } },
									total: { type: 'integer' },
									page: { type: 'integer' },
									pageSize: { type: 'integer' }
								}
							}
						}
					}
				},
				400: errorResponse('Invalid filter'),
				401: errorResponse('Not logged in'),
				403: errorResponse('Not staff')
			}
		}
	},
	'/staff/reports/{id}': {
		get: {
			summary: 'A case with its full timeline',
			security: [{ session: [] }],
			parameters: [idParam],
			responses: {
				200: {
					description: 'The case',
					content: { 'application/json': { schema: { $ref: '#/components/schemas/Case' } } }
				},
				401: errorResponse('Not logged in'),
				403: errorResponse('Outside the caller’s scope'),
				404: errorResponse('Unknown case')
			}
		}
	},
	'/staff/reports/{id}/transitions': {
		post: {
			summary: 'Move a case (the state machine of the closed loop)',
			security: [{ session: [] }],
			parameters: [idParam],
			requestBody: {
				required: true,
				content: {
					'application/json': {
						schema: { type: 'object', required: ['action'], properties: transitionProperties }
					},
					'multipart/form-data': {
						schema: {
							type: 'object',
							required: ['action'],
							properties: {
								...transitionProperties,
								photo: {
									type: 'string',
									format: 'binary',
									description: 'handle: the after photo (JPEG, PNG or WebP), required'
								}
							}
						}
					}
				}
			},
			responses: {
				200: {
					description: 'The case after the move',
					content: { 'application/json': { schema: { $ref: '#/components/schemas/Case' } } }
				},
				400: errorResponse('Missing reason, department, note, photo or kept case'),
				401: errorResponse('Not logged in'),
				403: errorResponse('The role may not take this action, or the case is outside the scope'),
				404: errorResponse('Unknown case'),
				409: errorResponse(
					'transition_forbidden (the stage does not allow the move) or stale_version (changed meanwhile)'
				),
				413: errorResponse('Photo too large'),
				415: errorResponse('Not an image, or not JSON/multipart')
			}
		}
	},
	'/staff/reports/{id}/replies': {
		post: {
			summary: 'Add an internal note, or a reply the resident sees and is told of (publicNote)',
			security: sessionSecurity,
			parameters: [idParam],
			requestBody: jsonBody({
				type: 'object',
				description: 'At least one of the two',
				properties: {
					note: { type: 'string', maxLength: 2000, description: 'Staff only' },
					publicNote: {
						type: 'string',
						maxLength: 2000,
						description: 'Shown on the tracking page; followers are notified'
					}
				}
			}),
			responses: {
				201: ok('The case with the new entry in its timeline', caseRef),
				400: errorResponse('Neither note nor publicNote, or one too long'),
				401: errorResponse('Not logged in'),
				403: errorResponse('Not staff, or the case is outside the scope'),
				404: errorResponse('Unknown case'),
				415: errorResponse('Not JSON')
			}
		}
	},
	'/staff/reports/{id}/revisit': {
		post: {
			summary: 'The revisit check (回头看) of a closed case that is due for one',
			security: sessionSecurity,
			parameters: [idParam],
			requestBody: jsonBody({
				type: 'object',
				required: ['outcome'],
				properties: {
					outcome: {
						type: 'string',
						enum: ['confirm', 'reopen'],
						description: 'confirm: the fix held; reopen: the problem is back'
					},
					note: {
						type: 'string',
						maxLength: 2000,
						description: 'What the check found; required to reopen (the new case’s description)'
					}
				}
			}),
			responses: {
				200: ok('The outcome, and the new case a reopen made', {
					type: 'object',
					required: ['outcome', 'newCase'],
					properties: {
						outcome: { type: 'string', enum: ['confirm', 'reopen'] },
						newCase: {
							type: ['object', 'null'],
							required: ['id', 'trackingCode'],
							properties: { id: uuid, trackingCode: { type: 'string' } }
						}
					}
				}),
				400: errorResponse('No outcome, or reopen without a note'),
				401: errorResponse('Not logged in'),
				403: errorResponse('The role may not check revisits, or the case is outside the scope'),
				404: errorResponse('Unknown case'),
				409: errorResponse(
					'revisit_not_scheduled (no open revisit, or the case is not closed) or revisit_not_due (not yet)'
				),
				415: errorResponse('Not JSON')
			}
		}
	}
};
