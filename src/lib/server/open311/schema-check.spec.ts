import { describe, expect, it } from 'vitest';
import { schemaProblems } from './schema-check';

// The schemas must reject what the spec forbids, or the response tests prove nothing.
describe('GeoReport v2 schemas', () => {
	it('reject a request with a numeric id, an unknown status or a time without a zone', () => {
		const good = {
			service_request_id: 'ABCD2345',
			status: 'open',
			service_code: 'street-cleaning',
			requested_datetime: '2026-11-27T08:00:00+08:00'
		};
		expect(schemaProblems('requests', [good])).toEqual([]);
		expect(schemaProblems('requests', [{ ...good, service_request_id: 12 }])).not.toEqual([]);
		expect(schemaProblems('requests', [{ ...good, status: 'pending' }])).not.toEqual([]);
		expect(
			schemaProblems('requests', [{ ...good, requested_datetime: '2026-11-27 08:00' }])
		).not.toEqual([]);
		expect(schemaProblems('requests', [{ ...good, media_url: '/photos/x' }])).not.toEqual([]);
		expect(schemaProblems('requests', [{ ...good, description: 'x'.repeat(4001) }])).not.toEqual(
			[]
		);
	});

	it('reject a service without metadata and an attribute with an unknown datatype', () => {
		expect(
			schemaProblems('services', [{ service_code: 'a', service_name: 'A', type: 'realtime' }])
		).not.toEqual([]);
		expect(
			schemaProblems('service-definition', {
				service_code: 'a',
				attributes: [{ variable: true, code: 'x', datatype: 'boolean', required: false }]
			})
		).not.toEqual([]);
	});

	it('reject an error list that is not a list of {code, description}', () => {
		expect(schemaProblems('errors', [{ code: 403, description: 'bad key' }])).toEqual([]);
		expect(schemaProblems('errors', { code: 403, description: 'x' })).not.toEqual([]);
		expect(schemaProblems('errors', [{ code: 403 }])).not.toEqual([]);
		expect(schemaProblems('errors', [])).not.toEqual([]);
	});

	it('reject a create response that returns a token', () => {
		expect(schemaProblems('post-response', [{ service_request_id: 'A' }])).toEqual([]);
		expect(schemaProblems('post-response', [{ service_request_id: 'A', token: 'x' }])).not.toEqual(
			[]
		);
	});
});
