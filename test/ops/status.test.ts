/**
 * `hotpapers status`: the mailing days due with no post (holidays told apart by the runs that met
 * them), the newest run's failure, a listener gone quiet; exit 1 with one line when any.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readStatus, type StatusOptions, xReadsLine } from '../../src/ops/status.js';
import { type Db, openStore } from '../../src/store/db.js';
import { finishRun, markInterrupted, startRun } from '../../src/store/runs.js';
import { saveStreamCursor } from '../../src/store/stream.js';
import { formatSize } from '../../src/util/text.js';
import { runCli } from '../helpers/cli.js';
import { digest, fillStore, paper, post, ranked } from '../site/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'hotpapers-status-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Days posted: Tue 1 June 2021 to Fri 11 June, but Fri 4 (a holiday, below), Tue 8 and Fri 11. */
const POSTED = ['2021-06-01', '2021-06-02', '2021-06-03', '2021-06-07', '2021-06-09', '2021-06-10'];

/** A store with POSTED as `post` leaves them, and the run that met no mailing on 4 June. */
function makeStore(name: string): { path: string; db: Db } {
  const path = join(dir, name);
  const db = openStore(path);
  fillStore(
    db,
    POSTED.map((day, k) =>
      digest(day, [
        ranked(1, paper(`2106.${String(k).padStart(5, '0')}`), [post('x', `${k + 1}00`, 10, 60)]),
      ]),
    ),
  );
  run(
    db,
    '2021-06-04',
    'failed',
    'arxiv: no mailing on 2021-06-04 (no papers announced on 2021-06-04 in cs, stat.ML)',
  );
  return { path, db };
}

/** A `post` run of `day` as the runs table keeps it. */
function run(db: Db, day: string, status: 'ok' | 'partial' | 'failed', detail?: string): void {
  const id = startRun(db, 'post', day, `${day}T22:30:00.000Z`);
  finishRun(db, id, {
    status,
    endedAt: `${day}T22:31:00.000Z`,
    detail,
    health:
      status === 'partial'
        ? [
            { source: 'x', status: 'ok', posts: 3, requests: 1 },
            { source: 'hn', status: 'failed', posts: 0, requests: 1, detail: 'hn: HTTP 503' },
          ]
        : undefined,
  });
}

/** Monday 14 June 2021, 12:00 UTC: Friday 11 June is the latest day due (Monday's is not 26 hours old). */
const NOW = new Date('2021-06-14T12:00:00Z');
const options = (over: Partial<StatusOptions> = {}): StatusOptions => ({
  categories: 'cs,stat.ML',
  now: NOW,
  realNow: NOW,
  days: 20,
  dueAfterHours: 26,
  listenerStaleMinutes: 60,
  ...over,
});

test('the days due with no post are named with the backfill that fills them; a holiday is not one', () => {
  const { db } = makeStore('days.db');
  try {
    const report = readStatus(db, options());
    assert.deepEqual(report.stored, { days: 6, first: '2021-06-01', last: '2021-06-10' });
    // From the first stored day on: no day before the store began counts as missing.
    assert.deepEqual(report.window, { from: '2021-06-01', to: '2021-06-11' });
    assert.equal(report.posted, 6);
    assert.deepEqual(report.holidays, ['2021-06-04']);
    assert.deepEqual(report.missing, ['2021-06-08', '2021-06-11']);
    assert.deepEqual(report.problems, [
      '2 mailing days with no post: 2021-06-08, 2021-06-11 (hotpapers backfill --from 2021-06-08 --to 2021-06-11)',
    ]);
    // The holiday's failed run is the newest, and it is not a failure to report.
    assert.equal(report.runs[0]?.day, '2021-06-04');

    // The last 3 days due only; Friday 11 June is not due until 26 hours after its announcement
    // (Thursday 20:00 ET = Friday 00:00 UTC).
    assert.deepEqual(readStatus(db, options({ days: 3 })).window, { from: '2021-06-09', to: '2021-06-11' });
    const early = readStatus(db, options({ now: new Date('2021-06-12T01:59:00Z') }));
    assert.deepEqual(early.window?.to, '2021-06-10');
    assert.deepEqual(early.missing, ['2021-06-08']);
    assert.equal(readStatus(db, options({ now: new Date('2021-06-12T02:00:00Z') })).window?.to, '2021-06-11');
    // Runs with a 72-hour horizon are due later: on Sunday, Friday's day is due by 26 hours, not by 74.
    const sunday = new Date('2021-06-13T12:00:00Z');
    assert.equal(readStatus(db, options({ now: sunday })).window?.to, '2021-06-11');
    assert.equal(readStatus(db, options({ dueAfterHours: 74, now: sunday })).window?.to, '2021-06-10');
  } finally {
    db.close();
  }
});

