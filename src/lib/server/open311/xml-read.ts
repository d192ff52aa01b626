import { SaxesParser } from 'saxes';
import { itemName } from './xml';

/*
 * For tests only: reads XML back with a strict, conforming parser (saxes), so a response that is
 * not well-formed fails, and turns it into the JSON shape by the Spark convention so its fields
 * can be compared with the JSON response.
 */

export interface XmlElement {
	name: string;
	children: XmlElement[];
	text: string;
}

/** Parses a whole document; throws on the first well-formedness error. */
export function parseXml(xml: string): { declaration: string | null; root: XmlElement } {
	const parser = new SaxesParser();
	let root: XmlElement | null = null;
	let declaration: string | null = null;
	const stack: XmlElement[] = [];
	let failure: Error | null = null;
	parser.on('error', (error) => {
		failure ??= error;
	});
	parser.on('xmldecl', (decl) => {
		declaration = decl.encoding ?? null;
	});
	parser.on('opentag', (tag) => {
		const element: XmlElement = { name: tag.name, children: [], text: '' };
		if (stack.length) stack[stack.length - 1].children.push(element);
		else root = element;
		stack.push(element);
	});
	parser.on('text', (text) => {
		if (stack.length) stack[stack.length - 1].text += text;
	});
	parser.on('closetag', () => {
		stack.pop();
	});
	parser.write(xml).close();
	if (failure) throw failure;
	if (!root) throw new Error('no root element');
	return { declaration, root };
}

export type Spark = string | null | Spark[] | { [key: string]: Spark };

/**
 * The Spark reading of an element: a wrapper whose children are all its item element is an
 * array; an element with children is an object; a leaf is its text, or null when empty.
 */
export function spark(element: XmlElement): Spark {
	if (element.children.length === 0) return element.text === '' ? null : element.text;
	const item = itemName(element.name);
	if (element.children.every((c) => c.name === item)) return element.children.map(spark);
	return Object.fromEntries(element.children.map((c) => [c.name, spark(c)]));
}

/** A JSON value as the XML carries it: scalars as text, null and empty lists as null. */
export function asXmlText(value: unknown): Spark {
	if (value === null || value === undefined) return null;
	if (Array.isArray(value)) return value.length ? value.map(asXmlText) : null;
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>);
		return entries.length ? Object.fromEntries(entries.map(([k, v]) => [k, asXmlText(v)])) : null;
	}
	return String(value);
}
