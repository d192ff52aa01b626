import { execFileSync } from 'node:child_process';
import {
	createDecipheriv,
	createECDH,
	createPublicKey,
	hkdfSync,
	randomBytes,
	verify
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocal, isoWeekday, localDate } from '$lib/domain/duty';
import type { Database, Db } from '../db';
import { pushSubscriptions, pushVapidKeys, reports } from '../db/schema';
import { createCase, demoActors } from '../reports/fixtures';
import { addReply, applyTransition } from '../reports/workflow';
import { openTestDatabase } from '../db/testing';
import { bookShift, cancelBooking } from '../duty/booking';
import { submitSpotCheck } from '../duty/spot-check-input';
import { updateTemplate } from '../duty/shifts';
import { escalateOverdue } from '../reports/deadlines';
import { announceDueRevisits } from '../reports/revisits';
import { sendReminders } from '../duty/reminders';
import { activitySchema } from '$lib/domain/activities';
import { parseInput } from '$lib/domain/validation';
import { activityDetail, cancelActivity, createActivity } from '../activities/activities';
import { makePostWithShifts, makeVolunteers } from '../duty/testing';
import { saveSubscription, isPushServiceEndpoint, removalSchema, subscriptionSchema } from './push';
import * as v from 'valibot';

/*
 * Web Push against a real push service stand-in: a local HTTPS server (self-signed certificate,
 * trusted by this process only) that records what arrives. The test decrypts the body itself
 * (RFC 8291) and checks the VAPID signature (RFC 8292), so nothing of web-push is assumed.
 */

interface Received {
	path: string;
	headers: import('node:http').IncomingHttpHeaders;
	body: Buffer;
}

const dir = mkdtempSync(join(tmpdir(), 'jx-push-'));
let server: https.Server;
let origin = '';
const received: Received[] = [];
let database: Database;

beforeAll(async () => {
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-keyout',
			join(dir, 'key.pem'),
			'-out',
			join(dir, 'cert.pem'),
			'-days',
			'1',
			'-subj',
			'/CN=127.0.0.1',
			'-addext',
			'subjectAltName=IP:127.0.0.1'
		],
		{ stdio: 'ignore' }
	);
	const cert = readFileSync(join(dir, 'cert.pem'));
	server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
			// A subscription the browser dropped: the push service says it is gone.
			res.writeHead(req.url?.startsWith('/push/gone') ? 410 : 201).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
	// web-push uses the default agent: let it trust this certificate.
	https.globalAgent.options.ca = cert;
	database = await openTestDatabase();
});

afterAll(async () => {
	await database?.close();
	await new Promise((resolve) => server.close(resolve));
	rmSync(dir, { recursive: true, force: true });
});

const b64url = (b: Buffer | Uint8Array) => Buffer.from(b).toString('base64url');

/** A browser's side of a subscription: a P-256 key pair and a 16-byte auth secret. */
function browserKeys() {
	const ecdh = createECDH('prime256v1');
	ecdh.generateKeys();
	return { ecdh, auth: randomBytes(16) };
}

/** RFC 8291 decryption of an aes128gcm body with the browser's keys. */
function decrypt(body: Buffer, browser: ReturnType<typeof browserKeys>): string {
	const salt = body.subarray(0, 16);
	const idlen = body[20];
	const serverPublic = body.subarray(21, 21 + idlen);
	const ciphertext = body.subarray(21 + idlen);
	const shared = browser.ecdh.computeSecret(serverPublic);
	const keyInfo = Buffer.concat([
		Buffer.from('WebPush: info\0'),
		browser.ecdh.getPublicKey(),
		serverPublic
	]);
	const ikm = Buffer.from(hkdfSync('sha256', shared, browser.auth, keyInfo, 32));
	const cek = Buffer.from(hkdfSync('sha256', ikm, salt, 'Content-Encoding: aes128gcm\0', 16));
	const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, 'Content-Encoding: nonce\0', 12));
	const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
	decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
	const plain = Buffer.concat([
		decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
		decipher.final()
	]);
	// The last record ends with the delimiter 0x02 and optional zero padding.
	let end = plain.length - 1;
	while (plain[end] === 0) end--;
	expect(plain[end]).toBe(2);
	return plain.subarray(0, end).toString('utf8');
}

