/**
 * XML plumbing for arXiv's feeds. fast-xml-parser's validator checks the document is
 * well-formed (a truncated or broken body is an error, never half a listing); htmlparser2's
 * streaming parser in XML mode then builds a small element tree. On a 2,000-entry API page
 * this pair took about half the CPU of validating plus fast-xml-parser's own object builder,
 * which spends most of its time allocating (bench/arxiv.ts times the result).
 */
import { XMLValidator } from 'fast-xml-parser';
import { Parser } from 'htmlparser2';
import { ParseError } from '../errors.js';

/** One element: local name (namespace prefix dropped), attributes, children, direct text. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Build the element tree of a well-formed document (entities decoded). */
function buildTree(xml: string): XmlElement {
  const top: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [top];
  let current = top;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const el: XmlElement = { name: localName(name), attrs, children: [], text: '' };
        current.children.push(el);
        stack.push(el);
        current = el;
      },
      ontext(text) {
        // Indentation between child elements is not content; skipping it spares a rope per element.
        if (current.children.length > 0 && text.trim() === '') return;
        current.text += text;
      },
      onclosetag() {
        stack.pop();
        current = stack[stack.length - 1] ?? top;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  return top;
}

/**
 * Validate and parse an XML document whose root element must be `root`; throws a one-line
 * `<service>: …` ParseError for an empty body, HTML, malformed XML or another root element.
 */
export function parseXmlDocument(xml: string, root: string, what: string, service = 'arxiv'): XmlElement {
  const body = xml.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new ParseError(service, `empty response where ${what} was expected`);
  if (/^\s*(<!doctype html|<html[\s>])/i.test(body))
    throw new ParseError(service, `got HTML where ${what} was expected`);
  const valid = XMLValidator.validate(body);
  if (valid !== true)
    throw new ParseError(service, `malformed XML in ${what} (line ${valid.err.line}: ${valid.err.msg})`);
  const top = buildTree(body).children[0];
  if (!top || top.name !== root)
    throw new ParseError(service, `expected ${what}, got <${top?.name ?? 'nothing'}>`);
  return top;
}

/** The first child element named `name`. */
export function childOf(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Every child element named `name`, in document order. */
export function childrenOf(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** The text of the first child named `name`. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  return childOf(el, name)?.text;
}

/** An attribute of an element. */
export function attrOf(el: XmlElement | undefined, name: string): string | undefined {
  return el?.attrs[name];
}