test('the newest run failed or cut short needs a person; an older failure, a partial run or no mailing does not', async () => {
  const { db } = makeStore('runs.db');
  try {
    run(db, '2021-06-08', 'partial');
    run(db, '2021-06-11', 'failed', 'x: HTTP 503 from api.x.com');
    const failed = readStatus(db, options());
    assert.equal(failed.problems.length, 2);
    assert.equal(
      failed.problems[1],
      'the last run (post 2021-06-11, started 2021-06-11T22:30:00.000Z) failed: x: HTTP 503 from api.x.com',
    );
    assert.deepEqual(failed.runs[1], {
      command: 'post',
      day: '2021-06-08',
      status: 'partial',
      startedAt: '2021-06-08T22:30:00.000Z',
      endedAt: '2021-06-08T22:31:00.000Z',
      failedSources: ['hn'],
      detail: null,
    });

    // A later run of the same day that worked: only the days still missing are left.
    run(db, '2021-06-11', 'ok');
    fillStore(db, [digest('2021-06-11', [ranked(1, paper('2106.00011'), [post('x', '1100', 10, 60)])])]);
    run(db, '2021-06-08', 'partial');
    fillStore(db, [digest('2021-06-08', [ranked(1, paper('2106.00008'), [post('x', '800', 10, 60)])])]);
    assert.deepEqual(readStatus(db, options()).problems, []);

    // A run killed part-way (startRun marks a dead run's row when the next one starts).
    startRun(db, 'post', '2021-06-14', '2021-06-14T22:30:00.000Z');
    startRun(db, 'backfill', '2021-06-01..2021-06-11', '2021-06-14T23:00:00.000Z');
    // While a live process holds the store's lock, its `running` row is a run in progress.
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(
        `${db.name}.lock`,
        JSON.stringify({ pid: sleeper.pid, host: hostname(), startedAt: '2021-06-14T23:00:00.000Z' }),
      );
      const report = readStatus(db, options());
      assert.equal(report.runHeld, true);
      assert.equal(report.runs[0]?.status, 'running');
      assert.equal(report.runs[1]?.status, 'interrupted');
      assert.deepEqual(report.problems, [], 'a run in progress is not a problem');
    } finally {
      sleeper.kill();
    }
    await new Promise((resolve) => sleeper.once('exit', resolve));
    // Its holder gone, the row is a run that died, before any next run marks it so.
    const dead = readStatus(db, options());
    assert.equal(dead.runHeld, false);
    assert.deepEqual(dead.problems, [
      'the last run (backfill 2021-06-01..2021-06-11, started 2021-06-14T23:00:00.000Z) ended without finishing (killed or crashed)',
    ]);
    rmSync(`${db.name}.lock`);
    // Once it is known dead (as the next run finds it), it is.
    markInterrupted(db, '2021-06-15T00:00:00.000Z');
    assert.deepEqual(readStatus(db, options()).problems, [
      'the last run (backfill 2021-06-01..2021-06-11, started 2021-06-14T23:00:00.000Z) was interrupted',
    ]);
  } finally {
    db.close();
  }
});

