import postgres from 'postgres';
import { openDatabase, type Database } from '.';
import { seedDemo } from '../seed/demo';

/**
 * A fresh database for one test file: embedded PGlite in memory, or, when DATABASE_URL is set, a
 * new database on that PostgreSQL server that is dropped afterwards.
 */
export async function openTestDatabase(options: { seed?: boolean } = {}): Promise<Database> {
	const serverUrl = process.env.DATABASE_URL;
	let database: Database;
	let dropDatabase: (() => Promise<void>) | undefined;
	if (serverUrl) {
		const name = `jx_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
		const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		const url = new URL(serverUrl);
		url.pathname = `/${name}`;
		database = await openDatabase({ databaseUrl: url.toString() });
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
		close: async () => {
			await database.close();
			await dropDatabase?.();
		}
	};
}
