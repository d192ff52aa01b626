import { eq, inArray, and } from 'drizzle-orm';
import webpush from 'web-push';
import * as v from 'valibot';
import { notificationText, type NotificationContent } from '$lib/i18n/notifications';
import { isLocale, type Locale } from '$lib/paraglide/runtime.js';
import { config } from '../config';
import type { Notice } from '../notify';
import type { Db } from '../db';
import { pushSubscriptions, pushVapidKeys } from '../db/schema';

/*
 * Web Push (VAPID, RFC 8292; payload encryption, RFC 8291) beside the in-app notifications.
 * Keys come from VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY; without them a development key pair is
 * made once and kept in the database, and in production push is off (with a warning).
 */

export interface VapidKeys {
	publicKey: string;
	privateKey: string;
	subject: string;
}

let cached: VapidKeys | null | undefined;
let warned = false;

export async function vapidKeys(db: Db): Promise<VapidKeys | null> {
	if (cached !== undefined) return cached;
	const subject = process.env.VAPID_SUBJECT || 'mailto:admin@localhost';
	const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey } = process.env;
	if (publicKey && privateKey) return (cached = { publicKey, privateKey, subject });
	if (config.production) {
		if (!warned) console.warn('[push] VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY not set: Web Push is off');
		warned = true;
		return (cached = null);
	}
	const made = webpush.generateVAPIDKeys();
	await db.insert(pushVapidKeys).values(made).onConflictDoNothing();
	const [row] = await db.select().from(pushVapidKeys).where(eq(pushVapidKeys.id, 1));
	return (cached = { publicKey: row.publicKey, privateKey: row.privateKey, subject });
}

const base64url = (min: number, max: number) =>
	v.pipe(
		v.string('required'),
		v.regex(/^[A-Za-z0-9_-]+={0,2}$/, 'choice'),
		v.minLength(min, 'choice'),
		v.maxLength(max, 'choice')
	);

/**
 * The browsers' push services. The server POSTs to whatever endpoint a subscription names, so only these
 * hosts (and their subdomains) are taken, or it could be made to call any host. PUSH_SERVICE_HOSTS replaces them.
 */
const defaultPushServiceHosts = [
	'fcm.googleapis.com',
	'updates.push.services.mozilla.com',
	'push.apple.com',
	'notify.windows.com'
];

export function isPushServiceEndpoint(endpoint: string, env = process.env): boolean {
	const hosts = env.PUSH_SERVICE_HOSTS
		? env.PUSH_SERVICE_HOSTS.split(',').map((h) => h.trim().toLowerCase())
		: defaultPushServiceHosts;
	let host: string;
	try {
		host = new URL(endpoint).hostname.toLowerCase();
	} catch {
		return false;
	}
	return hosts.some((allowed) => allowed && (host === allowed || host.endsWith(`.${allowed}`)));
}

const endpointSchema = v.pipe(
	v.string('required'),
	v.maxLength(2000, 'too_long'),
	// The URL parser drops a trailing NUL, but PostgreSQL refuses one in text.
	v.check((endpoint) => !endpoint.includes('\u0000'), 'choice'),
	v.url('choice'),
	v.startsWith('https://', 'choice'),
	v.check((endpoint) => isPushServiceEndpoint(endpoint), 'choice')
);

/** The body of a removal: only an endpoint a subscription could have (never one with a NUL). */
export const removalSchema = v.object({ endpoint: endpointSchema });

/** What `PushSubscription.toJSON()` gives in the browser. */
export const subscriptionSchema = v.object({
	endpoint: endpointSchema,
	keys: v.object({ p256dh: base64url(80, 100), auth: base64url(16, 32) }),
	expirationTime: v.optional(v.nullable(v.number()))
});
export type SubscriptionInput = v.InferOutput<typeof subscriptionSchema>;

/**
 * Keeps a subscription for the user, with the language its pushes are written in; the same
 * endpoint again moves it to them with new keys and language.
 */
