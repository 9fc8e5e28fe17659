/**
 * `hotpapers listen` as a real child process against the Jetstream stand-in: killed with
 * SIGKILL at random points and started again it loses no event and stores nothing twice;
 * SIGTERM saves the cursor of the last event heard. Kill points come from a seeded generator
 * (HOTPAPERS_CRASH_SEED, logged) so a failure can be replayed; where they land still depends
 * on the machine's speed.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { actionOf, parseJetstreamMessage } from '../../src/listen/jetstream.js';
import {
  type JetstreamWireEvent,
  jetstreamAccount,
  jetstreamDelete,
  jetstreamIdentity,
  jetstreamLike,
  jetstreamPost,
  startJetstreamStandIn,
} from '../../src/standins/jetstream.js';
import { seededRandom } from '../../src/standins/random.js';
import { openStore } from '../../src/store/db.js';
import { JETSTREAM, saveStreamCursor } from '../../src/store/stream.js';
import { CLI } from '../helpers/cli.js';

const T0 = 1_787_000_000_000_000;
const KILLS = 4;
const PLACES = ['facet', 'external', 'recordWithMedia', 'text'] as const;

/** A busy stream: posts with and without paper links, deletions, likes, identity and account events. */
function busyStream(count: number, random: () => number): JetstreamWireEvent[] {
  const events: JetstreamWireEvent[] = [];
  const created: Array<{ did: string; rkey: string }> = [];
  for (let i = 0; i < count; i++) {
    const timeUs = T0 + (i + 1) * 1000;
    const did = `did:plc:user${String(Math.floor(random() * 40)).padStart(20, '0')}`;
    const roll = random();
    if (roll < 0.4) {
      const rkey = `3p${i}`;
      created.push({ did, rkey });
      events.push(
        jetstreamPost({
          did,
          rkey,
          timeUs,
          text: `paper ${i}`,
          link: `https://arxiv.org/abs/2608.${String(10000 + Math.floor(random() * 300))}`,
          linkIn: PLACES[Math.floor(random() * PLACES.length)]!,
        }),
      );
    } else if (roll < 0.6) {
      const rkey = `3n${i}`;
      created.push({ did, rkey });
      events.push(jetstreamPost({ did, rkey, timeUs, text: `no paper ${i}` }));
    } else if (roll < 0.7 && created.length > 0) {
      const target = created[Math.floor(random() * created.length)]!;
      events.push(jetstreamDelete(target.did, target.rkey, timeUs));
    } else if (roll < 0.8) {
      events.push(jetstreamIdentity(did, `u${i}.bsky.social`, timeUs, i));
    } else if (roll < 0.9) {
      events.push(jetstreamAccount(did, random() < 0.5, timeUs, i));
    } else {
      events.push(jetstreamLike(did, `3l${i}`, timeUs, `at://${did}/app.bsky.feed.post/3x`));
    }
  }
  return events;
}

/** What the store must hold once every event is applied, computed without the listener. */
function expectedState(events: readonly JetstreamWireEvent[]) {
  const posts = new Map<string, string[]>();
  const deleted = new Map<string, string>();
  for (const e of events) {
    const event = parseJetstreamMessage(JSON.stringify(e));
    const action = event && actionOf(event);
    if (!action) continue;
    if (action.type === 'upsert') posts.set(action.post.id, action.paperIds);
    else if (action.type === 'delete' && posts.has(action.postId) && !deleted.has(action.postId))
      deleted.set(action.postId, action.at);
  }
  return { posts, deleted };
}

function readState(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const posts = db.prepare("SELECT id FROM posts WHERE source = 'bluesky'").all() as Array<{ id: string }>;
    const links = db.prepare('SELECT post_id, paper_id FROM post_papers').all() as Array<{
      post_id: string;
      paper_id: string;
    }>;
    const snapshots = db
      .prepare('SELECT post_id, count(*) AS n FROM snapshots GROUP BY post_id')
      .all() as Array<{
      post_id: string;
      n: number;
    }>;
    const deletions = db.prepare('SELECT post_id, deleted_at FROM post_deletions').all() as Array<{
      post_id: string;
      deleted_at: string;
    }>;
    const cursor = db.prepare('SELECT time_us FROM stream_cursors WHERE stream = ?').get(JETSTREAM) as
      | { time_us: number }
      | undefined;
    return { posts, links, snapshots, deletions, cursor: cursor?.time_us };
  } finally {
    db.close();
  }
}

function cursorOf(path: string): number | undefined {
  try {
    return readState(path).cursor;
  } catch {
    return undefined;
  }
}

interface Child {
  process: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startListen(env: Record<string, string>, args: string[] = []): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'listen', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, stderr: () => stderr, exited };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function seededStore(dir: string): string {
  const path = join(dir, 'hp.db');
  const db = openStore(path);
  // Start from the beginning of the stand-in's history (a first start would be live).
  saveStreamCursor(db, JETSTREAM, T0, new Date().toISOString());
  db.close();
  return path;
}

