// A shared HTTP cache in front of the app, as a CDN or nginx's proxy_cache would be, for what the
// app marks `Cache-Control: public` (the same for every visitor it varies on). Repeats are answered
// from memory without running SvelteKit, for at most `maxSeconds` (and never longer than the
// response's own s-maxage or max-age). Any write this server answers forgets everything, so a
// server never shows data older than its own last write; other servers are at most `maxSeconds`
// behind.

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const STORED_TYPES = /^(text\/html|application\/json|application\/atom\+xml)\b/i;
// Per-response headers that a stored copy must not repeat.
const NOT_STORED = new Set([
	'content-length',
	'transfer-encoding',
	'connection',
	'keep-alive',
	'date',
	'x-request-id'
]);

/** The seconds a response may be kept by a shared cache, or 0 when it must not be. */
export function sharedLifetime(cacheControl) {
	const directives = String(cacheControl ?? '')
		.toLowerCase()
		.split(',')
		.map((d) => d.trim());
	if (!directives.includes('public')) return 0;
	if (directives.some((d) => d === 'private' || d === 'no-store' || d === 'no-cache')) return 0;
	const seconds = (name) => {
		const found = directives.find((d) => d.startsWith(`${name}=`));
		return found ? Number(found.slice(name.length + 1)) || 0 : undefined;
	};
	return Math.max(0, seconds('s-maxage') ?? seconds('max-age') ?? 0);
}

/** The request headers a response varies on (lower case), or null for `Vary: *`. */
function varyNames(vary) {
	const names = [vary ?? '']
		.flat()
		.join(',')
		.split(',')
		.map((n) => n.trim().toLowerCase())
		.filter(Boolean);
	return names.includes('*') ? null : [...new Set(names)];
}

/** A reload (Cache-Control: no-cache or max-age=0) asks for a fresh answer. */
function wantsFresh(headers) {
	const control = String(headers['cache-control'] ?? '').toLowerCase();
	return /\bno-cache\b|\bno-store\b|\bmax-age=0\b/.test(control) || headers.pragma === 'no-cache';
}

/**
 * @param {{ maxSeconds?: number, maxEntries?: number, maxBodyBytes?: number, now?: () => number,
 *   requestId?: () => string }} [options]
 */
export function createPublicCache({
	maxSeconds = 5,
	maxEntries = 500,
	maxBodyBytes = 1 << 20,
	now = Date.now,
	requestId = () => crypto.randomUUID()
} = {}) {
	/** url → stored variants, oldest url first (for eviction). */
	const byUrl = new Map();
	let entries = 0;
	// A response begun before a write may hold data the write changed: it is not stored.
	let generation = 0;
	const counts = { hits: 0, stores: 0, clears: 0 };

	function clear() {
		byUrl.clear();
		entries = 0;
		generation++;
		counts.clears++;
	}

	function lookup(req) {
		const variants = byUrl.get(req.url);
		if (!variants) return null;
		const at = now();
		for (const entry of variants) {
			if (entry.expires <= at) continue;
			if (entry.vary.every((name, i) => (req.headers[name] ?? '') === entry.varyValues[i]))
				return entry;
		}
		return null;
	}

	function store(req, res, body) {
		const headers = res.getHeaders();
		const lifetime = Math.min(maxSeconds, sharedLifetime(headers['cache-control']));
		const vary = varyNames(headers.vary);
		if (
			res.statusCode !== 200 ||
			lifetime <= 0 ||
			vary === null ||
			headers['set-cookie'] !== undefined ||
			!STORED_TYPES.test(String(headers['content-type'] ?? ''))
		)
			return;
		const kept = {};
		for (const [name, value] of Object.entries(headers))
			if (!NOT_STORED.has(name) && name !== 'x-cache') kept[name] = value;
		const storedAt = now();
		const entry = {
			vary,
			varyValues: vary.map((name) => req.headers[name] ?? ''),
			headers: kept,
			body,
			storedAt,
			expires: storedAt + lifetime * 1000
		};
		const variants = (byUrl.get(req.url) ?? []).filter(
			(old) => old.expires > storedAt && !sameVariant(old, entry)
		);
		entries -= byUrl.get(req.url)?.length ?? 0;
		byUrl.delete(req.url);
		byUrl.set(req.url, [...variants, entry]);
		entries += variants.length + 1;
		counts.stores++;
		while (entries > maxEntries) {
			const [oldestUrl, oldest] = byUrl.entries().next().value;
			byUrl.delete(oldestUrl);
			entries -= oldest.length;
		}
	}

	/** Keeps a copy of what the app writes, to store once the response is complete. */
	function capture(req, res) {
		const startedIn = generation;
		res.setHeader('x-cache', 'miss');
		const chunks = [];
		let size = 0;
		let tooBig = false;
		const keep = (chunk, encoding) => {
			if (tooBig || chunk == null || typeof chunk === 'function') return;
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk);
			size += bytes.length;
			if (size > maxBodyBytes) tooBig = true;
			else chunks.push(bytes);
		};
		const write = res.write;
		const end = res.end;
		res.write = function (chunk, encoding, callback) {
			keep(chunk, typeof encoding === 'string' ? encoding : undefined);
			return write.call(this, chunk, encoding, callback);
		};
		res.end = function (chunk, encoding, callback) {
			keep(chunk, typeof encoding === 'string' ? encoding : undefined);
			if (!tooBig && !res.destroyed && startedIn === generation)
				store(req, res, Buffer.concat(chunks));
			return end.call(this, chunk, encoding, callback);
		};
	}

	function answer(res, entry) {
		counts.hits++;
		res.writeHead(200, {
			...entry.headers,
			'content-length': entry.body.length,
			age: Math.floor((now() - entry.storedAt) / 1000),
			'x-cache': 'hit',
			'x-request-id': requestId()
		});
		res.end(entry.body);
	}

	/** Answers from the cache, or passes the request on to `next` (the app). */
	function handle(req, res, next) {
		if (req.method === 'GET' && req.headers.authorization === undefined) {
			if (!wantsFresh(req.headers)) {
				const entry = lookup(req);
				if (entry) return answer(res, entry);
			}
			capture(req, res);
		} else if (MUTATING.has(req.method)) {
			res.once('finish', () => {
				if (res.statusCode < 400) clear();
			});
		}
		return next();
	}

	return { handle, clear, counts, size: () => entries };
}

function sameVariant(a, b) {
	return (
		a.vary.length === b.vary.length &&
		a.vary.every((name, i) => b.vary[i] === name && a.varyValues[i] === b.varyValues[i])
	);
}
