/**
 * Issue 11: offline and hanging networks. A name that does not resolve is retried once and then
 * fails in one line with an "are you offline?" hint; every retry is announced on the logger;
 * a server that never answers costs at most the attempts × the per-attempt timeout.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import '../helpers/no-dns.mjs';
import { HttpClient } from '../../src/http/client.js';
import { NetworkError } from '../../src/http/errors.js';
import { startStandIn } from '../../src/standins/server.js';
import type { Logger } from '../../src/util/log.js';

const lookups = (globalThis as unknown as { __noDnsLookups: () => number }).__noDnsLookups;

/** A logger that keeps its info lines. */
function recorder(): Pick<Logger, 'info'> & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m) };
}

test('a host that does not resolve is tried twice, not four times, then fails with an offline hint', async () => {
  const log = recorder();
  const client = new HttpClient({ maxAttempts: 4, retryBaseMs: 5, log });
  const before = lookups();
  await assert.rejects(client.getText('arxiv', 'https://export.arxiv.org/api/query?search_query=x'), (e) => {
    assert.ok(e instanceof NetworkError);
    assert.equal(e.code, 'ENOTFOUND');
    assert.equal(e.attempts, 2);
    assert.equal(
      e.message,
      'arxiv: cannot resolve export.arxiv.org for GET export.arxiv.org/api/query after 2 attempts — are you offline?',
    );
    return true;
  });
  assert.equal(lookups() - before, 2, 'one retry');
  assert.equal(log.lines.length, 1);
  assert.match(
    log.lines[0]!,
    /^arxiv: cannot resolve export\.arxiv\.org for GET export\.arxiv\.org\/api\/query; retrying in \d+\.\d s \(2\/2\)$/,
  );
});

test('each retry of a failing status is announced with the attempt number; success ends it', async (t) => {
  const server = await startStandIn((_req, i) => (i < 2 ? { status: 503, body: 'busy' } : { body: 'ok' }));
  t.after(() => server.close());
  const log = recorder();
  const client = new HttpClient({ maxAttempts: 4, retryBaseMs: 5, log });
  assert.equal(await client.getText('hn', `${server.url}/api/v1/search?query=x`), 'ok');
  const host = new URL(server.url).host;
  assert.deepEqual(
    log.lines.map((l) => l.replace(/retrying in \d+\.\d s/, 'retrying in N s')),
    [
      `hn: HTTP 503 for GET ${host}/api/v1/search; retrying in N s (2/4)`,
      `hn: HTTP 503 for GET ${host}/api/v1/search; retrying in N s (3/4)`,
    ],
  );
});

test('a server that never answers is bounded by the per-attempt timeout and the attempts', async (t) => {
  // Answers long after the client gives up; the client must not wait for it.
  const server = await startStandIn(() => ({ body: 'late', delayMs: 60_000 }));
  t.after(() => server.close());
  const log = recorder();
  // Long enough per attempt that each request reaches the server even on a loaded machine.
  const client = new HttpClient({ maxAttempts: 3, retryBaseMs: 5, timeoutMs: 400, log });
  await assert.rejects(client.getText('hf', `${server.url}/api/papers/2106.04554`), (e) => {
    assert.ok(e instanceof NetworkError);
    assert.equal(e.code, 'TIMEOUT');
    assert.equal(e.attempts, 3);
    assert.match(e.message, /^hf: no response within 0\.4 s for GET .+ after 3 attempts$/);
    return true;
  });
  // The server records a request once read: the last one may land just after the client gave up.
  for (let i = 0; i < 500 && server.requests.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(server.requests.length, 3);
  assert.equal(log.lines.length, 2);
});

const dir = mkdtempSync(join(tmpdir(), 'hp-offline-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('hotpapers papers offline: retry lines, then one error line with the hint, exit 1', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      '--import',
      join(root, 'test/helpers/no-dns.mjs'),
      join(root, 'src/cli/main.ts'),
      'papers',
      '--date',
      '2021-06-09',
    ],
    {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        HOTPAPERS_DB: join(dir, 'hp.db'),
        HOTPAPERS_NOW: '2021-06-10T18:07:48Z',
        HOTPAPERS_RETRY_BASE_MS: '5',
        ARXIV_DELAY_MS: '0',
        ARXIV_LISTING: 'api',
      },
    },
  );
  assert.equal(run.status, 1, run.stderr);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trim().split('\n');
  assert.match(
    lines[0]!,
    /^arxiv: cannot resolve export\.arxiv\.org for GET .*; retrying in \d+\.\d s \(2\/2\)$/,
  );
  assert.equal(
    lines.at(-1),
    'arxiv: cannot resolve export.arxiv.org for GET export.arxiv.org/api/query after 2 attempts — are you offline?',
  );
  assert.equal(lines.length, 2);
});

test("an unresolved name does not use up the service's pacing: the retry waits the backoff only", async () => {
  const waits: number[] = [];
  const client = new HttpClient({
    maxAttempts: 4,
    retryBaseMs: 100,
    random: () => 0.5,
    lanes: { arxiv: { minIntervalMs: 60_000, concurrency: 1 } },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const url = 'https://export.arxiv.org/api/query';
  await assert.rejects(client.getText('arxiv', url, { lane: 'arxiv' }), NetworkError);
  await assert.rejects(client.getText('arxiv', url, { lane: 'arxiv' }), NetworkError);
  // Backoffs only (75 ms each); a 60 s pacing wait would show here.
  assert.deepEqual(waits, [75, 75]);
});
