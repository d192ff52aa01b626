/** Building blocks shared by the parts of the OpenAPI document (api/openapi.ts and each area's). */

export const errorRef = { $ref: '#/components/schemas/Error' };

export const errorResponse = (description: string) => ({
	description,
	content: { 'application/json': { schema: errorRef } }
});

export const ok = (description: string, schema: object) => ({
	description,
	content: { 'application/json': { schema } }
});

export const jsonBody = (schema: object) => ({
	required: true,
	content: { 'application/json': { schema } }
});

export const sessionSecurity = [{ session: [] }];

export const uuid = { type: 'string', format: 'uuid' };

/** A required UUID in the path, named `name`. */
export const uuidPathParam = (name = 'id') => ({
	name,
	in: 'path',
	required: true,
	schema: uuid
});
