import { describe, expect, it } from 'vitest';
import { renderMarkdown, summarize } from './markdown';

describe('notice Markdown', () => {
	it('renders ordinary Markdown', () => {
		const html = renderMarkdown('# 标题\n\n**加粗** 与 [链接](https://example.org/a)');
		expect(html).toContain('<h1>标题</h1>');
		expect(html).toContain('<strong>加粗</strong>');
		expect(html).toContain(
			'<a href="https://example.org/a" rel="noopener noreferrer nofollow">链接</a>'
		);
	});

	it('turns raw HTML into inert text', () => {
		const html = renderMarkdown(
			'<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n<a href="javascript:alert(3)">x</a>'
		);
		expect(html).not.toMatch(/<script/i);
		expect(html).not.toMatch(/<img/i);
		expect(html).not.toMatch(/<a /i);
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
	});

	it('drops javascript:, data: and other unsafe links', () => {
		for (const url of [
			'javascript:alert(1)',
			'JaVaScRiPt:alert(1)',
			'java\nscript:alert(1)',
			'&#106;avascript:alert(1)',
			'vbscript:msgbox(1)',
			'data:text/html;base64,PHNjcmlwdD4=',
			'//evil.example/x'
		]) {
			const html = renderMarkdown(`[点我](${url}) ![图](${url}) <${url}>`);
			// The link text stays as plain text: no element carries the URL.
			expect(html, url).not.toMatch(/<a\b/i);
			expect(html, url).not.toMatch(/<img\b/i);
		}
	});

	it('keeps site-relative, mailto and tel links', () => {
		expect(renderMarkdown('[报告](/report)')).toContain('href="/report"');
		expect(renderMarkdown('[电话](tel:12345)')).toContain('href="tel:12345"');
	});

	it('summarizes the text without markup', () => {
		expect(summarize('# 通知\n\n请**商户**落实门前三包。<b>x</b>')).toBe(
			'通知 请商户落实门前三包。<b>x</b>'
		);
		expect(summarize('字'.repeat(200), 10)).toHaveLength(10);
	});
});
