/**
 * Loopback stand-in for the Hugging Face API (research/social-sources.md §5):
 * `GET /api/daily_papers?date&limit&p` answering arrays of Daily Papers items, and
 * `GET /api/papers/{id}` (404 for papers HF does not know). Dates without data answer `[]`;
 * dates listed in `notFoundDates` answer 404. Failures are switchable. Point HF_API_URL at `apiUrl`.
 * Thumbnails given in `thumbnails` are served as images at `/thumbnails/{id}.png` of the stand-in
 * (the items' `thumbnail` then points there instead of HF's CDN).
 */
import type { HfDailyItem, HfPaper } from '../sources/hf.js';
import { type Handler, type RecordedRequest, type Reply, type StandIn, startStandIn } from './server.js';

export interface HfStandInData {
  /** Daily Papers items by date (YYYY-MM-DD), in the order HF lists them. */
  days: Record<string, HfDailyItem[]>;
  /** Paper pages HF has beyond those on Daily Papers (`/api/papers/{id}`); every other id is a 404. */
  papers?: HfPaper[];
  /**
   * The thumbnail of a paper id, served at `/thumbnails/{id}.png`: one reply, or replies given in
   * turn (the last one repeats), e.g. a 503 then the image. See `imageReply`.
   */
  thumbnails?: Record<string, Reply | Reply[]>;
}

/** A 200 answer carrying an image (`type` defaults to PNG). */
export function imageReply(bytes: Buffer, type = 'image/png'): Reply {
  return { status: 200, headers: { 'content-type': type, 'cache-control': 'max-age=31536000' }, body: bytes };
}

export interface HfStandInOptions {
  /** Dates answered 404 instead of an array. */
  notFoundDates?: string[];
  /** Bodies cut off mid-JSON. */
  malformed?: boolean;
  /** The first `times` requests get 429 with HF's `RateLimit` header (`t=` seconds). */
  rateLimit?: { times: number; resetInSeconds: number };
  /** The first `times` requests get this status (e.g. 503). */
  fail?: { status: number; times: number };
  /** Largest `limit` honoured. */
  maxLimit?: number;
  /** Consulted first; return a reply to inject any other behaviour. */
  override?: (req: RecordedRequest, index: number) => Reply | undefined;
}