test('a listener that has saved nothing for an hour needs a person; one saving does not', () => {
  const { db } = makeStore('listener.db');
  try {
    run(db, '2021-06-08', 'ok');
    run(db, '2021-06-11', 'ok');
    fillStore(db, [
      digest('2021-06-08', [ranked(1, paper('2106.00008'), [post('x', '800', 10, 60)])]),
      digest('2021-06-11', [ranked(1, paper('2106.00011'), [post('x', '1100', 10, 60)])]),
    ]);
    assert.equal(readStatus(db, options()).listener, undefined, 'no listener ever ran');
    saveStreamCursor(db, 'jetstream', Date.parse('2021-06-14T11:59:58Z') * 1000, '2021-06-14T12:00:00.000Z');
    const fresh = readStatus(db, options({ realNow: new Date('2021-06-14T12:30:00Z') }));
    assert.deepEqual(fresh.listener, {
      lastEventAt: '2021-06-14T11:59:58.000Z',
      savedAt: '2021-06-14T12:00:00.000Z',
      minutesSinceSave: 30,
      stale: false,
    });
    assert.deepEqual(fresh.problems, []);
    const quiet = readStatus(db, options({ realNow: new Date('2021-06-14T15:00:00Z') }));
    assert.equal(quiet.listener?.stale, true);
    assert.deepEqual(quiet.problems, [
      'the listener has saved nothing for 3.0 h (last at 2021-06-14T12:00:00.000Z): is hotpapers listen running? Jetstream replays about a day',
    ]);
  } finally {
    db.close();
  }
});

test("X's reads of the last 30 days are added up from the runs' health, failed runs too; none shown without X", () => {
  const { db } = makeStore('x-reads.db');
  try {
    assert.equal(readStatus(db, options()).xReads, undefined, 'no run read X (its health has no postsRead)');
    const xRun = (startedAt: string, status: 'ok' | 'failed', health: object[]) => {
      const id = startRun(db, 'post', '2021-06-11', startedAt);
      finishRun(db, id, { status, endedAt: startedAt, health: health as never });
    };
    const x = (postsRead: number, usersRead?: number) => ({
      source: 'x',
      status: 'ok',
      posts: 1,
      requests: 1,
      postsRead,
      usersRead,
    });
    xRun('2021-05-15T11:59:59.000Z', 'ok', [x(100_000, 10)]); // 30 days and a second before: not counted
    xRun('2021-05-15T12:00:00.000Z', 'ok', [
      x(1_200, 300),
      { source: 'hn', status: 'ok', posts: 2, requests: 1 },
    ]);
    xRun('2021-06-11T22:30:00.000Z', 'failed', [{ ...x(2_345), status: 'failed', usersRead: undefined }]);
    xRun('2021-06-12T22:30:00.000Z', 'ok', [x(7)]);
    // A backfill's own row keeps no health: its days' `post` rows are counted once.
    finishRun(db, startRun(db, 'backfill', '2021-06-01..2021-06-11', '2021-06-13T00:00:00.000Z'), {
      status: 'ok',
      endedAt: '2021-06-13T00:01:00.000Z',
    });
    const report = readStatus(db, options());
    assert.deepEqual(report.xReads, {
      days: 30,
      since: '2021-05-15T12:00:00.000Z',
      runs: 3,
      posts: 3_552,
      users: 300,
      dollars: 17.76,
      userDollars: 3,
    });
    assert.equal(
      xReadsLine(report.xReads!),
      'x, last 30 days: 3,552 posts read by 3 runs, at most $17.76 at $0.005 a post; 300 users returned with them, $3.00 more if X bills them at $0.01',
    );
    assert.equal(readStatus(db, options({ xDays: 1 })).xReads?.posts, undefined, 'none in the last day');
    assert.equal(readStatus(db, options({ xDays: 2 })).xReads?.posts, 7);
    assert.deepEqual(
      report.problems.filter((p) => p.includes('x,')),
      [],
      'spending is shown, not a problem',
    );
  } finally {
    db.close();
  }
});