/** Checks `Authorization: vapid t=<JWT>, k=<key>` and returns the JWT's claims. */
function vapidClaims(authorization: string, expectedKey: string) {
	const match = /^vapid t=([^,]+),\s*k=(.+)$/.exec(authorization);
	expect(match, authorization).not.toBeNull();
	const [, token, key] = match!;
	expect(key).toBe(expectedKey);
	const [header, payload, signature] = token.split('.');
	expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'ES256' });
	const point = Buffer.from(key, 'base64url');
	const publicKey = createPublicKey({
		key: {
			kty: 'EC',
			crv: 'P-256',
			x: b64url(point.subarray(1, 33)),
			y: b64url(point.subarray(33))
		},
		format: 'jwk'
	});
	expect(
		verify(
			'sha256',
			Buffer.from(`${header}.${payload}`),
			{ key: publicKey, dsaEncoding: 'ieee-p1363' },
			Buffer.from(signature, 'base64url')
		)
	).toBe(true);
	return JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
		aud: string;
		exp: number;
		sub: string;
	};
}

/** Keeps a subscription to the test's push service for these browser keys. */
function subscribe(
	db: Db,
	userId: string,
	path: string,
	keys: ReturnType<typeof browserKeys>,
	locale: 'zh-CN' | 'en'
) {
	const p256dh = b64url(keys.ecdh.getPublicKey());
	return saveSubscription(
		db,
		userId,
		{ endpoint: `${origin}${path}`, keys: { p256dh, auth: b64url(keys.auth) } },
		locale
	);
}