export interface HfStandIn extends StandIn {
  /** Base for HF_API_URL (`…/api`). */
  apiUrl: string;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

/** The request handler behind startHfStandIn. */
export function hfHandler(data: HfStandInData, options: HfStandInOptions = {}): Handler {
  const served = new Map<string, number>();
  const withThumbnail = (item: HfDailyItem, host: string | undefined): HfDailyItem =>
    data.thumbnails?.[item.paper.id] && host
      ? { ...item, thumbnail: `http://${host}/thumbnails/${encodeURIComponent(item.paper.id)}.png` }
      : item;
  return (req, index) => {
    const injected = options.override?.(req, index);
    if (injected) return injected;
    const thumb = /^\/thumbnails\/(.+)\.png$/.exec(req.path);
    if (thumb) {
      const id = decodeURIComponent(thumb[1] ?? '');
      const replies = data.thumbnails?.[id];
      if (!replies)
        return { status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' };
      const list = Array.isArray(replies) ? replies : [replies];
      const n = served.get(id) ?? 0;
      served.set(id, n + 1);
      return list[Math.min(n, list.length - 1)]!;
    }
    if (options.rateLimit && index < options.rateLimit.times) {
      return {
        status: 429,
        headers: {
          ...JSON_TYPE,
          RateLimit: `"api";r=0;t=${options.rateLimit.resetInSeconds}`,
          'RateLimit-Policy': '"fixed window";"api";q=500;w=300',
        },
        body: JSON.stringify({ error: 'You have exceeded our rate limit of API requests.' }),
      };
    }
    if (options.fail && index < options.fail.times) {
      return {
        status: options.fail.status,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>Bad Gateway</body></html>',
      };
    }
    if (req.path === '/api/daily_papers') {
      const date = req.query.get('date') ?? '';
      if (date !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        return { status: 400, headers: JSON_TYPE, body: JSON.stringify({ error: 'Invalid date' }) };
      }
      if (options.notFoundDates?.includes(date)) {
        return { status: 404, headers: JSON_TYPE, body: JSON.stringify({ error: 'Not Found' }) };
      }
      const limit = Math.max(
        1,
        Math.min(Number(req.query.get('limit') ?? '50') || 50, options.maxLimit ?? 100),
      );
      const p = Math.max(0, Number(req.query.get('p') ?? '0') || 0);
      const items = (data.days[date] ?? [])
        .slice(p * limit, (p + 1) * limit)
        .map((it) => withThumbnail(it, req.headers.host));
      const body = JSON.stringify(items);
      return {
        status: 200,
        headers: JSON_TYPE,
        body: options.malformed ? body.slice(0, Math.max(1, Math.floor(body.length / 2))) : body,
      };
    }
    const paper = /^\/api\/papers\/(.+)$/.exec(req.path);
    if (paper) {
      const id = decodeURIComponent(paper[1] ?? '');
      const item = Object.values(data.days)
        .flat()
        .find((it) => it.paper.id === id);
      // The paper object, as in a Daily Papers item (research §11.4).
      const page = item
        ? { ...item.paper, numComments: item.numComments ?? 0 }
        : data.papers?.find((p) => p.id === id);
      if (!page)
        return { status: 404, headers: JSON_TYPE, body: JSON.stringify({ error: 'Paper not found' }) };
      return { status: 200, headers: JSON_TYPE, body: JSON.stringify(page) };
    }
    return { status: 404, headers: JSON_TYPE, body: JSON.stringify({ error: 'Not Found' }) };
  };
}

/** Start the Hugging Face stand-in on loopback. */
export async function startHfStandIn(
  data: HfStandInData,
  options: HfStandInOptions = {},
): Promise<HfStandIn> {
  const s = await startStandIn(hfHandler(data, options));
  return { ...s, apiUrl: `${s.url}/api` };
}

// ---------------------------------------------------------------------------------------------
// Building data

export interface HfItemSpec {
  /** arXiv id without version. */
  id: string;
  title: string;
  upvotes: number;
  comments?: number;
  /** HF user who submitted it (`name`), e.g. `akhaliq`. */
  submitter?: string;
  submitterFullname?: string;
  /** ISO instant it entered Daily Papers. */
  submittedAt: string;
  /** ISO instant of arXiv publication. */
  publishedAt?: string;
  authors?: string[];
  githubRepo?: string;
  githubStars?: number;
  projectPage?: string;
  /** `2026` (default): outer `publishedAt` is the arXiv time and `paper.submittedOnDailyBy`
   * names the handle in `user` only; `2025`: the older generated-model shape with `name`. */
  shape?: '2025' | '2026';
}

/** A Daily Papers item in the generated-model shape, for fixtures and the demo. */
export function hfDailyItem(spec: HfItemSpec): HfDailyItem {
  const submitter = {
    _id: `60f${spec.submitter ?? 'akhaliq'}`.slice(0, 24),
    avatarUrl: 'https://cdn-avatars.huggingface.co/v1/production/uploads/avatar.jpeg',
    fullname: spec.submitterFullname ?? 'AK',
    name: spec.submitter ?? 'akhaliq',
    type: 'user',
    isPro: true,
  };
  const shape = spec.shape ?? '2026';
  const handle = spec.submitter ?? 'akhaliq';
  const onDailyBy =
    shape === '2026'
      ? {
          _id: submitter._id,
          avatarUrl: submitter.avatarUrl,
          fullname: submitter.fullname,
          user: handle,
          type: 'user',
          isPro: true,
        }
      : { ...submitter, user: handle };
  const arxivPublished =
    spec.publishedAt ?? new Date(Date.parse(spec.submittedAt) - 10 * 3600_000).toISOString();
  const paper: HfDailyItem['paper'] = {
    id: spec.id,
    authors: (spec.authors ?? ['Jane Researcher']).map((name, i) => ({
      _id: `66c0${i}`,
      name,
      hidden: false,
    })),
    discussionId: `66c4${spec.id.replace(/\D/g, '')}`,
    publishedAt: arxivPublished,
    submittedOnDailyAt: spec.submittedAt,
    submittedOnDailyBy: onDailyBy,
    title: spec.title,
    summary: `Abstract of ${spec.title}.`,
    upvotes: spec.upvotes,
    ai_summary: 'One-sentence summary.',
    ai_keywords: ['keyword'],
    mediaUrls: [],
    withdrawnAt: null,
  };
  if (spec.githubRepo) {
    paper.githubRepo = spec.githubRepo;
    paper.githubStars = spec.githubStars ?? 0;
  }
  if (spec.projectPage) paper.projectPage = spec.projectPage;
  return {
    paper,
    // 2026: the arXiv time (as on `paper`); the 2025 model documented the Daily Papers time here.
    publishedAt: shape === '2026' ? arxivPublished : spec.submittedAt,
    title: spec.title,
    summary: `Abstract of ${spec.title}.`,
    thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${spec.id}.png`,
    numComments: spec.comments ?? 0,
    submittedBy: submitter,
    isAuthorParticipating: false,
    mediaUrls: [],
  };
}
