import { describe, expect, it } from 'vitest';
import { escapeXml, itemName, xmlDocument } from './xml';
import { asXmlText, parseXml, spark, type XmlElement } from './xml-read';

/** A small DOM stand-in over the strict parser's tree. */
function parse(xml: string) {
	const { root } = parseXml(xml);
	const all: XmlElement[] = [];
	const walk = (e: XmlElement) => {
		all.push(e);
		e.children.forEach(walk);
	};
	walk(root);
	return {
		root,
		getElementsByTagName: (name: string) =>
			all.filter((e) => e.name === name).map((e) => ({ ...e, textContent: e.text }))
	};
}

describe('the test parser', () => {
	it('rejects XML that is not well-formed, so the tests below can fail', () => {
		expect(() => parse('<a><b></a>')).toThrow();
		expect(() => parse('<a>Tom & Jerry</a>')).toThrow();
		expect(() => parse('<a>\u0001</a>')).toThrow();
		expect(() => parse('<a/><b/>')).toThrow();
	});
});

describe('escapeXml', () => {
	it('escapes the five markup characters', () => {
		expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
			'&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;'
		);
	});

	it('drops characters XML 1.0 cannot carry and keeps Chinese and emoji', () => {
		expect(escapeXml('a\u0000b\u0007c\u001Fd\uFFFEe')).toBe('abcde');
		expect(escapeXml('x\uD800y')).toBe('xy');
		expect(escapeXml('飞线充电 🔌\tok\n')).toBe('飞线充电 🔌\tok\n');
	});

	it('keeps a carriage return as a character reference so parsing does not normalise it away', () => {
		const doc = parse(xmlDocument('d', { t: 'a\r\nb' }));
		expect(doc.getElementsByTagName('t')[0].textContent).toBe('a\r\nb');
	});
});

describe('xmlDocument', () => {
	it('writes the declaration and round-trips hostile text through a real parser', () => {
		const hostile = `]]><script>alert("x")</script>&amp;<!-- \u0001`;
		const xml = xmlDocument('service_requests', [
			{ service_request_id: 'A1', description: hostile }
		]);
		expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<service_requests>')).toBe(true);
		const doc = parse(xml);
		const request = doc.getElementsByTagName('request');
		expect(request.length).toBe(1);
		expect(doc.getElementsByTagName('description')[0].textContent).toBe(
			hostile.replace('\u0001', '')
		);
		expect(doc.getElementsByTagName('script').length).toBe(0);
	});

	it('maps arrays to a wrapper with one item element each, and null or empty to an empty element', () => {
		const xml = xmlDocument('discovery', {
			endpoints: [{ formats: ['text/xml', 'application/json'] }],
			changeset: null,
			notes: []
		});
		const doc = parse(xml);
		const formats = doc.getElementsByTagName('format');
		expect([formats[0].textContent, formats[1].textContent]).toEqual([
			'text/xml',
			'application/json'
		]);
		expect(doc.getElementsByTagName('endpoint').length).toBe(1);
		expect(xml).toContain('<changeset/>');
		expect(xml).toContain('<notes/>');
	});

	it('writes booleans, numbers and dates as text', () => {
		const doc = parse(
			xmlDocument('service', {
				metadata: true,
				lat: 31.8605,
				when: new Date('2026-01-02T03:04:05Z')
			})
		);
		expect(doc.getElementsByTagName('metadata')[0].textContent).toBe('true');
		expect(doc.getElementsByTagName('lat')[0].textContent).toBe('31.8605');
		expect(doc.getElementsByTagName('when')[0].textContent).toBe('2026-01-02T03:04:05.000Z');
	});

	it('refuses a key that is not an element name rather than writing broken XML', () => {
		expect(() => xmlDocument('d', { 'bad key': 1 })).toThrow(/element name/);
		expect(() => xmlDocument('d', { '<x>': 1 })).toThrow(/element name/);
	});

	it('reads back to the JSON shape by the Spark convention', () => {
		const value = [
			{ service_code: 'x', metadata: true, order: 1, values: [{ key: 'a', name: 'A' }], none: null }
		];
		const { root, declaration } = parseXml(xmlDocument('services', value));
		expect(declaration).toBe('UTF-8');
		expect(spark(root)).toEqual(asXmlText(value));
	});

	it('names the items of the spec wrappers', () => {
		expect(itemName('services')).toBe('service');
		expect(itemName('service_requests')).toBe('request');
		expect(itemName('values')).toBe('value');
		expect(itemName('errors')).toBe('error');
		expect(itemName('photos')).toBe('photo');
	});
});
