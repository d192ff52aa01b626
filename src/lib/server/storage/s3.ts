import {
	DeleteObjectCommand,
	GetObjectCommand,
	ListObjectsV2Command,
	NoSuchKey,
	PutObjectCommand,
	S3Client,
	type S3ClientConfig
} from '@aws-sdk/client-s3';

/**
 * Photos in any S3-compatible object store, for more than one app server. Same shape as the local
 * folder store: put (never overwriting), get (null when missing), delete and list.
 */
export class S3PhotoStore {
	private readonly client: S3Client;

	constructor(
		private readonly bucket: string,
		config: S3ClientConfig,
		timeoutMs = DEFAULT_S3_TIMEOUT_MS
	) {
		this.client = new S3Client({
			forcePathStyle: true,
			// A store that takes the connection and never answers must not hold a resident's report,
			// or this server's photo finishing, forever: the SDK sets no timeout of its own.
			requestHandler: {
				connectionTimeout: Math.min(5_000, timeoutMs),
				requestTimeout: timeoutMs,
				throwOnRequestTimeout: true
			},
			// Only the checksums the store requires: many S3-compatible servers reject the rest.
			requestChecksumCalculation: 'WHEN_REQUIRED',
			responseChecksumValidation: 'WHEN_REQUIRED',
			...config
		});
	}

	async put(key: string, data: Buffer, contentType: string): Promise<void> {
		await this.client.send(
			new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: data, ContentType: contentType })
		);
	}

	async get(key: string): Promise<Buffer | null> {
		try {
			const response = await this.client.send(
				new GetObjectCommand({ Bucket: this.bucket, Key: key })
			);
			if (!response.Body) return null;
			return Buffer.from(await response.Body.transformToByteArray());
		} catch (error) {
			if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey')
				return null;
			throw error;
		}
	}

	async delete(key: string): Promise<void> {
		await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
	}

	async *list(prefix: string): AsyncIterable<{ key: string; modifiedAt: Date }> {
		let token: string | undefined;
		do {
			const page = await this.client.send(
				new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token })
			);
			for (const object of page.Contents ?? [])
				if (object.Key && object.LastModified)
					yield { key: object.Key, modifiedAt: object.LastModified };
			token = page.IsTruncated ? page.NextContinuationToken : undefined;
		} while (token);
	}
}

/** How long one S3 request may take before it fails (S3_TIMEOUT_MS); the SDK retries twice. */
export const DEFAULT_S3_TIMEOUT_MS = 20_000;

/** The S3 store named by the environment (S3_BUCKET, S3_ENDPOINT, S3_REGION, keys), or null. */
export function s3StoreFromEnv(
	env: Record<string, string | undefined> = process.env
): S3PhotoStore | null {
	if (!env.S3_BUCKET) return null;
	return new S3PhotoStore(
		env.S3_BUCKET,
		{
			endpoint: env.S3_ENDPOINT || undefined,
			region: env.S3_REGION || 'us-east-1',
			credentials:
				env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
					? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
					: undefined
		},
		Number(env.S3_TIMEOUT_MS) || DEFAULT_S3_TIMEOUT_MS
	);
}
