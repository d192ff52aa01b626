// The load generator for requests that must differ one from the next (a fresh Idempotency-Key,
// another client address, another volunteer and shift). Run pinned by lib.js `scenario()`:
//   node bench/load.js <spec.json>
// Prints one JSON line: requests per second, latency and the status codes seen.
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let next = spec.start ?? 0;

/** A distinct client address per request, so the per-address rate limit sees many residents. */
const address = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

const scenarios = {
	intake: {
		method: 'POST',
		path: '/api/v1/reports',
		body: spec.bodyFile ? readFileSync(spec.bodyFile) : undefined,
		setupRequest(request) {
			const i = next++;
			request.headers = {
				...spec.headers,
				// Without a key the same body is refused once it is read: the floor of intake.
				...(spec.withoutKey ? {} : { 'idempotency-key': randomUUID() }),
				'x-forwarded-for': address(i)
			};
			return request;
		}
	},
	// Request i books shift i mod S for volunteer floor(i / S): the 50 requests in flight spread
	// over the shifts, and no pair repeats until S × V requests.
	booking: {
		method: 'POST',
		body: '{}',
		setupRequest(request) {
			const i = next++;
			const shift = spec.shifts[i % spec.shifts.length];
			const token = spec.tokens[Math.floor(i / spec.shifts.length) % spec.tokens.length];
			request.path = `/api/v1/shifts/${shift}/bookings`;
			request.headers = {
				...spec.headers,
				'content-type': 'application/json',
				cookie: `session=${token}`,
				'idempotency-key': randomUUID()
			};
			return request;
		}
	}
};

const result = await autocannon({
	url: spec.origin,
	connections: spec.connections ?? 50,
	duration: spec.seconds ?? 5,
	timeout: spec.timeout ?? 10,
	requests: [scenarios[spec.kind]]
});
const statusCodes = {};
for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {}))
	statusCodes[code] = count;
console.log(
	JSON.stringify({
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		non2xx: result.non2xx,
		errors: result.errors + result.timeouts,
		sent: next - (spec.start ?? 0),
		statusCodes
	})
);
