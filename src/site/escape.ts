/**
 * The one escape used by the site: every outside string (titles, abstracts, names, post
 * text, URLs) reaches HTML or XML through these functions and nothing else.
 */

import { remembered } from '../util/remember.js';
import { escapeHtml } from '../util/text.js';

export { escapeHtml };

// XML 1.0 allows tab, newline, carriage return and U+0020 upwards minus surrogates and FFFE/FFFF.
// A lone surrogate or a control character would make a feed unparseable, so they are dropped.
const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escape text for XML content or attributes, dropping characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return escapeHtml(text.replace(XML_INVALID, ''));
}

/** Remove characters that XML 1.0 forbids (feeds must parse whatever a post contains). */
export function xmlSafe(text: string): string {
  return text.replace(XML_INVALID, '');
}

/**
 * The URL when it is an absolute http(s) URL, otherwise undefined: `javascript:`, `data:`,
 * relative and malformed links are never written into a page.
 */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  // A post's address is shown on its paper's page and its day's (a full build checks ~30,000).
  return checkedUrl(url);
}

const checkedUrl = remembered(checkHttpUrl);

function checkHttpUrl(url: string): string | undefined {
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  try {
    const parsed = new URL(trimmed);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
