/**
 * Local failures (issue 11, defects 11 and 12): file-system and store errors as one line
 * naming the path and the cause; `running` rows of a killed run marked `interrupted` at the
 * next start (unless a live run holds the lock); echoed bad input clipped.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { userErrorLine } from '../../src/errors.js';
import { lockPathOf } from '../../src/ops/lock.js';
import { arxivApiHandler } from '../../src/standins/arxiv.js';
import { startStandIn } from '../../src/standins/server.js';
import { fakeTweet, startXStandIn } from '../../src/standins/x.js';
import { openStore } from '../../src/store/db.js';
import { startRun } from '../../src/store/runs.js';
import { runCli } from '../helpers/cli.js';

const DAY = '2021-06-09';
const NOW = '2021-06-10T12:00:00Z';

test('post into a folder that cannot be made fails with one line naming the path and the cause', async (t) => {
  const arxiv = await startStandIn(
    arxivApiHandler([
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
    ]),
  );
  const x = await startXStandIn(
    {
      tweets: [fakeTweet({ id: '1', authorId: '1', links: ['https://arxiv.org/abs/2106.00001'], likes: 60 })],
      users: [{ id: '1', username: 'alice', name: 'Alice' }],
    },
    { generateOembed: true, clock: () => Date.parse(NOW) },
  );
  t.after(() => Promise.all([arxiv.close(), x.close()]));
  const dir = mkdtempSync(join(tmpdir(), 'hp-io-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a folder');
  const out = join(file, 'posts');
  const result = await runCli(['post', '--date', DAY, '--out', out], {
    ARXIV_API_URL: `${arxiv.url}/api/query`,
    ARXIV_LISTING: 'api',
    ARXIV_DELAY_MS: '0',
    X_BEARER_TOKEN: x.token,
    X_API_URL: x.apiUrl,
    X_OEMBED_URL: x.oembedUrl,
    HOTPAPERS_SOURCES: 'x',
    HOTPAPERS_NOW: NOW,
    HOTPAPERS_DB: join(dir, 'hp.db'),
  });
  assert.equal(result.code, 1);
  const last = result.stderr.trim().split('\n').pop()!;
  assert.match(
    last,
    /^io: cannot (create the folder|open|write) .*a-file\/posts.*: a part of the path is not a folder \(ENOTDIR\)$/,
  );
  assert.doesNotMatch(result.stderr, /internal error/);
});

test('a read-only store is named in the error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-ro-'));
  const path = join(dir, 'hp.db');
  openStore(path).close();
  // As the store is opened when a run starts; writing through a read-only handle is what a
  // read-only file gives (root ignores file modes, so the handle stands in for them).
  openStore(path).close();
  const ro = new Database(path, { readonly: true });
  let error: unknown;
  try {
    ro.prepare("INSERT INTO runs (command, started_at, status) VALUES ('post', 'x', 'running')").run();
  } catch (e) {
    error = e;
  } finally {
    ro.close();
  }
  assert.ok(error, 'the write failed');
  assert.match(
    userErrorLine(error),
    new RegExp(
      `^store: the store ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is read-only .*\\(SQLITE_READONLY`,
    ),
  );
});

test('rows left running by a killed run are marked interrupted at the next start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-stale-'));
  const db = openStore(join(dir, 'hp.db'));
  try {
    const killed = startRun(db, 'post', DAY, '2026-01-01T00:00:00Z');
    const next = startRun(db, 'post', DAY, '2026-01-01T00:05:00Z');
    const rows = db.prepare('SELECT id, status, ended_at FROM runs ORDER BY id').all() as Array<{
      id: number;
      status: string;
      ended_at: string | null;
    }>;
    assert.deepEqual(
      rows.map((r) => [r.id, r.status]),
      [
        [killed, 'interrupted'],
        [next, 'running'],
      ],
    );
    assert.equal(rows[0]!.ended_at, '2026-01-01T00:05:00Z');
  } finally {
    db.close();
  }
});

test('rows of a run that holds the lock and is alive are left running', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-live-'));
  const path = join(dir, 'hp.db');
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  t.after(() => child.kill());
  writeFileSync(
    lockPathOf(path),
    `${JSON.stringify({ pid: child.pid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'run' })}\n`,
  );
  const db = openStore(path);
  try {
    const live = startRun(db, 'run', DAY, '2026-01-01T00:00:00Z');
    startRun(db, 'explain', DAY, '2026-01-01T00:01:00Z');
    const row = db.prepare('SELECT status FROM runs WHERE id = ?').get(live) as { status: string };
    assert.equal(row.status, 'running');
  } finally {
    db.close();
  }
});

test('a 5,000-character bad id is echoed clipped, on one short line', async () => {
  const id = `x${'9'.repeat(4999)}`;
  const result = await runCli(['explain', '--date', DAY, id], { HOTPAPERS_DB: join(tmpdir(), 'hp-none.db') });
  assert.equal(result.code === 0, false);
  const line = result.stderr.trim();
  assert.equal(line.split('\n').length, 1);
  assert.ok(line.length < 160, `${line.length} characters`);
  assert.match(line, /^explain: "x9{20,79}…" is not an arXiv id$/);
});
