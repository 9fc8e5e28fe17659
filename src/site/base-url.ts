/** The site's public base URL: configured (`--base-url`, `HOTPAPERS_BASE_URL`) or localhost with a warning. */

/** What feeds and canonical links use when no base URL is configured. */
export const DEFAULT_BASE_URL = 'http://localhost:8080/';

/** The base URL to build with, and the one-line warning to print when none was configured. */
export function resolveBaseUrl(configured: string | undefined): { baseUrl: string; warning?: string } {
  if (configured) return { baseUrl: configured };
  return {
    baseUrl: DEFAULT_BASE_URL,
    warning: `site: no base URL set (--base-url or HOTPAPERS_BASE_URL): feeds, canonical links, Open Graph tags and sitemaps point at ${DEFAULT_BASE_URL}`,
  };
}
