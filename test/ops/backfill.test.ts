import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { HotpapersError } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { backfill, completePath, isNoMailing } from '../../src/ops/backfill.js';
import {
  createProgress,
  etaMs,
  formatDuration,
  type ProgressSink,
  progressLine,
} from '../../src/ops/progress.js';
import type { PostRunOptions, PostRunResult } from '../../src/pipeline/post.js';
import { openStore } from '../../src/store/db.js';
import { saveDigest } from '../../src/store/digests.js';
import type { DayDigest } from '../../src/types.js';
import { createLogger, type Logger } from '../../src/util/log.js';
import { tempDir } from './e2e-helpers.js';

function setup() {
  const dir = tempDir('hp-backfill-');
  const config = loadConfig({
    cwd: dir,
    env: { HOTPAPERS_DB: join(dir, 'hp.db'), HOTPAPERS_OUT: join(dir, 'posts') },
  });
  return { dir, config };
}

function digestOf(day: string): DayDigest {
  return {
    day,
    categories: ['cs', 'stat.ML'],
    observedAt: '2021-06-25T00:00:00.000Z',
    weights: { x: 1, bluesky: 1, hn: 1, hf: 1 },
    thresholds: { minPaperScore: 50, minPostScore: 25, maxPosts: 10 },
    listed: 3,
    postsFound: 3,
    papers: [],
    health: [],
  };
}

/** A stand-in for runPost: writes the post, stores its digest, as the pipeline does. */
function fakeDay(calls: string[], fail: Record<string, Error> = {}) {
  return async (o: PostRunOptions): Promise<PostRunResult> => {
    calls.push(o.day);
    if (fail[o.day]) throw fail[o.day];
    const path = join(o.outDir!, `${o.day}---Hot-Papers.md`);
    const text = `post of ${o.day}\n`;
    mkdirSync(o.outDir!, { recursive: true });
    writeFileSync(path, text);
    const digest = digestOf(o.day);
    saveDigest(o.db!, digest, {
      categoriesKey: 'cs,stat.ML',
      path,
      markdownSha256: createHash('sha256').update(text).digest('hex'),
      writtenAt: 'now',
    });
    return { day: o.day, path, written: true, digest, health: [], requests: {}, exitCode: 0 };
  };
}

function sink(): ProgressSink & { lines: string[] } {
  const lines: string[] = [];
  const log: Logger = {
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
    progress() {},
  };
  return {
    log,
    lines,
    start: (n) => lines.push(`start ${n}`),
    update: (p) => lines.push(`${p.day} ${p.status} ${p.done}/${p.total}`),
    stop: () => lines.push('stop'),
  };
}

test('backfill - runs mailing days only (weekends skipped), sharing one store and one HttpClient', async () => {
  const { config } = setup();
  const db = openStore(config.db);
  const http = new HttpClient();
  const seen: Array<{ db: unknown; http: unknown }> = [];
  const calls: string[] = [];
  const day = fakeDay(calls);
  const progress = sink();
  const result = await backfill({
    config,
    from: '2021-06-04',
    to: '2021-06-15',
    progress,
    db,
    http,
    runDay: (o) => {
      seen.push({ db: o.db, http: o.http });
      return day(o);
    },
  });
  assert.deepEqual(calls, [
    '2021-06-04',
    '2021-06-07',
    '2021-06-08',
    '2021-06-09',
    '2021-06-10',
    '2021-06-11',
    '2021-06-14',
    '2021-06-15',
  ]);
  assert.deepEqual(result.ran, calls);
  assert.equal(result.paths.length, 8);
  assert.ok(seen.every((s) => s.db === db && s.http === http));
  assert.equal(progress.lines[0], 'start 8');
  assert.equal(progress.lines[1], '2021-06-04 done 1/8');
  assert.equal(progress.lines.at(-1), 'stop');
  const run = db
    .prepare("SELECT command, day, status, detail FROM runs WHERE command = 'backfill'")
    .get() as {
    day: string;
    status: string;
    detail: string;
  };
  assert.equal(run.day, '2021-06-04..2021-06-15');
  assert.equal(run.status, 'ok');
  assert.equal(JSON.parse(run.detail).ran, 8);
  db.close();
});

