/*
 * A tiny XML writer for the GeoReport v2 formats. The JSON and XML shapes follow the Spark
 * convention the spec names: an object is an element with one child per field, an array is a
 * wrapper element holding one child per item (services → service, service_requests → request…).
 */

export type XmlValue =
	string | number | boolean | null | undefined | Date | XmlValue[] | { [key: string]: XmlValue };

/** The item element of each wrapper the spec uses; any other `xs` wrapper holds `x` items. */
const itemNames: Record<string, string> = {
	services: 'service',
	service_requests: 'request',
	attributes: 'attribute',
	values: 'value',
	endpoints: 'endpoint',
	formats: 'format',
	errors: 'error',
	notes: 'note'
};

export function itemName(wrapper: string): string {
	return itemNames[wrapper] ?? (wrapper.endsWith('s') ? wrapper.slice(0, -1) : `${wrapper}_item`);
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

// Characters XML 1.0 forbids anywhere: C0 controls other than tab, LF and CR; lone surrogates;
// U+FFFE and U+FFFF. They are dropped, since no escape can carry them.
const FORBIDDEN =
	// eslint-disable-next-line no-control-regex
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text escaped for element content or a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
	return text
		.replace(FORBIDDEN, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;')
		.replace(/\r/g, '&#13;');
}

function scalar(value: string | number | boolean | Date): string {
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'number' && !Number.isFinite(value)) return '';
	return escapeXml(String(value));
}

function element(name: string, value: XmlValue, indent: string): string {
	if (!NAME.test(name) || /^xml/i.test(name)) throw new Error(`not an XML element name: ${name}`);
	if (value === null || value === undefined) return `${indent}<${name}/>`;
	const inner = indent + '\t';
	if (Array.isArray(value)) {
		if (value.length === 0) return `${indent}<${name}/>`;
		const child = itemName(name);
		return `${indent}<${name}>\n${value.map((v) => element(child, v, inner)).join('\n')}\n${indent}</${name}>`;
	}
	if (typeof value === 'object' && !(value instanceof Date)) {
		const entries = Object.entries(value);
		if (entries.length === 0) return `${indent}<${name}/>`;
		return `${indent}<${name}>\n${entries.map(([k, v]) => element(k, v, inner)).join('\n')}\n${indent}</${name}>`;
	}
	return `${indent}<${name}>${scalar(value)}</${name}>`;
}

/** A whole UTF-8 document with its declaration, `root` holding `value`. */
export function xmlDocument(root: string, value: XmlValue): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value, '')}\n`;
}
