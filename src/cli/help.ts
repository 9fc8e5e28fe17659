/**
 * The text after `hotpapers --help`: examples, exit codes and the environment variables.
 * Kept as plain text here (not derived from the config schema) so help loads no validator;
 * a test checks that every variable the config reads is listed.
 */

/** Environment variables the config reads, with what they do (DESIGN §3 names first). */
export const ENVIRONMENT: ReadonlyArray<readonly [string, string]> = [
  ['X_BEARER_TOKEN', 'enables the X source (reads cost money)'],
  ['BLUESKY_HANDLE, BLUESKY_APP_PASSWORD', 'enable the Bluesky source'],
  ['HOTPAPERS_SOURCES', 'sources to use: x,bluesky,hn,hf or none (default: all with credentials)'],
  ['HOTPAPERS_NOW', 'ISO-8601 instant used as "now" (reproducible runs)'],
  ['HOTPAPERS_DB', 'SQLite store (default ./hotpapers.db)'],
  ['HOTPAPERS_PUBLISH_REPO, HOTPAPERS_PUBLISH_BRANCH', 'git repository (and branch) --publish pushes to'],
  ['HOTPAPERS_BASE_URL', "the site's public base URL (feeds, canonical links)"],
  ['HOTPAPERS_CATEGORIES', 'arXiv categories/archives (default cs,stat.ML)'],
  ['HOTPAPERS_OUT, HOTPAPERS_SITE_DIR', 'folders of the posts and of the site'],
  [
    'HOTPAPERS_MIN_PAPER_SCORE, HOTPAPERS_MIN_POST_SCORE, HOTPAPERS_MAX_POSTS, HOTPAPERS_MAX_X_READS',
    'thresholds',
  ],
  ['HOTPAPERS_WEIGHTS', 'per-source score weights, e.g. x=1,hn=2'],
  [
    'HOTPAPERS_HTTP_TIMEOUT_MS, HOTPAPERS_HTTP_ATTEMPTS, HOTPAPERS_RETRY_BASE_MS, HOTPAPERS_MAX_WAIT_S',
    'per-attempt timeout, attempts, retry back-off, longest Retry-After honoured',
  ],
  [
    'HOTPAPERS_SOURCE_DEADLINE_S, HOTPAPERS_EMBED_DEADLINE_S, HOTPAPERS_EMBED_MAX_FAILURES',
    'deadline of each source (600) and of the embeds (120), embed failures in a row before giving up (3)',
  ],
  ['HOTPAPERS_MAX_RESPONSE_MB', 'size cap of any one response (default 50)'],
  ['HOTPAPERS_THUMBNAIL_ORIGINALS', 'prune (default) or keep each thumbnail once `site` has made its copy'],
  ['ARXIV_LISTING', 'auto, api, rss or catchup: how the listing is found'],
  ['ARXIV_DELAY_MS', 'spacing between arXiv requests (default 3000)'],
  ['ARXIV_API_URL, ARXIV_RSS_URL, ARXIV_CATCHUP_URL', 'arXiv endpoints'],
  ['X_API_URL, X_OEMBED_URL', 'X endpoints'],
  ['BLUESKY_API_URL, BLUESKY_OEMBED_URL', 'Bluesky endpoints'],
  ['HN_API_URL, HF_API_URL', 'Hacker News (Algolia) and Hugging Face endpoints'],
  ['BLUESKY_JETSTREAM_URL', 'Jetstream endpoint that `hotpapers listen` consumes'],
  ['BLUESKY_APPVIEW_URL', 'public AppView for Bluesky count refreshes (no login)'],
  ['DEBUG=hotpapers', 'print stack traces of errors'],
];

/** The help text after the command list. */
export function programEpilog(): string {
  const env = ENVIRONMENT.map(([names, what]) => `  ${names}\n      ${what}`).join('\n');
  return `
Examples:
  $ hotpapers demo                          # offline sample day, no keys needed
  $ hotpapers papers --date 2026-06-09      # the day's listing
  $ hotpapers post --date 2026-06-09        # rank the day, write content/posts/2026-06-09---Hot-Papers.md
  $ hotpapers explain --date 2026-06-09 2606.01234
  $ hotpapers site && hotpapers serve       # build the site, preview it on 127.0.0.1:8080
  $ hotpapers run --with-site --publish     # the daily job
  $ hotpapers listen                        # keep Bluesky posts linking papers (runs until stopped)
  $ hotpapers help post                     # the flags of one command

Exit codes:
  0  done
  1  the run could not complete (a service, the store or the disk failed; --strict and a source failed)
  2  usage error: unknown command or option, missing or bad value, a date that is not a mailing day

Environment (flags override these; they override hotpapers.config.json):
${env}
`;
}