test("a disk with room for fewer than 30 more days of the store's growth needs a person", () => {
  const { db } = makeStore('disk.db');
  try {
    const plenty = readStatus(db, options({ freeBytes: () => 1e12 }));
    const disk = plenty.disk!;
    assert.ok(disk.bytes > 0);
    assert.equal(disk.perDay, Math.round(disk.bytes / 6), 'over the 6 days posted');
    assert.equal(disk.daysLeft, Math.floor(1e12 / disk.perDay!));
    assert.deepEqual(
      plenty.problems.filter((p) => p.includes('disk')),
      [],
    );
    const asked: string[] = [];
    const tight = readStatus(
      db,
      options({
        freeBytes: (d) => {
          asked.push(d);
          return disk.perDay! * 12;
        },
      }),
    );
    assert.deepEqual(asked, [dir], "the free space of the store's folder");
    assert.equal(tight.disk!.daysLeft, 12);
    assert.deepEqual(
      tight.problems.filter((p) => p.includes('disk')),
      [
        `the store's disk has room for about 12 more days (${formatSize(disk.perDay! * 12)} free, the store ${formatSize(disk.bytes)}, ~${formatSize(disk.perDay!)} a day): free space, or move the store (HOTPAPERS_DB)`,
      ],
    );
    assert.equal(
      readStatus(db, options({ freeBytes: () => disk.perDay! * 12, minDaysLeft: 10 })).problems.filter((p) =>
        p.includes('disk'),
      ).length,
      0,
    );
    const unknown = readStatus(
      db,
      options({
        freeBytes: () => {
          throw new Error('ENOSYS');
        },
      }),
    );
    assert.equal(unknown.disk, undefined, 'a file system that will not say: no figure, no failure');
  } finally {
    db.close();
  }
});

test("the demo's day does not start the days due, and its X reads (a stand-in's) are not counted", () => {
  const { db } = makeStore('demo.db');
  try {
    // The demo's replay of 1 June, against stand-ins: its run is named so.
    const id = startRun(db, 'demo', '2021-06-01', '2021-06-12T10:00:00.000Z');
    finishRun(db, id, {
      status: 'ok',
      endedAt: '2021-06-12T10:00:01.000Z',
      health: [{ source: 'x', status: 'ok', posts: 54, requests: 1, postsRead: 54, usersRead: 44 }],
    });
    const report = readStatus(db, options());
    assert.deepEqual(report.window, { from: '2021-06-02', to: '2021-06-11' });
    assert.equal(report.stored.first, '2021-06-01', 'still stored and shown');
    assert.equal(report.xReads, undefined);
    assert.equal(report.demoOnly, undefined);
    // A real run of the same day makes it the first again.
    finishRun(db, startRun(db, 'post', '2021-06-01', '2021-06-12T11:00:00.000Z'), {
      status: 'ok',
      endedAt: '2021-06-12T11:00:01.000Z',
    });
    assert.deepEqual(readStatus(db, options()).window, { from: '2021-06-01', to: '2021-06-11' });
  } finally {
    db.close();
  }
  // A store of the demo's day alone: nothing is due, nothing is missing.
  const only = openStore(join(dir, 'demo-only.db'));
  try {
    fillStore(only, [digest('2021-06-09', [ranked(1, paper('2106.00009'), [post('x', '9', 10, 60)])])]);
    finishRun(only, startRun(only, 'demo', '2021-06-09', '2021-06-12T10:00:00.000Z'), {
      status: 'ok',
      endedAt: '2021-06-12T10:00:01.000Z',
    });
    const report = readStatus(only, options());
    assert.equal(report.demoOnly, true);
    assert.equal(report.window, null);
    assert.deepEqual(report.problems, []);
  } finally {
    only.close();
  }
});

test('asked for categories the store has no post of: the keys it has are named', () => {
  const { db } = makeStore('keys.db');
  try {
    const report = readStatus(db, options({ categories: 'cs.LG' }));
    assert.equal(report.window, null);
    assert.deepEqual(report.otherKeys, ['cs,stat.ML']);
    assert.deepEqual(report.problems, [
      'no post stored for the categories cs.LG; the store has posts for cs,stat.ML (HOTPAPERS_CATEGORIES?)',
    ]);
  } finally {
    db.close();
  }
});

