import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';
import { precacheTransform } from './scripts/precache.js';

export default defineConfig({
	define: {
		// Workbox modules read this; the service worker bundle has no process.
		'process.env.NODE_ENV': JSON.stringify(
			process.env.NODE_ENV === 'development' ? 'development' : 'production'
		)
	},
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		sveltekit(),
		SvelteKitPWA({
			strategies: 'injectManifest',
			srcDir: 'src',
			filename: 'service-worker.ts',
			registerType: 'prompt',
			injectRegister: false,
			// Registered from the root, whatever page opens first: the plugin's default is relative
			// ('./service-worker.js'), which a deep link such as /r/<code> turns into a 404.
			base: '/',
			scope: '/',
			manifest: {
				name: '街巷 · 和平路街道城市精细化管理',
				short_name: '街巷',
				description: '随手报、志愿服务与工作台',
				lang: 'zh-CN',
				start_url: '/',
				scope: '/',
				display: 'standalone',
				background_color: '#ffffff',
				theme_color: '#b91c1c',
				icons: [
					{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
					{
						src: '/icons/icon-maskable-512.png',
						sizes: '512x512',
						type: 'image/png',
						purpose: 'maskable'
					}
				]
			},
			injectManifest: {
				globPatterns: ['client/**/*.{js,css,png,svg,webp,woff2}', 'prerendered/**/*.html'],
				// Without the chunks only staff pages load (scripts/precache.js).
				manifestTransforms: [precacheTransform()]
			},
			kit: { includeVersionFile: true }
		})
	]
});
