import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Duty, DutyResult } from '$lib/domain/shops';

/*
 * The inspector's phone keeps the campaign lists it has seen and an outbox of inspections, so
 * the work goes on with no network and syncs when it comes back.
 */

export interface CampaignShop {
	id: string;
	name: string;
	address: string;
	community: string | null;
	/** Absent from copies saved before it was sent. */
	communityEn?: string | null;
	dutyNotes: Partial<Record<Duty, string>>;
	lastResults: Record<Duty, DutyResult> | null;
}

export interface CampaignCopy {
	id: string;
	name: string;
	startsOn: string;
	endsOn: string;
	shops: CampaignShop[];
	savedAt: string;
}

export interface OutboxItem {
	clientId: string;
	campaignId: string;
	shopId: string;
	inspectedAt: string;
	results: Record<Duty, DutyResult>;
	note: string;
	photo: Blob | null;
	status: 'pending' | 'synced' | 'rejected';
	caseCode?: string | null;
	problem?: string;
}

interface InspectionDb extends DBSchema {
	campaigns: { key: string; value: CampaignCopy };
	lists: { key: string; value: { key: string; items: { id: string; name: string }[] } };
	outbox: { key: string; value: OutboxItem; indexes: { campaign: string } };
}

let opening: Promise<IDBPDatabase<InspectionDb>> | undefined;
function db() {
	opening ??= openDB<InspectionDb>('jiexiang-inspections', 1, {
		upgrade(database) {
			database.createObjectStore('campaigns', { keyPath: 'id' });
			database.createObjectStore('lists', { keyPath: 'key' });
			database
				.createObjectStore('outbox', { keyPath: 'clientId' })
				.createIndex('campaign', 'campaignId');
		}
	});
	return opening;
}

export async function saveCampaignList(items: { id: string; name: string }[]) {
	await (await db()).put('lists', { key: 'campaigns', items });
}
export async function loadCampaignList() {
	return (await (await db()).get('lists', 'campaigns'))?.items ?? null;
}
export async function saveCampaign(copy: CampaignCopy) {
	await (await db()).put('campaigns', copy);
}
export async function loadCampaign(id: string) {
	return (await (await db()).get('campaigns', id)) ?? null;
}
export async function queueInspection(item: OutboxItem) {
	await (await db()).put('outbox', item);
}
export async function outboxFor(campaignId: string) {
	return (await db()).getAllFromIndex('outbox', 'campaign', campaignId);
}

/**
 * Sends every pending inspection. A network failure stops the run (the items stay pending); a
 * refusal by the server marks the item so it is not sent again.
 */
export async function syncOutbox(
	describe: (code: string) => string
): Promise<{ sent: number; offline: boolean }> {
	const database = await db();
	const pending = (await database.getAll('outbox')).filter((i) => i.status === 'pending');
	let sent = 0;
	for (const item of pending) {
		const body = new FormData();
		body.set('clientId', item.clientId);
		body.set('shopId', item.shopId);
		body.set('inspectedAt', item.inspectedAt);
		for (const [duty, result] of Object.entries(item.results)) body.set(duty, result);
		body.set('note', item.note);
		if (item.photo) body.set('photo', item.photo, 'photo.jpg');
		let response: Response;
		try {
			response = await fetch(`/api/v1/staff/campaigns/${item.campaignId}/inspections`, {
				method: 'POST',
				body,
				headers: { 'Idempotency-Key': item.clientId },
				credentials: 'same-origin'
			});
		} catch {
			return { sent, offline: true };
		}
		if (response.status === 401 || response.status >= 500) return { sent, offline: false };
		const answer = await response.json().catch(() => ({}));
		if (response.ok) {
			await database.put('outbox', {
				...item,
				photo: null,
				status: 'synced',
				caseCode: answer.case?.trackingCode ?? null
			});
			sent++;
		} else {
			await database.put('outbox', {
				...item,
				status: 'rejected',
				problem: describe(answer.error?.code ?? 'error')
			});
		}
	}
	return { sent, offline: false };
}