describe(`Web Push reminders (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('accepts only a browser-shaped https subscription to a browser push service', () => {
		const good = {
			endpoint: 'https://fcm.googleapis.com/fcm/send/abc',
			keys: { p256dh: b64url(browserKeys().ecdh.getPublicKey()), auth: b64url(randomBytes(16)) }
		};
		expect(v.safeParse(subscriptionSchema, good).success).toBe(true);
		for (const service of [
			'https://updates.push.services.mozilla.com/wpush/v2/abc',
			'https://web.push.apple.com/abc',
			'https://wns2-bl2p.notify.windows.com/w/?token=abc'
		])
			expect(v.safeParse(subscriptionSchema, { ...good, endpoint: service }).success).toBe(true);
		expect(
			isPushServiceEndpoint('https://push.example/abc', { PUSH_SERVICE_HOSTS: 'push.example' })
		).toBe(true);
		for (const bad of [
			{ ...good, endpoint: 'http://fcm.googleapis.com/fcm/send/abc' },
			// Any other host would let a user make the server call it.
			{ ...good, endpoint: 'https://push.example/abc' },
			{ ...good, endpoint: 'https://127.0.0.1/push' },
			{ ...good, endpoint: 'https://fcm.googleapis.com.evil.example/x' },
			{ ...good, endpoint: 'javascript:alert(1)' },
			{ ...good, keys: { ...good.keys, auth: 'not base64!' } },
			{ endpoint: good.endpoint }
		])
			expect(v.safeParse(subscriptionSchema, bad).success).toBe(false);
		// A removal names an endpoint of the same shape: a NUL (PostgreSQL refuses it in text) is 400.
		expect(v.safeParse(removalSchema, { endpoint: good.endpoint }).success).toBe(true);
		for (const endpoint of ['\u0000', `${good.endpoint}\u0000`, 'x'])
			expect(v.safeParse(removalSchema, { endpoint }).success).toBe(false);
	});

	it('sends the due reminder, encrypted and VAPID-signed, to each subscription once', async () => {
		const { db } = database;
		const bookedAt = atLocal('2026-12-07', '09:00');
		const { post, shifts } = await makePostWithShifts(db, bookedAt);
		const [volunteer] = await makeVolunteers(db, 1);
		const booking = await bookShift(db, {
			shiftId: shifts[0].id,
			volunteerId: volunteer,
			now: bookedAt
		});
		const phone = browserKeys();
		const stale = browserKeys();
		await subscribe(db, volunteer, '/push/phone-1', phone, 'zh-CN');
		await subscribe(db, volunteer, '/push/gone-1', stale, 'zh-CN');
		// A tablet subscribed from the English pages gets its pushes in English.
		const tablet = browserKeys();
		await subscribe(db, volunteer, '/push/tablet-1', tablet, 'en');

		// 50 minutes before the start: the 1-hour reminder is due.
		const now = new Date(shifts[0].startsAt.getTime() - 50 * 60_000);
		expect(await sendReminders(db, now)).toBeGreaterThanOrEqual(1);
		const toPhone = received.filter((r) => r.path === '/push/phone-1');
		expect(toPhone).toHaveLength(1);
		const [push] = toPhone;
		expect(push.headers['content-encoding']).toBe('aes128gcm');
		expect(Number(push.headers.ttl)).toBeGreaterThan(0);
		// No key was configured: a development key pair was made once and kept in the database.
		const [keys] = await db.select().from(pushVapidKeys);
		const claims = vapidClaims(String(push.headers.authorization), keys.publicKey);
		expect(claims.aud).toBe(origin);
		expect(claims.sub).toMatch(/^mailto:|^https:/);
		expect(claims.exp * 1000).toBeGreaterThan(Date.now());
		const message = JSON.parse(decrypt(push.body, phone));
		// Tagged by booking: the 1-hour reminder replaces the same booking's 24-hour one on the phone.
		expect(message).toMatchObject({ link: '/volunteer/checkin', tag: `reminder-${booking.id}` });
		expect(message.body).toContain(post.name);
		expect(message.title).toBe('岗位提醒：1 小时内开始');
		const [toTablet] = received.filter((r) => r.path === '/push/tablet-1');
		const inEnglish = JSON.parse(decrypt(toTablet.body, tablet));
		expect(inEnglish).toMatchObject({
			title: 'Reminder: your shift starts within the hour',
			link: '/volunteer/checkin'
		});
		expect(inEnglish.body).toMatch(
			new RegExp(`^${post.name}, .+ Please arrive on time and check in\\.$`)
		);

		// The push service said the other subscription is gone: it is dropped.
		expect(received.filter((r) => r.path === '/push/gone-1')).toHaveLength(1);
		expect(
			(
				await db
					.select({ endpoint: pushSubscriptions.endpoint })
					.from(pushSubscriptions)
					.where(eq(pushSubscriptions.userId, volunteer))
			).map((s) => s.endpoint)
		).toEqual(expect.arrayContaining([`${origin}/push/phone-1`, `${origin}/push/tablet-1`]));

		// Subscribed again from the Chinese pages (the person switched language): Chinese from now on.
		await subscribe(db, volunteer, '/push/tablet-1', tablet, 'zh-CN');
		const [again] = await db
			.select({ locale: pushSubscriptions.locale })
			.from(pushSubscriptions)
			.where(eq(pushSubscriptions.endpoint, `${origin}/push/tablet-1`));
		expect(again.locale).toBe('zh-CN');

		// The job runs again (another server, a restart): nothing is sent twice.
		const before = received.length;
		await sendReminders(db, new Date(now.getTime() + 5 * 60_000));
		expect(received.filter((r) => r.path === '/push/phone-1')).toHaveLength(1);
		expect(received.length).toBe(before);
	});

	it('tells a volunteer by push, at once, when an activity they booked is called off', async () => {
		const { db } = database;
		const now = atLocal('2026-12-07', '09:00');
		const { post } = await makePostWithShifts(db, now);
		const parsed = parseInput(activitySchema, {
			kind: 'publicity',
			title: '文明宣传进社区',
			description: '',
			place: '和平广场',
			post: post.id,
			day: '2026-12-13',
			startTime: '09:00',
			endTime: '11:00',
			capacity: '5',
			responsiblePerson: '赵主任'
		});
		if (!parsed.ok) throw new Error(JSON.stringify(parsed.fields));
		const staff = { id: (await makeVolunteers(db, 1))[0], departmentId: null };
		const id = await createActivity(db, parsed.value, staff, { kind: 'all' }, now);
		const [volunteer] = await makeVolunteers(db, 1);
		await bookShift(db, {
			shiftId: (await activityDetail(db, id))!.shiftId,
			volunteerId: volunteer,
			now
		});
		const phone = browserKeys();
		await subscribe(db, volunteer, '/push/phone-activity', phone, 'zh-CN');

		const { pushing } = await cancelActivity(db, id, '大风蓝色预警', now);
		expect(await pushing).toBe(1);
		const pushes = received.filter((r) => r.path === '/push/phone-activity');
		expect(pushes).toHaveLength(1);
		const message = JSON.parse(decrypt(pushes[0].body, phone));
		expect(message).toMatchObject({
			link: '/volunteer/activities',
			tag: `activity-cancelled-${id}`
		});
		expect(message.body).toContain('文明宣传进社区');
		expect(message.body).toContain('大风蓝色预警');
		// Called off again: no one is told twice.
		expect(await (await cancelActivity(db, id, '大风蓝色预警', now)).pushing).toBe(0);
		expect(received.filter((r) => r.path === '/push/phone-activity')).toHaveLength(1);
	});

	it('tells a reporter by push, in their device language, when their case moves or gets a reply', async () => {
		const { db } = database;
		const [resident] = await makeVolunteers(db, 1);
		const report = await createCase(db, {});
		await db.update(reports).set({ reporterUserId: resident }).where(eq(reports.id, report.id));
		const phone = browserKeys();
		await subscribe(db, resident, '/push/resident-en', phone, 'en');
		const staff = (await demoActors(db)).community_staff;
		const toPhone = () =>
			received
				.filter((r) => r.path === '/push/resident-en')
				.map((r) => JSON.parse(decrypt(r.body, phone)));

		await applyTransition(db, staff, report.id, { action: 'accept', version: 1 });
		// Pushed after the commit, without holding the staff member's answer.
		await expect.poll(() => toPhone().length).toBe(1);
		expect(toPhone()[0]).toEqual({
			title: `Your report ${report.trackingCode} has an update`,
			body: 'Now: Accepted',
			link: `/r/${report.trackingCode}`,
			tag: `/r/${report.trackingCode}`
		});
		await addReply(db, staff, report.id, { publicNote: '已安排人员前往' });
		await expect.poll(() => toPhone().length).toBe(2);
		expect(toPhone()[1].body).toBe('已安排人员前往');
		// An internal note tells no one.
		await addReply(db, staff, report.id, { note: '内部备注' });
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(toPhone()).toHaveLength(2);
	});

	it('tells volunteers by push when a waitlist place comes free, a shift is called off or a stand-in is wanted', async () => {
		const { db } = database;
		const bookedAt = atLocal('2026-12-07', '09:00');
		const { post, template, shifts } = await makePostWithShifts(db, bookedAt, {
			volunteersNeeded: 1
		});
		const [first, second] = shifts;
		const [holder, waiting, absentee] = await makeVolunteers(db, 3);
		const held = await bookShift(db, { shiftId: first.id, volunteerId: holder, now: bookedAt });
		expect(
			await bookShift(db, { shiftId: first.id, volunteerId: waiting, now: bookedAt })
		).toMatchObject({ status: 'waitlisted' });
		const phone = browserKeys();
		await subscribe(db, waiting, '/push/waiting-en', phone, 'en');
		const toPhone = () =>
			received
				.filter((r) => r.path === '/push/waiting-en')
				.map((r) => JSON.parse(decrypt(r.body, phone)));

		// The holder gives the place up: the first waiting has it, and hears it on the phone.
		expect(
			await cancelBooking(db, { bookingId: held.id, volunteerId: holder, now: bookedAt })
		).toMatchObject({ promoted: 1 });
		await expect.poll(() => toPhone().length).toBe(1);
		expect(toPhone()[0]).toMatchObject({
			title: 'Off the waitlist: you have a place',
			link: '/volunteer',
			tag: `promoted-${first.id}`
		});
		expect(toPhone()[0].body).toContain(post.name);

		// The template no longer runs on that weekday: the shift is called off, and they hear that.
		const offDay = isoWeekday(localDate(first.startsAt));
		await updateTemplate(
			db,
			template.id,
			{ weekdays: [1, 2, 3, 4, 5, 6, 7].filter((day) => day !== offDay) },
			bookedAt
		);
		await expect.poll(() => toPhone().length).toBe(2);
		expect(toPhone()[1]).toMatchObject({
			title: 'A shift you booked was cancelled',
			link: '/volunteer',
			tag: `shift-cancelled-${first.id}`
		});

		// Someone booked is absent from the next shift: the waiting are asked to stand in (they are
		// asked first), and the dispatcher hears of the absence.
		const absent = await bookShift(db, {
			shiftId: second.id,
			volunteerId: absentee,
			now: bookedAt
		});
		expect(
			await bookShift(db, { shiftId: second.id, volunteerId: waiting, now: bookedAt })
		).toMatchObject({ status: 'waitlisted' });
		const { dispatcher, supervisor } = await demoActors(db);
		const desk = browserKeys();
		await subscribe(db, dispatcher.id, '/push/dispatcher-absence', desk, 'zh-CN');
		const during = new Date(second.startsAt.getTime() + 20 * 60_000);
		const check = await submitSpotCheck(db, {
			key: crypto.randomUUID(),
			checkedBy: supervisor.id,
			fields: { booking: absent.id, result: 'absent', checkedAt: during.toISOString() },
			now: during
		});
		expect(check.status).toBe(201);
		await expect.poll(() => toPhone().length).toBe(3);
		expect(toPhone()[2]).toMatchObject({ title: 'A stand-in is needed' });
		expect(toPhone()[2].link).toMatch(/^\/volunteer\/stand-in\/[0-9a-f-]{36}$/);
		const toDesk = () =>
			received
				.filter((r) => r.path === '/push/dispatcher-absence')
				.map((r) => JSON.parse(decrypt(r.body, desk)));
		await expect.poll(() => toDesk().length).toBe(1);
		expect(toDesk()[0]).toMatchObject({
			title: '督察发现缺岗',
			link: '/staff/duty/supervision',
			tag: `absence-${(check.body as { id: string }).id}`
		});
		expect(toDesk()[0].body).toContain(post.name);
	});

	it('tells staff by push when a case is overdue or a revisit falls due, a backlog as one notification', async () => {
		const { db } = database;
		const { dispatcher, grid_worker } = await demoActors(db);
		const desk = browserKeys();
		await subscribe(db, dispatcher.id, '/push/dispatcher-cases', desk, 'en');
		const toDesk = () =>
			received
				.filter((r) => r.path === '/push/dispatcher-cases')
				.map((r) => JSON.parse(decrypt(r.body, desk)));
		const now = new Date();

		const late = await createCase(db, { dueAt: new Date(now.getTime() - 3600_000) });
		await escalateOverdue(db, now);
		await expect
			.poll(() => toDesk().filter((p) => p.link === `/staff/reports/${late.id}`).length)
			.toBe(1);
		expect(toDesk().find((p) => p.link === `/staff/reports/${late.id}`)).toMatchObject({
			title: `Case ${late.trackingCode} is overdue`,
			tag: 'case-overdue'
		});
		// Escalated once: the job running again pushes nothing more about it.
		const sent = toDesk().length;
		await escalateOverdue(db, new Date(now.getTime() + 60_000));
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(toDesk()).toHaveLength(sent);

		const closedAt = new Date(now.getTime() - 20 * 24 * 3600_000);
		const handled = await createCase(db, { stage: 'handled', department: 'city-management' });
		await applyTransition(db, grid_worker, handled.id, { action: 'close' }, closedAt);
		await announceDueRevisits(db, now);
		await expect
			.poll(() => toDesk().filter((p) => p.link === `/staff/reports/${handled.id}`).length)
			.toBe(1);
		expect(toDesk().find((p) => p.link === `/staff/reports/${handled.id}`)).toMatchObject({
			title: `Case ${handled.trackingCode} is due for its revisit`,
			tag: 'revisit-due'
		});

		// A backlog in one run (after downtime, say) is one push that counts it and opens the list.
		const before = toDesk().length;
		for (let i = 0; i < 3; i++)
			await createCase(db, { dueAt: new Date(now.getTime() - (i + 2) * 3600_000) });
		expect(await escalateOverdue(db, now)).toHaveLength(3);
		await expect.poll(() => toDesk().length).toBe(before + 1);
		for (let i = 0; i < 2; i++) {
			const done = await createCase(db, { stage: 'handled', department: 'city-management' });
			await applyTransition(db, grid_worker, done.id, { action: 'close' }, closedAt);
		}
		expect(await announceDueRevisits(db, now)).toHaveLength(2);
		await expect.poll(() => toDesk().length).toBe(before + 2);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(toDesk().slice(before)).toEqual([
			{
				title: '3 cases are overdue',
				body: 'Open the overdue list to follow them up.',
				link: '/staff/queue?stage=open&overdue=1',
				tag: 'case-overdue'
			},
			{
				title: '2 cases are due for their revisit',
				body: 'Open the revisit list and check on site that the fixes have held.',
				link: '/staff/queue?revisit=due',
				tag: 'revisit-due'
			}
		]);
	});
});
