import type { PublicNotice } from './notices';

/** Escapes text for XML element content and attribute values. */
export function xmlEscape(text: string): string {
	return (
		text
			// XML 1.0 forbids most control characters, even escaped.
			// eslint-disable-next-line no-control-regex
			.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
			.replace(/&/g, '&amp;')
			.replace(/</g, '&lt;')
			.replace(/>/g, '&gt;')
			.replace(/"/g, '&quot;')
			.replace(/'/g, '&apos;')
	);
}

/** An Atom 1.0 feed (RFC 4287) of published notices. */
export function noticesAtom(
	origin: string,
	feed: { title: string; subtitle: string },
	items: (PublicNotice & { html: string })[]
): string {
	const self = `${origin}/notices.atom`;
	const updated = items.reduce(
		(max, n) => (n.updatedAt > max ? n.updatedAt : max),
		items[0]?.updatedAt ?? new Date(0)
	);
	const entries = items.map((n) => {
		const url = `${origin}/notices/${n.id}`;
		return `  <entry>
    <id>urn:uuid:${n.id}</id>
    <title type="text">${xmlEscape(n.title)}</title>
    <link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>
    <published>${n.publishedAt.toISOString()}</published>
    <updated>${(n.updatedAt > n.publishedAt ? n.updatedAt : n.publishedAt).toISOString()}</updated>
    <summary type="text">${xmlEscape(n.summary)}</summary>
    <content type="html">${xmlEscape(n.html)}</content>
  </entry>`;
	});
	return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <id>${xmlEscape(self)}</id>
  <title type="text">${xmlEscape(feed.title)}</title>
  <subtitle type="text">${xmlEscape(feed.subtitle)}</subtitle>
  <link rel="self" type="application/atom+xml" href="${xmlEscape(self)}"/>
  <link rel="alternate" type="text/html" href="${xmlEscape(origin + '/')}"/>
  <updated>${updated.toISOString()}</updated>
  <author><name>${xmlEscape(feed.title)}</name></author>
${entries.join('\n')}
</feed>
`;
}
