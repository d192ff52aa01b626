import MarkdownIt from 'markdown-it';

/*
 * Notice bodies are Markdown written by staff. Raw HTML is off (tags come out as text), and
 * markdown-it's link check drops javascript:, vbscript:, file: and data: URLs; on top of that only
 * http(s), mailto, tel and site-relative links are kept.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });

const safeUrl = /^(https?:|mailto:|tel:|\/(?!\/)|#)/i;
const defaultValidate = md.validateLink.bind(md);
md.validateLink = (url: string) => defaultValidate(url) && safeUrl.test(url.trim());

const defaultLinkOpen =
	md.renderer.rules.link_open ??
	((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
	const href = String(tokens[idx].attrGet('href') ?? '');
	if (/^https?:/i.test(href)) tokens[idx].attrSet('rel', 'noopener noreferrer nofollow');
	return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
	return md.render(source);
}

/** Plain text of the first paragraph, for lists and the API's `summary`. */
export function summarize(source: string, max = 120): string {
	const text = md
		.parse(source, {})
		.filter((t) => t.type === 'inline')
		.map((t) =>
			(t.children ?? [])
				.filter((c) => c.type === 'text' || c.type === 'code_inline')
				.map((c) => c.content)
				.join('')
		)
		.join(' ')
		.replace(/\s+/g, ' ')
		.trim();
	return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
