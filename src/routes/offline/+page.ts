// Prerendered so the service worker can precache it as the offline fallback.
export const prerender = true;
