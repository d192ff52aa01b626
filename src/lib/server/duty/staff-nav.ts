import { can } from '../auth/permissions';
import type { SessionUser } from '../auth/session';

/** The duty pages a staff member may open, for the sub-navigation. */
export function dutyStaffLinks(user: SessionUser): string[] {
	const links = ['/staff/duty'];
	if (can(user, 'duty.coordinate'))
		links.push('/staff/duty/codes', '/staff/duty/coverage', '/staff/duty/records');
	if (can(user, 'duty.rota')) links.push('/staff/duty/rota');
	if (can(user, 'duty.supervise')) links.push('/staff/duty/supervision', '/staff/duty/absences');
	if (can(user, 'duty.visit')) links.push('/staff/duty/visits');
	if (can(user, 'duty.visits_review')) links.push('/staff/duty/visits/week');
	return links;
}