test('backfill - stops at a failing day with one line, and a second call resumes after the days done', async () => {
  const { config } = setup();
  const calls: string[] = [];
  const first = sink();
  await assert.rejects(
    backfill({
      config,
      from: '2021-06-07',
      to: '2021-06-11',
      progress: first,
      runDay: fakeDay(calls, {
        '2021-06-09': new HotpapersError(
          'arxiv',
          'HTTP 503 Service Unavailable for GET export.arxiv.org/api/query after 4 attempts',
        ),
      }),
    }),
    {
      message:
        'backfill: stopped at 2021-06-09 (2 of 5 days done): arxiv: HTTP 503 Service Unavailable for GET export.arxiv.org/api/query after 4 attempts; run the same command again to resume',
    },
  );
  assert.deepEqual(calls, ['2021-06-07', '2021-06-08', '2021-06-09']);
  assert.equal(first.lines.at(-2), '2021-06-09 failed 3/5');

  calls.length = 0;
  const second = sink();
  const result = await backfill({
    config,
    from: '2021-06-07',
    to: '2021-06-11',
    progress: second,
    runDay: fakeDay(calls),
  });
  assert.deepEqual(calls, ['2021-06-09', '2021-06-10', '2021-06-11']);
  assert.deepEqual(result.skipped, ['2021-06-07', '2021-06-08']);
  assert.equal(result.paths.length, 5);
  assert.deepEqual(second.lines.slice(1, 3), ['2021-06-07 skipped 1/5', '2021-06-08 skipped 2/5']);
});

test('backfill - a day whose post file is gone, edited, or in another folder is run again', async () => {
  const { config } = setup();
  const db = openStore(config.db);
  const calls: string[] = [];
  await backfill({
    config,
    db,
    from: '2021-06-07',
    to: '2021-06-09',
    progress: sink(),
    runDay: fakeDay(calls),
  });
  const outDir = config.outDir;
  assert.equal(
    completePath(db, '2021-06-07', 'cs,stat.ML', undefined, outDir),
    join(outDir, '2021-06-07---Hot-Papers.md'),
  );
  rmSync(join(outDir, '2021-06-07---Hot-Papers.md'));
  writeFileSync(join(outDir, '2021-06-08---Hot-Papers.md'), 'edited by hand\n');
  assert.equal(completePath(db, '2021-06-07', 'cs,stat.ML', undefined, outDir), undefined);
  assert.equal(completePath(db, '2021-06-08', 'cs,stat.ML', undefined, outDir), undefined);
  assert.equal(completePath(db, '2021-06-09', 'cs,stat.ML', undefined, join(outDir, 'elsewhere')), undefined);
  assert.equal(
    completePath(db, '2021-06-09', 'cs,stat.ML', '24h', outDir),
    undefined,
    'another horizon is another post',
  );
  calls.length = 0;
  await backfill({
    config,
    db,
    from: '2021-06-07',
    to: '2021-06-09',
    progress: sink(),
    runDay: fakeDay(calls),
  });
  assert.deepEqual(calls, ['2021-06-07', '2021-06-08']);
  db.close();
});

test('backfill - a day with no mailing (arXiv holiday) is logged and skipped; the loop goes on', async () => {
  const { config } = setup();
  const calls: string[] = [];
  const progress = sink();
  const holiday = new HotpapersError(
    'arxiv',
    'no papers announced on 2021-07-05 in cs, stat.ML (no mailing that day?)',
  );
  const result = await backfill({
    config,
    from: '2021-07-02',
    to: '2021-07-06',
    progress,
    runDay: fakeDay(calls, { '2021-07-05': holiday }),
  });
  assert.deepEqual(result.noMailing, ['2021-07-05']);
  assert.deepEqual(result.ran, ['2021-07-02', '2021-07-06']);
  assert.ok(progress.lines.includes('2021-07-05 no-mailing 2/3'));
  assert.equal(isNoMailing(holiday), true);
  assert.equal(isNoMailing(new HotpapersError('x', 'no papers announced on')), false);
});

