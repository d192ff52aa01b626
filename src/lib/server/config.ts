import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Every setting the server reads from the environment, with its default. See README. */
export const config = {
	get databaseUrl(): string | undefined {
		return process.env.DATABASE_URL || undefined;
	},
	get pgliteDir(): string {
		return process.env.PGLITE_DIR || './data/pglite';
	},
	get uploadDir(): string {
		return process.env.UPLOAD_DIR || './data/uploads';
	},
	get migrationsDir(): string {
		return resolve(process.env.MIGRATIONS_DIR || 'drizzle');
	},
	/** Demo data is on by default only on the embedded database. */
	get seedDemo(): boolean {
		const flag = process.env.SEED_DEMO;
		if (flag === undefined || flag === '') return !this.databaseUrl;
		return flag === '1' || flag.toLowerCase() === 'true';
	},
	get production(): boolean {
		// Bracket access: the build's define of process.env.NODE_ENV (for workbox) must not fix this value.
		return process.env['NODE_ENV'] === 'production';
	}
};

let cachedSecret: string | undefined;

/**
 * APP_SECRET keys the HMACs and encryption. On the embedded default it is generated once into
 * ./data so a demo works out of the box; in production it must be set.
 */
export function appSecret(): string {
	if (cachedSecret) return cachedSecret;
	const fromEnv = process.env.APP_SECRET;
	if (fromEnv) return (cachedSecret = fromEnv);
	if (config.production && config.databaseUrl) {
		throw new Error('APP_SECRET must be set in production');
	}
	if (config.pgliteDir.startsWith('memory://')) {
		return (cachedSecret = randomBytes(32).toString('hex'));
	}
	const file = resolve(
		config.databaseUrl ? './data' : dirname(resolve(config.pgliteDir)),
		'app-secret'
	);
	if (!existsSync(file)) {
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
		console.warn(
			`[config] APP_SECRET is not set; generated one into ${file}. Set it in production.`
		);
	}
	return (cachedSecret = readFileSync(file, 'utf8').trim());
}
