import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { s3StoreFromEnv, type S3PhotoStore } from './s3';

/** A real S3-compatible server on loopback (s3rver, files under `directory`) and a store on its bucket. */
export async function startTestS3(
	directory: string
): Promise<{ store: S3PhotoStore; close: () => Promise<void> }> {
	const server = new S3rver({
		port: 0,
		address: '127.0.0.1',
		silent: true,
		directory,
		configureBuckets: [{ name: 'photos', configs: [] }]
	});
	const address = (await server.run()) as AddressInfo;
	const store = s3StoreFromEnv({
		S3_BUCKET: 'photos',
		S3_ENDPOINT: `http://127.0.0.1:${address.port}`,
		S3_ACCESS_KEY_ID: 'S3RVER',
		S3_SECRET_ACCESS_KEY: 'S3RVER'
	})!;
	return { store, close: () => server.close() };
}
