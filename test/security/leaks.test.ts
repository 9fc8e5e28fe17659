/**
 * Secrets a service echoes back (issue 11, defect 1): X and Bluesky answer errors that repeat
 * the Authorization header or the request body. Nothing of it may reach stderr, the store or
 * the site, whose health list shows only the status and the host.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { arxivApiHandler, type StandInPaper } from '../../src/standins/arxiv.js';
import { hnStory, startHnStandIn } from '../../src/standins/hn.js';
import { startStandIn } from '../../src/standins/server.js';
import { runCli } from '../helpers/cli.js';

const DAY = '2021-06-09';
const NOW = '2021-06-10T12:00:00Z';
const X_TOKEN = 'AAAAAAAAAAAAAAAAAAAAAXtokenSECRET0123456789';
const PASSWORD = 'app-pass-W0rd-xyz';
// A session token shaped like Bluesky's (header.payload.signature).
const ACCESS_JWT =
  'eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJFUzI1NksifQ.eyJzY29wZSI6ImNvbS5hdHByb3RvLmFjY2VzcyJ9.c2lnbmF0dXJlLXNlY3JldA';
const REFRESH_JWT =
  'eyJ0eXAiOiJyZWZyZXNoK2p3dCIsImFsZyI6IkVTMjU2SyJ9.eyJzY29wZSI6ImNvbS5hdHByb3RvLnJlZnJlc2gifQ.cmVmcmVzaC1zZWNyZXQ';

const PAPERS: StandInPaper[] = [
  {
    id: '2106.00001',
    version: 1,
    title: 'Alpha',
    abstract: 'About Alpha.',
    authors: ['Ada Author'],
    categories: ['cs.LG'],
    primary: 'cs.LG',
    published: '2021-06-08T01:00:00Z',
    updated: '2021-06-08T01:00:00Z',
  },
];

/** Every value in every table of the store, as one text. */
function storeText(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
      name: string;
    }>;
    return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
  } finally {
    db.close();
  }
}

/** Every file under `dir`, concatenated. */
function treeText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    out += statSync(path).isDirectory() ? treeText(path) : readFileSync(path, 'utf8');
  }
  return out;
}

const SECRETS = [X_TOKEN, PASSWORD, ACCESS_JWT, REFRESH_JWT];

function assertNoSecret(text: string, where: string): void {
  for (const secret of SECRETS) {
    assert.equal(text.includes(secret), false, `${where} holds a secret (${secret.slice(0, 12)}…)`);
    // The first 20 characters are enough to leak most of a token.
    assert.equal(text.includes(secret.slice(0, 20)), false, `${where} holds part of a secret`);
  }
}

async function run(t: { after(fn: () => unknown): void }, blueskyCreateFails: boolean) {
  const arxiv = await startStandIn(arxivApiHandler(PAPERS));
  // X answers 500 with the request's Authorization header echoed at the start of the body.
  const x = await startStandIn((req) => ({
    status: req.path.includes('/tweets/search') ? 500 : 404,
    headers: { 'content-type': 'text/plain' },
    body: `${req.headers.authorization} rejected: internal error`,
  }));
  const bsky = await startStandIn((req) => {
    if (req.path.endsWith('/com.atproto.server.createSession')) {
      if (blueskyCreateFails) {
        // 403 echoing the posted body (the app password in it).
        return { status: 403, headers: { 'content-type': 'application/json' }, body: req.body };
      }
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          did: 'did:plc:reader',
          handle: 'reader.bsky.social',
          accessJwt: ACCESS_JWT,
          refreshJwt: REFRESH_JWT,
        }),
      };
    }
    // Search refused with the session token repeated.
    return {
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        error: 'AuthenticationRequired',
        message: `Bad token ${req.headers.authorization}`,
      }),
    };
  });
  const hn = await startHnStandIn({
    hits: [
      hnStory({
        id: 27000001,
        title: 'Alpha',
        url: 'https://arxiv.org/abs/2106.00001',
        author: 'dang',
        points: 70,
        comments: 5,
        createdAt: '2021-06-09T15:00:00Z',
      }),
    ],
  });
  t.after(() => Promise.all([arxiv.close(), x.close(), bsky.close(), hn.close()]));
  const dir = mkdtempSync(join(tmpdir(), 'hp-leaks-'));
  const db = join(dir, 'hp.db');
  const env = {
    ARXIV_API_URL: `${arxiv.url}/api/query`,
    ARXIV_LISTING: 'api',
    ARXIV_DELAY_MS: '0',
    X_BEARER_TOKEN: X_TOKEN,
    X_API_URL: `${x.url}/2`,
    BLUESKY_HANDLE: 'reader.bsky.social',
    BLUESKY_APP_PASSWORD: PASSWORD,
    BLUESKY_API_URL: `${bsky.url}/xrpc`,
    HN_API_URL: hn.apiUrl,
    HOTPAPERS_SOURCES: 'x,bluesky,hn',
    HOTPAPERS_NOW: NOW,
    HOTPAPERS_DB: db,
    HOTPAPERS_RETRY_BASE_MS: '5',
  };
  const post = await runCli(['post', '--date', DAY, '--out', join(dir, 'posts')], env);
  assert.equal(post.code, 0, post.stderr);
  const site = await runCli(['site', '--out', join(dir, 'public')], env);
  assert.equal(site.code, 0, site.stderr);
  return { dir, db, post, site, x, bsky };
}

describe('secrets echoed by a service', () => {
  it('X 500 and Bluesky 401 repeating the bearer token reach neither stderr, the store nor the site', async (t) => {
    const { dir, db, post, site, x } = await run(t, false);
    // The services really did echo the secrets.
    assert.ok(x.requests.length > 0);
    assert.match(post.stderr, /x: HTTP 500/);
    assert.match(post.stderr, /bluesky: HTTP 401/);
    assertNoSecret(post.stderr + post.stdout + site.stderr + site.stdout, 'the output');
    assertNoSecret(storeText(db), 'the store');
    const pages = treeText(join(dir, 'public'));
    assertNoSecret(pages, 'the site');
    // The site's health list names the status and the host, never a body.
    const dayPage = readFileSync(join(dir, 'public', 'days', `${DAY}.html`), 'utf8');
    assert.match(dayPage, /X: failed \(HTTP 500 from 127\.0\.0\.1:\d+\)/);
    assert.match(dayPage, /Bluesky: failed \(HTTP 401 from 127\.0\.0\.1:\d+\)/);
    assert.doesNotMatch(dayPage, /rejected: internal error|Bad token/);
  });

  it('Bluesky createSession 403 repeating the posted app password leaks nothing', async (t) => {
    const { dir, db, post, site } = await run(t, true);
    assert.match(post.stderr, /bluesky: HTTP 403/);
    assertNoSecret(post.stderr + post.stdout + site.stderr + site.stdout, 'the output');
    assertNoSecret(storeText(db), 'the store');
    assertNoSecret(treeText(join(dir, 'public')), 'the site');
  });
});
