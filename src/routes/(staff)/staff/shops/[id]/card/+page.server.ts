import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { getDb } from '$lib/server/db';
import { departments, subdistricts } from '$lib/server/db/schema';
import { qrSvg, reportUrlForShop } from '$lib/server/shops/card';
import { requireShopStaff, SHOPS_DEPARTMENT, uuidPattern } from '$lib/server/shops/form';
import { getShop } from '$lib/server/shops/shops';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await requireShopStaff(event);
	const db = await getDb();
	const shop = uuidPattern.test(event.params.id) ? await getShop(db, event.params.id) : null;
	if (!shop) error(404, 'not_found');
	const [subdistrict] = await db.select({ name: subdistricts.name }).from(subdistricts).limit(1);
	const [department] = await db
		.select({ name: departments.name })
		.from(departments)
		.where(eq(departments.code, SHOPS_DEPARTMENT));
	const reportUrl = reportUrlForShop(event.url.origin, shop.id);
	return {
		shop: {
			id: shop.id,
			name: shop.name,
			address: shop.address,
			community: shop.community,
			ownerName: shop.ownerName,
			dutyNotes: shop.dutyNotes
		},
		subdistrict: subdistrict?.name ?? '',
		supervisor: department?.name ?? '',
		reportUrl,
		qr: await qrSvg(reportUrl)
	};
};
