import type { ActivityKind } from '$lib/domain/activities';
import { m } from '$lib/paraglide/messages.js';

export const activityKindLabel: Record<ActivityKind, () => string> = {
	cleanup: m.activities_kind_cleanup,
	publicity: m.activities_kind_publicity
};
