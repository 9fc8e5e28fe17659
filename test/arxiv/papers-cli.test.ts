import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { arxivApiHandler, malformedXmlReply, statusReply } from '../../src/standins/arxiv.js';
import { type Handler, startStandIn } from '../../src/standins/server.js';
import { API_PAPERS, EXPECTED_IDS, EXPECTED_TYPES } from './day-2021-06-09.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in a child process with a clean environment (only what is passed). */
function cli(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX, MAIN, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function setup(t: { after: (fn: () => Promise<void> | void) => void }, handler: Handler) {
  const server = await startStandIn(handler);
  t.after(() => server.close());
  const dir = mkdtempSync(join(tmpdir(), 'hotpapers-papers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = {
    ARXIV_API_URL: `${server.url}/api/query`,
    ARXIV_LISTING: 'api',
    ARXIV_DELAY_MS: '0',
    HOTPAPERS_RETRY_BASE_MS: '5',
    HOTPAPERS_DB: join(dir, 'hotpapers.db'),
  };
  return { server, env, dir };
}

test('papers --json: exactly the papers of mailing 2021-06-09, once each, from a server that ignores the query', async (t) => {
  const { server, env, dir } = await setup(t, arxivApiHandler(API_PAPERS, { ignoreQuery: true }));
  const run = await cli(['papers', '--date', '2021-06-09', '--json'], env, dir);
  assert.equal(run.code, 0, run.stderr);
  const papers = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
  assert.deepEqual(
    papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.deepEqual(
    papers.map((p) => p.announceType),
    EXPECTED_TYPES,
  );
  assert.deepEqual(Object.keys(papers[0]!), [
    'id',
    'title',
    'authors',
    'categories',
    'primaryCategory',
    'announceType',
    'abstract',
    'published',
  ]);
  assert.deepEqual(
    papers.find((p) => p.id === '2106.04002'),
    {
      id: '2106.04002',
      title: 'Paper 2106.04002 on math.NA',
      authors: ['Author 02', 'Second Author'],
      categories: ['math.NA'],
      primaryCategory: 'math.NA',
      announceType: 'new',
      abstract: 'Abstract of 2106.04002. It has two lines.',
      published: '2021-06-08T10:00:00Z',
    },
  );
  assert.deepEqual(papers.find((p) => p.id === '2106.04003')!.categories, ['stat.ML', 'cs.LG']);
  assert.equal(server.requests.length, 1);
  assert.match(run.stderr, /2021-06-09: 6 papers \(5 new, 1 cross\) in cs,stat\.ML from api/);

  // A second run reads the store: same output, no request.
  const again = await cli(['papers', '--date', '2021-06-09', '--json'], env, dir);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, run.stdout);
  assert.equal(server.requests.length, 1);
  assert.match(again.stderr, /from the store \(api\)/);
});

test('papers: a readable table by default; --categories narrows the set', async (t) => {
  const { env, dir } = await setup(t, arxivApiHandler(API_PAPERS));
  const run = await cli(['papers', '--date', '2021-06-09', '--categories', 'stat.ML'], env, dir);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^ID\s+TYPE\s+PRIMARY\s+TITLE$/);
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3)),
    [
      ['2106.04003', 'new', 'stat.ML'],
      ['2106.04006', 'cross', 'quant-ph'],
    ],
  );
});

test('papers: 503 with Retry-After, then 200, succeeds', async (t) => {
  const ok = arxivApiHandler(API_PAPERS);
  const { server, env, dir } = await setup(t, (req, i) =>
    i === 0 ? statusReply(503, { 'retry-after': '1' }) : ok(req, i),
  );
  const run = await cli(['papers', '--date', '2021-06-09', '--json'], env, dir);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(
    (JSON.parse(run.stdout) as Array<{ id: string }>).map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.equal(server.requests.length, 2);
});

test('papers: malformed XML exits non-zero with one arxiv line and no stack', async (t) => {
  const { env, dir } = await setup(t, () => malformedXmlReply());
  const run = await cli(['papers', '--date', '2021-06-09', '--json'], env, dir);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trimEnd().split('\n');
  assert.match(lines.at(-1)!, /^arxiv: malformed XML in the API Atom feed \(line \d+: .+\)$/);
  assert.ok(!/\n\s+at /.test(run.stderr), run.stderr);
});

test('papers: a bad date is one line naming the command', async (t) => {
  const { server, env, dir } = await setup(t, arxivApiHandler(API_PAPERS));
  const run = await cli(['papers', '--date', '2021-06-31'], env, dir);
  assert.equal(run.code, 2, 'a usage error');
  assert.equal(run.stderr, 'papers: --date must be a calendar day as YYYY-MM-DD, got "2021-06-31"\n');
  assert.equal(server.requests.length, 0);
});
