import { scanEndpoint } from '$lib/server/duty/scan-endpoint';

export const POST = scanEndpoint('out');
