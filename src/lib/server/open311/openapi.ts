// The Open311 GeoReport v2 part of the OpenAPI document (see src/lib/server/api/openapi.ts).
// These routes live under /open311/v2, not /api/v1: each path item names that server.
import { MAX_DESCRIPTION } from '$lib/domain/reporting';
import { DEFAULT_LIMIT, MAX_DAYS, MAX_IDS } from './requests';

export const OPEN311_SERVER = '/open311/v2';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, more: object = {}) => ({ type: [type, 'null'], ...more });
const string = { type: 'string' };
const dateTime = { type: 'string', format: 'date-time' };

const formatParam = {
	name: 'format',
	in: 'path',
	required: true,
	description: 'The answer’s format: the path ends in .json or .xml',
	schema: { type: 'string', enum: ['json', 'xml'] }
};
const query = (name: string, description: string, schema: object = string) => ({
	name,
	in: 'query',
	required: false,
	description,
	schema
});
const extensionsParam = query(
	'extensions',
	'true adds notes[] (the public timeline) and extended_attributes {stage, stage_name}',
	{ type: 'string', enum: ['true', 'false'] }
);

/** The same answer in both formats; the XML carries the JSON's fields under `root`. */
const answer = (description: string, schema: object, root: string) => ({
	description,
	content: {
		'application/json': { schema },
		'text/xml': {
			schema: { type: 'string', description: `UTF-8 XML: <${root}> with the JSON’s fields` }
		}
	}
});
const problem = (description: string) => answer(description, ref('Open311Errors'), 'errors');
const tooMany = {
	...problem('Too many requests for this api_key; see Retry-After'),
	headers: { 'Retry-After': { schema: { type: 'integer' } } }
};
const common = {
	404: problem('Unknown id or code, or a format other than json and xml'),
	503: problem('Database unavailable; see Retry-After')
};
const tags = ['Open311 GeoReport v2'];
const servers = [{ url: OPEN311_SERVER, description: 'Open311 GeoReport v2' }];

const createFields = {
	type: 'object',
	required: ['api_key', 'service_code'],
	properties: {
		api_key: { type: 'string', description: 'Issued by an admin (POST /admin/api-keys)' },
		service_code: string,
		lat: { type: 'number', description: 'WGS84; with long, or give address_string' },
		long: { type: 'number' },
		address_string: {
			type: 'string',
			description: 'Without lat/long it must name a community (the 400 answer lists them)'
		},
		description: { type: 'string', maxLength: MAX_DESCRIPTION },
		email: { type: 'string', description: 'Accepted, not kept' },
		first_name: { type: 'string', description: 'Accepted, not kept' },
		last_name: { type: 'string', description: 'Accepted, not kept' },
		phone: { type: 'string', description: 'Feedback phone; stored encrypted, shown masked' },
		media_url: {
			type: 'string',
			format: 'uri',
			description: 'Kept for staff; never fetched'
		}
	},
	patternProperties: {
		'^attribute\\[[^\\]]+\\](\\[\\])?$': {
			type: 'string',
			description: 'attribute[code]: an answer to the service definition (repeat for lists)'
		}
	}
};

export const open311Schemas = {
	Open311Errors: {
		type: 'array',
		minItems: 1,
		description: 'GeoReport v2 errors; XML: <errors><error><code/><description/></error></errors>',
		items: {
			type: 'object',
			required: ['code', 'description'],
			properties: { code: { type: 'integer' }, description: string }
		}
	},
	Open311Discovery: {
		type: 'object',
		required: ['changeset', 'contact', 'key_service', 'endpoints'],
		properties: {
			changeset: dateTime,
			contact: string,
			key_service: string,
			endpoints: {
				type: 'array',
				items: {
					type: 'object',
					required: ['specification', 'url', 'changeset', 'type', 'formats'],
					properties: {
						specification: { type: 'string', format: 'uri' },
						url: { type: 'string', format: 'uri' },
						changeset: dateTime,
						type: { type: 'string', enum: ['production', 'test'] },
						formats: { type: 'array', items: string }
					}
				}
			}
		}
	},
	Open311Service: {
		type: 'object',
		required: ['service_code', 'service_name', 'metadata', 'type'],
		properties: {
			service_code: { type: 'string', description: 'The category code' },
			service_name: string,
			description: nullable('string'),
			metadata: { type: 'boolean', description: 'true: it has attributes (GET its definition)' },
			type: { type: 'string', enum: ['realtime', 'batch', 'blackbox'] },
			keywords: nullable('string', { description: 'Comma-separated' }),
			group: nullable('string', { description: 'The plan’s action (城市清洁…)' })
		}
	},
	Open311ServiceDefinition: {
		type: 'object',
		required: ['service_code', 'attributes'],
		properties: {
			service_code: string,
			attributes: {
				type: 'array',
				items: {
					type: 'object',
					required: ['variable', 'code', 'datatype', 'required'],
					properties: {
						variable: { type: 'boolean' },
						code: string,
						datatype: {
							type: 'string',
							enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']
						},
						required: { type: 'boolean' },
						datatype_description: nullable('string'),
						order: nullable('integer'),
						description: nullable('string'),
						values: {
							type: 'array',
							items: {
								type: 'object',
								required: ['key', 'name'],
								properties: { key: string, name: string }
							}
						}
					}
				}
			}
		}
	},
	Open311Request: {
		type: 'object',
		required: ['service_request_id', 'status', 'service_code', 'requested_datetime'],
		properties: {
			service_request_id: { type: 'string', description: 'The case’s public tracking code' },
			status: { type: 'string', enum: ['open', 'closed'] },
			status_notes: nullable('string', { description: 'The latest public reply' }),
			service_name: nullable('string'),
			service_code: string,
			description: nullable('string', {
				maxLength: MAX_DESCRIPTION,
				description: 'Phone and ID numbers masked'
			}),
			agency_responsible: nullable('string', { description: 'The responsible department' }),
			service_notice: nullable('string', { description: 'The 119 notice of urgent services' }),
			requested_datetime: dateTime,
			updated_datetime: nullable('string', { format: 'date-time' }),
			expected_datetime: nullable('string', {
				format: 'date-time',
				description: 'The deadline while open'
			}),
			address: nullable('string', { description: 'Community and compound, as on public pages' }),
			address_id: nullable('string'),
			zipcode: nullable('string'),
			lat: nullable('number', { description: 'Rounded as on the public pages' }),
			long: nullable('number'),
			media_url: nullable('string', { format: 'uri', description: 'The first public photo' }),
			extended_attributes: {
				type: 'object',
				description: 'With extensions=true',
				properties: { stage: string, stage_name: string }
			},
			notes: {
				type: 'array',
				description: 'With extensions=true: the public timeline',
				items: {
					type: 'object',
					required: ['datetime', 'type', 'description'],
					properties: { datetime: dateTime, type: string, description: string }
				}
			}
		}
	},
	Open311Created: {
		type: 'object',
		required: ['service_request_id'],
		properties: {
			service_request_id: string,
			service_notice: nullable('string'),
			account_id: { type: 'null' }
		}
	}
};