export async function saveSubscription(
	db: Db,
	userId: string,
	input: SubscriptionInput,
	locale: Locale
) {
	const values = { userId, endpoint: input.endpoint, ...input.keys, locale };
	await db
		.insert(pushSubscriptions)
		.values(values)
		.onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: values });
}

export async function removeSubscription(db: Db, userId: string, endpoint: string) {
	const rows = await db
		.delete(pushSubscriptions)
		.where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
		.returning({ id: pushSubscriptions.id });
	return rows.length > 0;
}

export interface PushMessage {
	userId: string;
	/** The Chinese text, sent as it is unless `content` can be written in the device's language. */
	title: string;
	body?: string;
	content?: NotificationContent;
	link?: string;
	/** Replaces an earlier notification with the same tag on the device. */
	tag?: string;
}

/** Push services keep an undelivered message this long (seconds). */
const TTL = 3600;

/**
 * Sends each message to every subscription of its user. A subscription the push service no longer
 * knows (404, 410) is dropped; other failures are logged and left for the in-app copy to cover.
 * Returns how many pushes the services accepted.
 */
export async function sendPush(db: Db, messages: PushMessage[]): Promise<number> {
	if (!messages.length) return 0;
	const subscriptions = await db
		.select()
		.from(pushSubscriptions)
		.where(inArray(pushSubscriptions.userId, [...new Set(messages.map((m) => m.userId))]));
	if (!subscriptions.length) return 0;
	const keys = await vapidKeys(db);
	if (!keys) return 0;
	let accepted = 0;
	for (const message of messages) {
		for (const sub of subscriptions.filter((s) => s.userId === message.userId)) {
			const text =
				message.content && isLocale(sub.locale)
					? notificationText(message.content, sub.locale)
					: message;
			const payload = JSON.stringify({
				title: text.title,
				body: text.body ?? '',
				link: message.link ?? '/',
				tag: message.tag
			});
			try {
				await webpush.sendNotification(
					{ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
					payload,
					{ vapidDetails: keys, TTL, contentEncoding: 'aes128gcm', timeout: 10_000 }
				);
				accepted++;
				await db
					.update(pushSubscriptions)
					.set({ lastSentAt: new Date() })
					.where(eq(pushSubscriptions.id, sub.id));
			} catch (error) {
				const status = (error as { statusCode?: number }).statusCode;
				if (status === 404 || status === 410)
					await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, sub.id));
				else console.warn('[push] not delivered', status ?? (error as Error).message);
			}
		}
	}
	return accepted;
}

/**
 * Sends notices by push too, once committed; the caller does not wait for it, since a slow push
 * service must not hold the staff member's page. A failure leaves the in-app copy. Resolves to how
 * many pushes the services took. A push replaces the device's earlier one with the same tag: the
 * notice's own, else `tag`, else its page.
 */
export function pushAfterCommit(db: Db, notices: PushMessage[], tag?: string): Promise<number> {
	return sendPush(
		db,
		notices.map((notice) => ({ ...notice, tag: notice.tag ?? tag ?? notice.link }))
	).catch((error: unknown) => {
		console.warn('[push]', error);
		return 0;
	});
}

/**
 * One push per person for a job run that told them of several cases (a backlog after downtime):
 * the phone would show only the last of them anyway, as they share a tag, so the person gets one
 * message that counts them and opens their list. A person told of one case gets that notice.
 */
export function summedPerPerson(
	notices: Notice[],
	summary: (count: number) => { content: NotificationContent; link: string }
): PushMessage[] {
	const byPerson = new Map<string, Notice[]>();
	for (const notice of notices)
		byPerson.set(notice.userId, [...(byPerson.get(notice.userId) ?? []), notice]);
	return [...byPerson.values()].map((own) => {
		const last = own[own.length - 1];
		if (own.length === 1) return last;
		const { content, link } = summary(own.length);
		return {
			userId: last.userId,
			...notificationText(content, 'zh-CN'),
			content,
			link,
			tag: last.tag
		};
	});
}
