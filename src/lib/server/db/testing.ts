import postgres from 'postgres';
import { openDatabase, type Database } from '.';
import { seedDemo } from '../seed/demo';

/**
 * A fresh database for one test file: embedded PGlite in memory, or, when DATABASE_URL is set, a
 * new database on that PostgreSQL server that is dropped afterwards.
 */
export async function openTestDatabase(
	options: { seed?: boolean } = {}
): Promise<Database & { url?: string }> {
	const serverUrl = process.env.DATABASE_URL;
	let database: Database;
	let url: string | undefined;
	let dropDatabase: (() => Promise<void>) | undefined;
	if (serverUrl) {
		const name = `jx_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
		const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		const named = new URL(serverUrl);
		named.pathname = `/${name}`;
		url = named.toString();
		database = await openDatabase({ databaseUrl: url });
		dropDatabase = async () => {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		};
	} else {
		database = await openDatabase({ databaseUrl: '', pgliteDir: 'memory://' });
	}
	if (options.seed ?? true) await seedDemo(database.db);
	return {
		...database,
		// On PostgreSQL, for a second connection pool (a second app server) on the same database.
		url,
		close: async () => {
			await database.close();
			await dropDatabase?.();
		}
	};
}
