import { expect, test, type APIRequestContext } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { demo, DEMO_PASSWORD, type DemoRole } from './helpers';
import { protectedTargets } from './routes';

/**
 * Walks every staff, admin and volunteer page, form action and endpoint, and the account
 * endpoints, with no session and with each role that lacks the permission, and asserts 401, 403
 * or a redirect to login — never the data. Under those prefixes every route falls under some
 * rule (the broad ones last), so new routes cannot slip through; `allowed: null` marks the few
 * public pages there.
 */
const staff: DemoRole[] = [
	'grid_worker',
	'handler',
	'community_staff',
	'dispatcher',
	'supervisor',
	'admin'
];
/*
 * Some permissions are narrowed to a department's staff (auth/department.ts). The demo accounts
 * sit in fixed departments: the handler and the dispatcher in 城管中队 (city-management), the
 * supervisor in 纪工委/效能办, and none in 基层党建办 (party-building). So a department rule lists the
 * demo roles that are in that department, plus admin. More specific prefixes come first.
 */
const cityManagement: DemoRole[] = ['handler', 'dispatcher', 'admin'];
const noShift = '/api/v1/shifts/00000000-0000-4000-8000-000000000000';
const everyone: DemoRole[] = Object.keys(demo) as DemoRole[];
const rules: { prefix: string; allowed: DemoRole[] | null; exact?: boolean }[] = [
	{ prefix: '/staff/notices', allowed: ['admin'] }, // party-building staff and admin
	{ prefix: '/staff/shops', allowed: cityManagement },
	{ prefix: '/staff/campaigns', allowed: cityManagement },
	{ prefix: '/staff/activities', allowed: ['community_staff', 'dispatcher', 'admin'] },
	{ prefix: '/api/v1/staff/campaigns', allowed: cityManagement },
	{ prefix: '/api/v1/admin', allowed: ['admin'] },
	{ prefix: '/admin', allowed: ['admin'] },
	{ prefix: '/staff/duty/rota', allowed: ['dispatcher', 'admin'] },
	{ prefix: '/staff/duty/supervision', allowed: ['supervisor', 'dispatcher', 'admin'] },
	{ prefix: '/staff/duty/absences', allowed: ['supervisor', 'dispatcher', 'admin'] },
	{ prefix: '/staff/duty/visits/week', allowed: ['supervisor', 'dispatcher', 'admin'] },
	{ prefix: '/api/v1/staff/spot-checks', allowed: ['supervisor', 'dispatcher', 'admin'] },
	{
		prefix: '/staff/duty/codes',
		allowed: ['community_staff', 'dispatcher', 'supervisor', 'admin']
	},
	{
		prefix: '/staff/duty/coverage',
		allowed: ['community_staff', 'dispatcher', 'supervisor', 'admin']
	},
	{
		prefix: '/staff/duty/records',
		allowed: ['community_staff', 'dispatcher', 'supervisor', 'admin']
	},
	{ prefix: '/api/v1/staff', allowed: staff },
	{ prefix: '/staff', allowed: staff },
	// The volunteer's own duty: booking, check-in, profile and service records.
	{ prefix: '/volunteer', exact: true, allowed: null }, // the public shift list (its actions are not)
	{ prefix: '/volunteer/posts', allowed: null }, // the public list of posts
	{ prefix: '/volunteer/activities', allowed: null }, // the public list of one-off activities
	{ prefix: '/volunteer', allowed: ['volunteer'] },
	{ prefix: `${noShift}/bookings`, allowed: ['volunteer'] },
	{ prefix: '/api/v1/bookings', allowed: ['volunteer'] },
	{ prefix: '/api/v1/checkins', allowed: ['volunteer'] },
	{ prefix: '/api/v1/checkouts', allowed: ['volunteer'] },
	// One's own account: any logged-in person.
	{ prefix: '/api/v1/me', allowed: everyone },
	{ prefix: '/api/v1/auth/logout', allowed: everyone },
	{ prefix: '/account', allowed: everyone }
];
const ruleFor = (path: string) =>
	rules.find(
		(r) =>
			path === r.prefix ||
			(!r.exact && (path.startsWith(r.prefix + '/') || path.startsWith(r.prefix + '?')))
	);
const targets = protectedTargets((path) => !!ruleFor(path)?.allowed);

async function send(request: APIRequestContext, target: (typeof targets)[number]) {
	const headers = {
		Origin: baseURL,
		Accept: target.kind === 'endpoint' ? 'application/json' : 'text/html'
	};
	if (target.kind === 'action') {
		return request.post(target.path, { form: { id: '' }, headers, maxRedirects: 0 });
	}
	return request.fetch(target.path, {
		method: target.method,
		headers: target.method === 'GET' ? headers : { ...headers, 'Content-Type': 'application/json' },
		data: target.method === 'GET' ? undefined : '{}',
		maxRedirects: 0
	});
}

test('the walk finds the staff and admin routes', () => {
	const paths = targets.map((t) => `${t.method} ${t.path}`);
	expect(paths).toEqual(
		expect.arrayContaining([
			'GET /staff',
			'GET /admin/users',
			'POST /admin/users?/create',
			'POST /api/v1/admin/users',
			'GET /volunteer/profile',
			`POST ${noShift}/bookings`,
			'POST /api/v1/checkins',
			'GET /api/v1/me'
		])
	);
});

test.describe('permission walk', () => {
	test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'HTTP only: one project is enough');

	test('no session: 401 or a redirect to login', async ({ playwright }) => {
		const request = await playwright.request.newContext({ baseURL });
		for (const target of targets) {
			const response = await send(request, target);
			const status = response.status();
			const where = `${target.method} ${target.path} (${target.file})`;
			// A download beside a page (records.csv) may send the person to log in instead.
			const download = target.kind === 'endpoint' && !target.path.startsWith('/api/');
			if (target.kind === 'endpoint' && !(download && status !== 401)) {
				expect(status, where).toBe(401);
				expect((await response.json()).error.code, where).toBe('unauthenticated');
			} else {
				expect([302, 303, 307], where).toContain(status);
				expect(response.headers().location, where).toMatch(/^\/login\?next=/);
			}
		}
		await request.dispose();
	});

	for (const role of Object.keys(demo) as DemoRole[]) {
		test(`${role}: 403 wherever the role has no access`, async ({ playwright }) => {
			const denied = targets.filter((t) => !ruleFor(t.path)!.allowed!.includes(role));
			test.skip(denied.length === 0, 'this role may use every walked route');
			const request = await playwright.request.newContext({ baseURL });
			const login = await request.post('/api/v1/auth/login', {
				data: { phone: demo[role], password: DEMO_PASSWORD },
				headers: { Origin: baseURL }
			});
			expect(login.status()).toBe(200);
			for (const target of denied) {
				const response = await send(request, target);
				const where = `${role} ${target.method} ${target.path} (${target.file})`;
				expect(response.status(), where).toBe(403);
				const body = await response.text();
				// No demo phone number other than the caller's own may appear in a refusal.
				for (const phone of Object.values(demo))
					if (phone !== demo[role]) expect(body, where).not.toContain(phone);
			}
			await request.dispose();
		});
	}
});
