/**
 * Control characters (C0 and C1, except tab and newline) are removed from every remote text
 * at ingestion: an ESC in a paper title would otherwise drive the terminal that prints it,
 * and a BEL or NUL has no business in a post or a page. Three forms reach us: raw characters,
 * character references that a markup parser decodes (`&#27;`, `&#x1b;`), and JSON escapes
 * (`\u001b`, `\b`, `\f`, `\r`).
 */

// C0 except \t (09) and \n (0A), DEL, and C1.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROL_TEST = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** True for a code point that is removed (C0 but tab/newline, DEL, C1). */
export function isStrippedControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
}

/** `text` without raw control characters (tab and newline kept). */
export function stripControlChars(text: string): string {
  return CONTROL_TEST.test(text) ? text.replace(CONTROL, '') : text;
}

const REF = /&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*([0-9]{1,7}));/g;

/**
 * `text` without numeric character references to control characters. In HTML the references
 * 128–159 mean Windows-1252 characters (`&#150;` is an en dash), so `html` keeps those.
 */
export function stripControlRefs(text: string, html = false): string {
  if (!text.includes('&#')) return text;
  return text.replace(REF, (ref, hex: string | undefined, dec: string | undefined) => {
    const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
    if (!isStrippedControl(code)) return ref;
    return html && code >= 0x80 ? ref : '';
  });
}

// A backslash pair is consumed first so an escaped backslash never starts an escape.
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|([\\bfr]))/g;

/** JSON text without escapes that decode to control characters (`\u001b`, `\b`, `\f`, `\r`). */
export function stripJsonControlEscapes(json: string): string {
  if (!json.includes('\\')) return json;
  return json.replace(JSON_ESCAPE, (seq, hex: string | undefined, ch: string | undefined) => {
    if (ch !== undefined) return ch === '\\' ? seq : '';
    return isStrippedControl(Number.parseInt(hex!, 16)) ? '' : seq;
  });
}

/** A response body as received, cleaned of raw control characters and references to them. */
export function cleanRemoteText(text: string, contentType = ''): string {
  return stripControlRefs(stripControlChars(text), /html/i.test(contentType));
}
