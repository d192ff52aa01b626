import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
	throw new Error(
		`No Chromium at ${chromium}. Install one with "sudo apt-get install -y chromium" (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary. Playwright's own browser download is not used.`
	);
}

const port = Number(process.env.E2E_PORT || 4173);
export const baseURL = `http://localhost:${port}`;

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	reporter: process.env.CI ? [['list']] : [['list']],
	timeout: 30_000,
	use: {
		baseURL,
		locale: 'zh-CN',
		launchOptions: {
			executablePath: chromium,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	projects: [
		{ name: 'js', use: { javaScriptEnabled: true } },
		{ name: 'no-js', use: { javaScriptEnabled: false } }
	],
	webServer: {
		command: 'npm run build && node scripts/serve.js',
		url: `${baseURL}/api/v1/categories`,
		timeout: 240_000,
		reuseExistingServer: !process.env.CI,
		stdout: 'pipe',
		env: {
			...(process.env as Record<string, string>),
			PORT: String(port),
			ORIGIN: baseURL,
			BODY_SIZE_LIMIT: '70M',
			// With DATABASE_URL (CI), the tests run against that PostgreSQL database.
			PGLITE_DIR: process.env.E2E_PGLITE_DIR || 'memory://',
			SEED_DEMO: '1',
			APP_SECRET: process.env.APP_SECRET || 'e2e-secret-not-for-production',
			UPLOAD_DIR: process.env.E2E_UPLOAD_DIR || 'data/e2e-uploads'
		}
	}
});