test('hotpapers status: lines on stdout, exit 1 with one line on stderr when something needs a person, --json', async () => {
  const { path, db } = makeStore('cli.db');
  db.close();
  const env = { HOTPAPERS_NOW: NOW.toISOString() };
  const missing = await runCli(['status', '--db', path], env, { cwd: dir });
  assert.equal(missing.code, 1);
  // The store's line depends on the disk's free space: checked on its own, the rest to the byte.
  const lines = missing.stdout.split('\n');
  const storeLine = lines.findIndex((l) => l.startsWith('store: '));
  assert.equal(storeLine, 4, missing.stdout);
  assert.match(
    lines[storeLine]!,
    /^store: \d+ KB \(~\d+ KB a day posted\); \d+\.\d (MB|GB) free beside it: room for ~[\d,]+ more days$/,
  );
  lines.splice(storeLine, 1);
  assert.equal(
    lines.join('\n'),
    [
      `${path}: schema ${missing.stdout.match(/schema (\d+)/)?.[1]} (current); 6 days posted for cs,stat.ML (2021-06-01 to 2021-06-10)`,
      'runs (newest first):',
      '  post 2021-06-04: failed, started 2021-06-04T22:30:00.000Z, took 60 s',
      'days: 2021-06-01 to 2021-06-11 (the latest due): 6 posted, 1 without a mailing (2021-06-04), 2 missing',
      'needs you: 2 mailing days with no post: 2021-06-08, 2021-06-11 (hotpapers backfill --from 2021-06-08 --to 2021-06-11)',
      '',
    ].join('\n'),
  );
  assert.equal(
    missing.stderr,
    'status: 2 mailing days with no post: 2021-06-08, 2021-06-11 (hotpapers backfill --from 2021-06-08 --to 2021-06-11)\n',
  );

  // Categories as a user may write them are keyed as `post` keys its days.
  const spaced = await runCli(['status', '--db', path, '--categories', 'cs, stat.ML,cs'], env, { cwd: dir });
  assert.equal(spaced.stderr, missing.stderr);

  const json = await runCli(['status', '--db', path, '--days', '2', '--json'], env, { cwd: dir });
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as {
    ok: boolean;
    window: unknown;
    missing: string[];
    store: string;
    disk: { bytes: number; perDay: number; freeBytes: number; daysLeft: number };
  };
  assert.deepEqual(
    [report.ok, report.window, report.missing, report.store],
    [false, { from: '2021-06-10', to: '2021-06-11' }, ['2021-06-11'], path],
  );
  // The store's file (no log: closed), over its 6 days; the days left follow from the free space.
  assert.equal(report.disk.bytes, statSync(path).size);
  assert.equal(report.disk.perDay, Math.round(statSync(path).size / 6));
  assert.equal(report.disk.daysLeft, Math.floor(report.disk.freeBytes / report.disk.perDay));

  // Before Friday's day is due, nothing is missing but Tuesday's: with --days 2 the window holds none.
  const fine = await runCli(
    ['status', '--db', path, '--days', '2'],
    { HOTPAPERS_NOW: '2021-06-11T12:00:00Z' },
    { cwd: dir },
  );
  assert.equal(fine.code, 0, fine.stderr);
  assert.match(
    fine.stdout,
    /\ndays: 2021-06-09 to 2021-06-10 \(the latest due\): 2 posted\nstore: [^\n]+\n$/,
  );
  assert.equal(fine.stderr, '');

  const usage = await runCli(['status', '--db', path, '--days', '0'], env, { cwd: dir });
  assert.equal(usage.code, 2);
  assert.equal(usage.stderr, 'status: --days must be a whole number from 1 to 5000, got "0"\n');
  // A store an older release wrote (schema 2: no listener's table yet) is read as it is, not upgraded.
  const old = join(dir, 'old.db');
  copyFileSync(new URL('../fixtures/store/fa51622.db', import.meta.url), old);
  const before = readFileSync(old);
  const older = await runCli(
    ['status', '--db', old, '--days', '1'],
    { HOTPAPERS_NOW: '2021-06-10T23:00:00Z' },
    { cwd: dir },
  );
  assert.equal(older.code, 0, older.stderr);
  assert.match(
    older.stdout,
    /^.*old\.db: schema 2 \(this hotpapers has \d+; the next post or listen upgrades it in place\); 2 days posted for cs,stat\.ML \(2020-12-14 to 2021-06-09\)\n/,
  );
  assert.ok(readFileSync(old).equals(before), 'the store is not changed');

  const none = await runCli(['status', '--db', join(dir, 'nowhere.db')], env, { cwd: dir });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^store: no store at .*nowhere\.db \(set HOTPAPERS_DB or --db\)\n$/);
});