test('listen - SIGKILL at random points and restarts: no event lost, nothing stored twice', async (t) => {
  const seed = Number(process.env.HOTPAPERS_CRASH_SEED ?? Date.now() % 100_000);
  t.diagnostic(`HOTPAPERS_CRASH_SEED=${seed}`);
  const random = seededRandom(seed);
  const events = busyStream(1500, seededRandom(7));
  const last = events[events.length - 1]!.time_us;
  // Paced: 25 events every 15 ms, so kills land mid-stream.
  const s = await startJetstreamStandIn(events, { burst: 25, pauseMs: 15 });
  t.after(() => s.close());
  const dir = mkdtempSync(join(tmpdir(), 'hp-listen-'));
  const db = seededStore(dir);
  const env = { HOTPAPERS_DB: db, BLUESKY_JETSTREAM_URL: s.url };
  const args = ['--overlap', '0.1', '--save-interval', '0.05'];

  for (let kill = 0; kill < KILLS; kill++) {
    const child = startListen(env, args);
    await waitFor(() => child.stderr().includes('listen: connected'), 'the connection');
    await new Promise((r) => setTimeout(r, Math.floor(random() * 500)));
    child.process.kill('SIGKILL');
    const { signal } = await child.exited;
    assert.equal(signal, 'SIGKILL');
    const at = cursorOf(db) ?? T0;
    t.diagnostic(
      `kill ${kill + 1}: saved cursor at event ${Math.round((at - T0) / 1000)} of ${events.length}`,
    );
  }
  const finalRun = startListen(env, args);
  // A killed run may already have saved the last cursor: wait for this run to be up (its
  // signal handlers installed) before the cursor check, or SIGTERM would land during start-up.
  await waitFor(() => finalRun.stderr().includes('listen: connected'), 'the final connection');
  await waitFor(() => cursorOf(db) === last, 'the last event');
  finalRun.process.kill('SIGTERM');
  const { code } = await finalRun.exited;
  assert.equal(code, 0, finalRun.stderr());

  const expected = expectedState(events);
  const state = readState(db);
  assert.equal(state.cursor, last);
  assert.deepEqual(state.posts.map((p) => p.id).sort(), [...expected.posts.keys()].sort());
  const expectedLinks = [...expected.posts].flatMap(([id, papers]) => papers.map((p) => `${id} ${p}`)).sort();
  assert.deepEqual(state.links.map((l) => `${l.post_id} ${l.paper_id}`).sort(), expectedLinks);
  // One zero-count snapshot per post, at its event's time, however often it was replayed.
  assert.equal(state.snapshots.length, expected.posts.size);
  assert.ok(
    state.snapshots.every((r) => r.n === 1),
    'a replayed event added a snapshot',
  );
  assert.deepEqual(
    state.deletions.map((d) => `${d.post_id} ${d.deleted_at}`).sort(),
    [...expected.deleted].map(([id, at]) => `${id} ${at}`).sort(),
  );
  // Every restart resumed from a saved cursor (never from the start), less the overlap.
  assert.equal(s.connections.length, KILLS + 1);
  for (const c of s.connections.slice(1)) assert.ok(c.cursor !== undefined && c.cursor >= T0 - 100_000);
});

test('listen - SIGTERM saves the cursor of the last event heard and exits 0', async (t) => {
  const events = busyStream(40, seededRandom(11));
  // Sends everything at once, then nothing: the periodic save (hourly here) never runs.
  const s = await startJetstreamStandIn(events);
  t.after(() => s.close());
  const dir = mkdtempSync(join(tmpdir(), 'hp-listen-'));
  const db = seededStore(dir);
  const child = startListen({ HOTPAPERS_DB: db, BLUESKY_JETSTREAM_URL: s.url }, ['--save-interval', '3600']);
  await waitFor(() => (s.connections[0]?.sent ?? 0) > 0, 'events sent');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(cursorOf(db), T0, 'nothing saved before the signal');
  child.process.kill('SIGTERM');
  const { code, signal } = await child.exited;
  assert.equal(signal, null);
  assert.equal(code, 0, child.stderr());
  const heard = Number(/stopped after (\d+) events/.exec(child.stderr())?.[1]);
  assert.ok(heard > 0, child.stderr());
  // The cursor is the time of the last event heard (events arrive in order).
  const delivered = events.filter(
    (e) => e.kind !== 'commit' || (e.commit as { collection: string }).collection === 'app.bsky.feed.post',
  );
  assert.equal(cursorOf(db), delivered[heard - 1]!.time_us);
  assert.match(child.stderr(), /listen: SIGTERM: saving the cursor and stopping/);
});
