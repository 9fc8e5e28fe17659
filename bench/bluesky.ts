/**
 * Bluesky bench: (1) the search sweep over a day with more posts than one query can page
 * through (requests, wall, CPU), with and without `hitsTotal`; (2) the Jetstream listener
 * applying a stream into a store on disk (events per second of CPU, store growth). The real
 * firehose carries tens of post events a second; the figure to read is the headroom.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { configSchema } from '../src/config/schema.js';
import { HttpClient } from '../src/http/client.js';
import { runListener } from '../src/listen/listener.js';
import { createBlueskySource } from '../src/sources/bluesky.js';
import type { SourceContext } from '../src/sources/source.js';
import { blueskyPost, startBlueskyStandIn } from '../src/standins/bluesky.js';
import {
  type JetstreamWireEvent,
  jetstreamAccount,
  jetstreamDelete,
  jetstreamIdentity,
  jetstreamPost,
  startJetstreamStandIn,
} from '../src/standins/jetstream.js';
import { seededRandom } from '../src/standins/random.js';
import { openStore } from '../src/store/db.js';
import { getStreamCursor, JETSTREAM, saveStreamCursor } from '../src/store/stream.js';
import { silentLogger } from '../src/util/log.js';

const SWEEP_POSTS = Number(process.env.BENCH_BLUESKY_POSTS ?? 25_000);
const STREAM_EVENTS = Number(process.env.BENCH_JETSTREAM_EVENTS ?? 100_000);

async function benchSweep(countAll: boolean): Promise<void> {
  const start = Date.parse('2026-08-20T00:30:00Z');
  const random = seededRandom(42);
  const posts = Array.from({ length: SWEEP_POSTS }, (_, i) =>
    blueskyPost({
      rkey: `3b${i}`,
      handle: `u${i % 500}.bsky.social`,
      text: 'new paper',
      createdAt: new Date(start + Math.floor(random() * 23 * 3600_000)).toISOString(),
      link: `https://arxiv.org/abs/2608.${String(10000 + (i % 2000))}`,
      linkIn: random() < 0.5 ? 'external' : 'facet',
    }),
  );
  const s = await startBlueskyStandIn({ handle: 'b.bsky.social', password: 'pw', posts }, { countAll });
  try {
    const config = configSchema.parse({
      blueskyHandle: 'b.bsky.social',
      blueskyAppPassword: 'pw',
      blueskyApiUrl: s.apiUrl,
    });
    const ctx: SourceContext = {
      http: new HttpClient({}),
      config,
      now: new Date('2026-08-21T00:00:00Z'),
      day: '2026-08-20',
      announcedAt: new Date('2026-08-20T00:00:00Z'),
      log: silentLogger,
    };
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const result = await createBlueskySource({ domains: ['arxiv.org'] }).collect([], ctx);
    const wall = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    const searches = s.requests.filter((r) => r.path.endsWith('searchPosts')).length;
    const found = new Set(result.posts.map((p) => p.id)).size;
    console.log(
      `sweep of ${SWEEP_POSTS} posts on one domain (${countAll ? 'hitsTotal given: halving' : 'no hitsTotal: narrowing'}): ` +
        `${found} found, ${searches} search requests (minimum ${Math.ceil(SWEEP_POSTS / 100)}), ` +
        `wall ${wall.toFixed(0)} ms, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms (stand-in included)`,
    );
  } finally {
    await s.close();
  }
}

function stream(count: number): JetstreamWireEvent[] {
  const random = seededRandom(7);
  const events: JetstreamWireEvent[] = [];
  const T0 = 1_787_000_000_000_000;
  for (let i = 0; i < count; i++) {
    const timeUs = T0 + i * 20_000;
    const did = `did:plc:u${String(Math.floor(random() * 5000)).padStart(22, '0')}`;
    const roll = random();
    if (roll < 0.02)
      events.push(
        jetstreamPost({
          did,
          rkey: `3p${i}`,
          timeUs,
          text: 'paper',
          link: `https://arxiv.org/abs/2608.${String(10000 + (i % 3000))}`,
          linkIn: random() < 0.6 ? 'external' : 'facet',
        }),
      );
    else if (roll < 0.75)
      events.push(jetstreamPost({ did, rkey: `3n${i}`, timeUs, text: `just a post number ${i}` }));
    else if (roll < 0.9) events.push(jetstreamDelete(did, `3p${Math.floor(random() * i)}`, timeUs));
    else if (roll < 0.95) events.push(jetstreamIdentity(did, `u${i}.bsky.social`, timeUs, i));
    else events.push(jetstreamAccount(did, true, timeUs, i));
  }
  return events;
}

async function benchListener(): Promise<void> {
  const events = stream(STREAM_EVENTS);
  const last = events[events.length - 1]!.time_us;
  const s = await startJetstreamStandIn(events, { burst: 1000, pauseMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'hp-bench-listen-'));
  const path = join(dir, 'hp.db');
  const db = openStore(path);
  saveStreamCursor(db, JETSTREAM, events[0]!.time_us - 1, new Date().toISOString());
  const before = statSync(path).size;
  try {
    const controller = new AbortController();
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const run = runListener({ url: s.url, db, log: silentLogger, signal: controller.signal });
    while (getStreamCursor(db, JETSTREAM) !== last) await new Promise((r) => setTimeout(r, 20));
    const wall = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    controller.abort();
    const stats = await run;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const grown = statSync(path).size - before;
    const cpuMs = (used.user + used.system) / 1000;
    console.log(
      `listener: ${stats.events} events (${stats.stored} posts linking papers stored, ${stats.deleted} deletions) ` +
        `in ${wall.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (stand-in in the same process) = ` +
        `${Math.round(stats.events / (wall / 1000))} events/s; store +${(grown / 1024).toFixed(0)} KB`,
    );
  } finally {
    db.close();
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run the Bluesky bench parts. */
export async function benchBluesky(): Promise<void> {
  await benchSweep(false);
  await benchSweep(true);
  await benchListener();
}
