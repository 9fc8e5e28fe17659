/**
 * The one redactor. Every text that came from a remote (error bodies, git's output) passes
 * through `redact` before it is printed, logged, stored or rendered. It masks the values of
 * every secret registered in this process (the config's tokens, session tokens as they are
 * obtained, credentials the HTTP layer sends) and anything shaped like a token, so a service
 * that echoes a request back cannot leak it.
 */

const MASK = '***';
// Shorter values would mask ordinary words; real tokens and app passwords are far longer.
const MIN_SECRET = 6;
const secrets = new Set<string>();
let ordered: string[] = [];

/** Remember secret values so `redact` masks them wherever they appear. Empty/short values are ignored. */
export function registerSecret(...values: ReadonlyArray<string | undefined | null>): void {
  let added = false;
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const v = value.trim();
    if (v.length < MIN_SECRET || secrets.has(v)) continue;
    secrets.add(v);
    added = true;
  }
  // Longest first, so a token that contains another is masked whole.
  if (added) ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** Names of environment variables whose values are secrets wherever they are set. */
export const SECRET_ENV_NAMES: readonly string[] = [
  'X_BEARER_TOKEN',
  'BLUESKY_APP_PASSWORD',
  'HOTPAPERS_GIT_TOKEN',
  'GITHUB_TOKEN',
  'GH_TOKEN',
];

/** Register the values of the secret variables of `env`. */
export function registerSecretsFromEnv(env: NodeJS.ProcessEnv): void {
  registerSecret(...SECRET_ENV_NAMES.map((name) => env[name]));
}

// Token shapes, masked even when no one registered them.
const SHAPES: ReadonlyArray<[RegExp, string]> = [
  // JWTs (Bluesky session tokens, OAuth access tokens): header.payload[.signature]
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g, MASK],
  // Authorization schemes followed by a credential.
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=%-]{8,}/gi, `$1$2${MASK}`],
  // Well-known token prefixes (GitHub, GitLab, Slack).
  [/\b(gh[pousr]_|github_pat_|glpat-|xox[abpr]-)[A-Za-z0-9_-]{8,}/g, `$1${MASK}`],
  // Credentials in URLs.
  [/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, `$1${MASK}@`],
  // key=value and "key":"value" pairs named like secrets (an echoed form or JSON body).
  [
    /\b(password|passwd|secret|access_token|refresh_token|accessJwt|refreshJwt|token)=[^\s&"']+/gi,
    `$1=${MASK}`,
  ],
  [
    /("(?:password|passwd|secret|access_?token|refresh_?token|accessJwt|refreshJwt|token)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${MASK}"`,
  ],
];

/** `text` with every registered secret and token-shaped string replaced by `***`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of ordered) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  for (const [pattern, replacement] of SHAPES) out = out.replace(pattern, replacement);
  return out;
}

/** Forget every registered secret (tests). */
export function clearSecrets(): void {
  secrets.clear();
  ordered = [];
}
