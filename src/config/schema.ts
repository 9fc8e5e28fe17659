/**
 * The configuration schema: every setting, its type, default and the environment name that
 * sets it. The environment names of DESIGN §3 are a contract used by outside tests.
 */
import type { z as zod } from 'zod';
import { SOURCE_IDS, type SourceId } from '../types.js';
import { z } from '../util/zod.js';

const url = z
  .string()
  .trim()
  .url('must be an http(s) URL')
  .refine((v) => /^https?:\/\//i.test(v), 'must be an http(s) URL');
const wsUrl = z
  .string()
  .trim()
  .url('must be a ws(s) URL')
  .refine((v) => /^wss?:\/\//i.test(v), 'must be a ws(s) URL');
const nonNegInt = z.coerce
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .min(0, 'must be ≥ 0');
const posInt = z.coerce
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be ≥ 1');
const optionalSecret = z.string().min(1, 'must not be empty').optional();

const sourcesList = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const parts = value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    if (parts.length === 1 && parts[0] === 'none') return [] as SourceId[];
    for (const part of parts) {
      if (!SOURCE_IDS.includes(part as SourceId)) {
        ctx.addIssue({
          code: 'custom',
          message: `has unknown source "${part}" (known: ${SOURCE_IDS.join(', ')}, none)`,
        });
        return z.NEVER;
      }
    }
    if (parts.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'must list sources or be "none"' });
      return z.NEVER;
    }
    return [...new Set(parts)] as SourceId[];
  });

const instant = z
  .string()
  .trim()
  .refine(
    (v) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) &&
      !Number.isNaN(Date.parse(v)),
    {
      message: 'must be an ISO-8601 instant with a time zone, e.g. 2021-06-10T18:07:48Z',
    },
  );

const weights = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const out: Record<string, unknown> = {};
    for (const part of value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [k, v] = part.split('=');
      out[(k ?? '').trim()] = v === undefined ? Number.NaN : Number(v);
    }
    return out;
  },
  z
    .record(z.string(), z.number({ message: 'must look like "x=1,bluesky=1,hn=2,hf=3"' }))
    .superRefine((value, ctx) => {
      for (const [k, v] of Object.entries(value)) {
        if (!SOURCE_IDS.includes(k as SourceId))
          ctx.addIssue({ code: 'custom', message: `has unknown source "${k}"` });
        else if (!(v >= 0))
          ctx.addIssue({
            code: 'custom',
            message: `must look like "x=1,bluesky=1,hn=2,hf=3" with weights ≥ 0`,
          });
      }
    }),
);

/** Setting name → environment variable. Only these are read from the environment. */
export const ENV_NAMES = {
  arxivApiUrl: 'ARXIV_API_URL',
  arxivRssUrl: 'ARXIV_RSS_URL',
  arxivCatchupUrl: 'ARXIV_CATCHUP_URL',
  arxivListing: 'ARXIV_LISTING',
  arxivDelayMs: 'ARXIV_DELAY_MS',
  xBearerToken: 'X_BEARER_TOKEN',
  xApiUrl: 'X_API_URL',
  xOembedUrl: 'X_OEMBED_URL',
  blueskyHandle: 'BLUESKY_HANDLE',
  blueskyAppPassword: 'BLUESKY_APP_PASSWORD',
  blueskyApiUrl: 'BLUESKY_API_URL',
  blueskyOembedUrl: 'BLUESKY_OEMBED_URL',
  blueskyJetstreamUrl: 'BLUESKY_JETSTREAM_URL',
  blueskyAppviewUrl: 'BLUESKY_APPVIEW_URL',
  hnApiUrl: 'HN_API_URL',
  hfApiUrl: 'HF_API_URL',
  sources: 'HOTPAPERS_SOURCES',
  now: 'HOTPAPERS_NOW',
  db: 'HOTPAPERS_DB',
  publishRepo: 'HOTPAPERS_PUBLISH_REPO',
  publishBranch: 'HOTPAPERS_PUBLISH_BRANCH',
  categories: 'HOTPAPERS_CATEGORIES',
  outDir: 'HOTPAPERS_OUT',
  siteDir: 'HOTPAPERS_SITE_DIR',
  baseUrl: 'HOTPAPERS_BASE_URL',
  minPaperScore: 'HOTPAPERS_MIN_PAPER_SCORE',
  minPostScore: 'HOTPAPERS_MIN_POST_SCORE',
  maxPosts: 'HOTPAPERS_MAX_POSTS',
  maxXReads: 'HOTPAPERS_MAX_X_READS',
  weights: 'HOTPAPERS_WEIGHTS',
  httpTimeoutMs: 'HOTPAPERS_HTTP_TIMEOUT_MS',
  httpAttempts: 'HOTPAPERS_HTTP_ATTEMPTS',
  retryBaseMs: 'HOTPAPERS_RETRY_BASE_MS',
  maxWaitS: 'HOTPAPERS_MAX_WAIT_S',
  sourceDeadlineS: 'HOTPAPERS_SOURCE_DEADLINE_S',
  embedDeadlineS: 'HOTPAPERS_EMBED_DEADLINE_S',
  embedMaxFailures: 'HOTPAPERS_EMBED_MAX_FAILURES',
  maxResponseMb: 'HOTPAPERS_MAX_RESPONSE_MB',
  thumbnailOriginals: 'HOTPAPERS_THUMBNAIL_ORIGINALS',
} as const;

