// Brings the PostgreSQL schema up to date and exits: the deploy step before the app servers are
// (re)started. Takes the same advisory lock as the servers' own start-up migration, so it is safe
// to run while old servers are still up or new ones are starting.
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

const url = process.env.DATABASE_URL;
if (!url) {
	console.error('DATABASE_URL is not set: the embedded database migrates itself on start.');
	process.exit(1);
}
const sql = postgres(url, { max: 1, onnotice: () => {} });
try {
	await sql`select pg_advisory_lock(72201)`;
	await migrate(drizzle(sql), { migrationsFolder: process.env.MIGRATIONS_DIR || './drizzle' });
	await sql`select pg_advisory_unlock(72201)`;
	console.log('[migrate] the schema is up to date');
} finally {
	await sql.end();
}