test('backfill - refuses bad ranges in one line', async () => {
  const { config } = setup();
  await assert.rejects(backfill({ config, from: '2021-06-10', to: '2021-06-09', progress: sink() }), {
    message: 'backfill: --from 2021-06-10 is after --to 2021-06-09',
  });
  await assert.rejects(backfill({ config, from: '2021-06-12', to: '2021-06-13', progress: sink() }), {
    message: 'backfill: no mailing days from 2021-06-12 to 2021-06-13 (weekend only)',
  });
  await assert.rejects(backfill({ config, from: '2021-6-1', to: '2021-06-13', progress: sink() }), {
    message: 'backfill: date must be a calendar day as YYYY-MM-DD, got "2021-6-1"',
  });
  assert.equal(existsSync(config.db), false, 'nothing opened for a bad range');
});

test('etaMs / formatDuration / progressLine - ETA from the days that did work', () => {
  assert.equal(etaMs(0, 0, 5), undefined);
  assert.equal(etaMs(30_000, 3, 7), 70_000);
  assert.equal(formatDuration(undefined), '?');
  assert.equal(formatDuration(45_400), '45s');
  assert.equal(formatDuration(200_000), '3m20s');
  assert.equal(formatDuration(3_900_000), '1h05m');
  assert.equal(
    progressLine({ day: '2021-06-09', status: 'done', done: 3, total: 10, etaMs: 130_000 }),
    'backfill: 2021-06-09 done (3/10, eta 2m10s)',
  );
  assert.equal(
    progressLine({ day: '2021-06-18', status: 'skipped', done: 10, total: 10 }),
    'backfill: 2021-06-18 skipped (10/10)',
  );
});

test('createProgress - plain lines off a TTY, JSON fields with --log-format json, a bar with ETA on a TTY', async () => {
  const capture = (tty: boolean) => {
    const stream = Object.assign(new PassThrough(), { isTTY: tty, columns: 100 });
    let text = '';
    stream.on('data', (d: Buffer) => {
      text += d.toString();
    });
    return { stream, text: () => text };
  };
  const plain = capture(false);
  const p1 = createProgress({ log: createLogger({ stream: plain.stream }), stream: plain.stream });
  p1.start(2);
  p1.update({ day: '2021-06-09', status: 'done', done: 1, total: 2, etaMs: 5000 });
  p1.stop();
  assert.equal(plain.text(), 'backfill: 2021-06-09 done (1/2, eta 5s)\n');

  const json = capture(false);
  const p2 = createProgress({
    log: createLogger({ stream: json.stream, format: 'json' }),
    format: 'json',
    stream: json.stream,
  });
  p2.update({ day: '2021-06-09', status: 'done', done: 1, total: 2, etaMs: 5000 });
  const line = JSON.parse(json.text());
  assert.equal(line.msg, 'backfill: 2021-06-09 done (1/2, eta 5s)');
  assert.deepEqual(
    [line.day, line.status, line.done, line.total, line.etaSeconds],
    ['2021-06-09', 'done', 1, 2, 5],
  );

  const tty = capture(true);
  const p3 = createProgress({ log: createLogger({ stream: tty.stream }), stream: tty.stream });
  p3.start(10);
  p3.update({ day: '2021-06-09', status: 'done', done: 3, total: 10, etaMs: 130_000 });
  p3.log.warn('x: HTTP 429');
  p3.stop();
  assert.match(tty.text(), /backfill \[#+-+\] 3\/10 days \| 2021-06-09 done \| eta 2m10s/);
  assert.match(tty.text(), /warn: x: HTTP 429\n/);
});