/** Settings whose values are never printed. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['xBearerToken', 'blueskyAppPassword']);

export const configSchema = z
  .object({
    arxivApiUrl: url.default('https://export.arxiv.org/api/query'),
    arxivRssUrl: url.default('https://rss.arxiv.org'),
    arxivCatchupUrl: url.default('https://arxiv.org'),
    arxivListing: z
      .enum(['auto', 'api', 'rss', 'catchup'], { message: 'must be auto, api, rss or catchup' })
      .default('auto'),
    arxivDelayMs: nonNegInt.default(3000),
    xBearerToken: optionalSecret,
    xApiUrl: url.default('https://api.x.com/2'),
    xOembedUrl: url.default('https://publish.twitter.com/oembed'),
    blueskyHandle: z.string().trim().min(1).optional(),
    blueskyAppPassword: optionalSecret,
    blueskyApiUrl: url.default('https://bsky.social/xrpc'),
    blueskyOembedUrl: url.default('https://embed.bsky.app/oembed'),
    blueskyJetstreamUrl: wsUrl.default('wss://jetstream2.us-east.bsky.network/subscribe'),
    blueskyAppviewUrl: url.default('https://public.api.bsky.app/xrpc'),
    hnApiUrl: url.default('https://hn.algolia.com/api/v1'),
    hfApiUrl: url.default('https://huggingface.co/api'),
    /** Unset means: every source whose credentials are present, plus the free ones. */
    sources: sourcesList.optional(),
    now: instant.optional(),
    db: z.string().trim().min(1).default('./hotpapers.db'),
    publishRepo: z.string().trim().min(1).optional(),
    publishBranch: z.string().trim().min(1).default('main'),
    categories: z
      .string()
      .trim()
      .regex(
        /^[a-zA-Z-]+(\.[a-zA-Z-]+)?(\s*,\s*[a-zA-Z-]+(\.[a-zA-Z-]+)?)*$/,
        'must be a comma list such as cs,stat.ML',
      )
      .default('cs,stat.ML'),
    outDir: z.string().trim().min(1).default('content/posts'),
    siteDir: z.string().trim().min(1).default('public'),
    /** Unset: `site` warns and uses localhost (src/site/base-url.ts). */
    baseUrl: url.optional(),
    minPaperScore: nonNegInt.default(50),
    minPostScore: nonNegInt.default(25),
    maxPosts: nonNegInt.default(10),
    maxXReads: posInt.default(10000),
    weights: weights.default({}),
    httpTimeoutMs: posInt.default(30000),
    httpAttempts: posInt.default(4),
    retryBaseMs: nonNegInt.default(1000),
    maxWaitS: nonNegInt.default(900),
    /** Overall deadline of each source's collection. */
    sourceDeadlineS: posInt.default(600),
    /** Overall deadline of the embed stage. */
    embedDeadlineS: posInt.default(120),
    /** Consecutive failures after which the embed stage stops asking a provider. */
    embedMaxFailures: posInt.default(3),
    /** Size cap of any one response. */
    maxResponseMb: posInt.default(50),
    /**
     * What `site` does with a downloaded thumbnail once its small copy is made: delete it (its
     * 100–600 KB would pile up beside the store every day for nothing the site shows) or keep it.
     */
    thumbnailOriginals: z.enum(['prune', 'keep'], { message: 'must be prune or keep' }).default('prune'),
    strict: z.boolean().default(false),
    quiet: z.boolean().default(false),
  })
  .strict();

export type ConfigInput = zod.input<typeof configSchema>;
export type Config = Readonly<zod.output<typeof configSchema>>;