const list = (name: string) => ({ type: 'array', items: ref(name) });

export const open311Paths = {
	'/discovery.{format}': {
		servers,
		get: {
			tags,
			summary: 'Service discovery: this endpoint, its changeset, formats and contact',
			parameters: [formatParam],
			responses: {
				200: answer('The discovery document', ref('Open311Discovery'), 'discovery'),
				...common
			}
		}
	},
	'/services.{format}': {
		servers,
		get: {
			tags,
			summary: 'Service list: one service per active category',
			parameters: [formatParam],
			responses: { 200: answer('The services', list('Open311Service'), 'services'), ...common }
		}
	},
	'/services/{code}.{format}': {
		servers,
		get: {
			tags,
			summary: 'Service definition: the category’s extra questions as attributes',
			parameters: [{ name: 'code', in: 'path', required: true, schema: string }, formatParam],
			responses: {
				200: answer('The definition', ref('Open311ServiceDefinition'), 'service_definition'),
				...common
			}
		}
	},
	'/requests.{format}': {
		servers,
		get: {
			tags,
			summary: `Service requests, newest first (${DEFAULT_LIMIT} at most a page)`,
			parameters: [
				formatParam,
				query(
					'service_request_id',
					`Comma list of ids (at most ${MAX_IDS}); overrides every other filter`
				),
				query('service_code', 'Comma list of service codes'),
				query('start_date', 'W3C date-time', dateTime),
				query('end_date', `W3C date-time; at most ${MAX_DAYS} days after start_date`, dateTime),
				query('status', 'open, closed, or both as a comma list'),
				query('page', 'Extension: the page, from 1', { type: 'integer', minimum: 1 }),
				query('page_size', `Extension: rows a page, at most ${DEFAULT_LIMIT}`, {
					type: 'integer',
					minimum: 1,
					maximum: DEFAULT_LIMIT
				}),
				extensionsParam
			],
			responses: {
				200: answer('The requests', list('Open311Request'), 'service_requests'),
				400: problem('Invalid filter (a date, the range, status, page)'),
				...common
			}
		},
		post: {
			tags,
			summary:
				'File a service request: the same intake as the app (validation, duplicates, privacy, queue)',
			parameters: [
				formatParam,
				query('api_key', 'The api_key, when not in the body'),
				{
					name: 'Idempotency-Key',
					in: 'header',
					required: false,
					description: 'Optional: a retry with the same key files nothing twice',
					schema: string
				}
			],
			requestBody: {
				required: true,
				content: {
					'application/x-www-form-urlencoded': { schema: createFields },
					'multipart/form-data': { schema: createFields }
				}
			},
			responses: {
				201: answer(
					'Filed (realtime: the id at once, never a token)',
					list('Open311Created'),
					'service_requests'
				),
				400: problem('Invalid input: unknown service_code, no location, a bad field…'),
				403: problem('Missing, unknown or revoked api_key'),
				429: tooMany,
				...common
			}
		}
	},
	'/requests/{id}.{format}': {
		servers,
		get: {
			tags,
			summary: 'One service request by its id',
			parameters: [
				{ name: 'id', in: 'path', required: true, schema: string },
				formatParam,
				extensionsParam
			],
			responses: {
				200: answer('A list of one request', list('Open311Request'), 'service_requests'),
				...common
			}
		}
	},
	'/tokens/{token}.{format}': {
		servers,
		get: {
			tags,
			summary: 'Token lookup; every service is realtime, so no token is ever issued (404)',
			parameters: [{ name: 'token', in: 'path', required: true, schema: string }, formatParam],
			responses: { ...common }
		}
	}
};
