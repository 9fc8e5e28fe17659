/** `serve` keeps answering while a rebuild runs, rebuilds once per finished run, and says what a rebuild did to the thumbnails. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { generationBuilder } from '../../src/site/rebuild.js';
import { startSiteServer } from '../../src/site/server.js';
import { openStore } from '../../src/store/db.js';
import { finishedWorkSignature, finishRun, startRun } from '../../src/store/runs.js';
import { saveThumbnails } from '../../src/store/thumbnails.js';
import { originalName, thumbDirOf } from '../../src/thumbs/files.js';
import type { DayDigest } from '../../src/types.js';
import { digest, fillStore, paper, post, ranked, sampleDigests } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'hotpapers-site-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function days(n: number): DayDigest[] {
  const out: DayDigest[] = [];
  const d = new Date(Date.UTC(2021, 4, 28));
  let k = 0;
  while (out.length < n) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) {
      const day = d.toISOString().slice(0, 10);
      out.push(
        digest(day, [
          ranked(1, paper(`2105.${String(k * 2).padStart(5, '0')}`), [post('x', `a${k}`, 30, 90)]),
          ranked(2, paper(`2105.${String(k * 2 + 1).padStart(5, '0')}`), [post('x', `b${k}`, 5, 60)]),
        ]),
      );
      k++;
    }
    d.setUTCDate(d.getUTCDate() - 1);
  }
  return out;
}

const waitFor = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 10));
};

test('serve answers, with the previous site, while a rebuild runs in a worker', async () => {
  const db = join(dir, 'busy.db');
  const store = openStore(db);
  fillStore(store, [...sampleDigests(), ...days(300)]);
  store.close();
  // Full rebuilds (long enough for requests to overlap them).
  const builder = generationBuilder({ db, baseUrl: 'http://127.0.0.1/', full: true });
  const server = await startSiteServer({
    build: () => builder.build(),
    port: 0,
    signature: () => 'never changes',
  });
  try {
    const before = await (await fetch(new URL('days/2021-06-10.html', server.url))).text();
    assert.ok(before.includes('Old Style Identifier'));
    // A new day lands; the rebuild starts; requests keep coming back whole and from the old site.
    const handle = openStore(db);
    fillStore(handle, [
      digest('2021-06-11', [
        ranked(1, paper('2106.55555', { title: 'Fresh Paper' }), [post('x', '5', 30, 30)]),
      ]),
    ]);
    handle.close();
    const rebuilt = server.rebuild();
    let answeredDuring = 0;
    while (server.building()) {
      const res = await fetch(new URL('days/2021-06-10.html', server.url));
      const body = await res.text();
      const fresh = await fetch(new URL('days/2021-06-11.html', server.url));
      await fresh.arrayBuffer();
      // Both answers came while the rebuild was still running (the flag was never unset between).
      const stillBuilding = server.building() && server.builds() === 1;
      assert.equal(res.status, 200);
      assert.ok(body.includes('Old Style Identifier') && body.endsWith('</html>\n'), 'a whole page');
      if (stillBuilding) {
        answeredDuring++;
        // Until the new site is whole, the old one is served: no link to the new day yet.
        assert.ok(!body.includes('2021-06-11'));
        assert.equal(fresh.status, 404);
      }
    }
    await rebuilt;
    assert.ok(answeredDuring > 0, 'requests were answered while the rebuild ran');
    assert.equal(server.builds(), 2);
    const fresh = await fetch(new URL('days/2021-06-11.html', server.url));
    assert.equal(fresh.status, 200);
    assert.ok((await fresh.text()).includes('Fresh Paper'));
    assert.ok(
      (await (await fetch(new URL('days/2021-06-10.html', server.url))).text()).includes('2021-06-11'),
    );
    assert.equal((await fetch(new URL('.hotpapers/manifest.json', server.url))).status, 404);
  } finally {
    await server.close();
    builder.close();
  }
});

test('one rebuild per finished run: nothing while the run writes, one when it ends', async () => {
  const db = join(dir, 'runs.db');
  const store = openStore(db);
  fillStore(store, sampleDigests());
  const reader = new Database(db, { readonly: true });
  let last = '';
  const server = await startSiteServer({
    build: () => new Map([['index.html', 'site']]),
    port: 0,
    pollMs: 10,
    debounceMs: 10,
    signature: () => {
      last = finishedWorkSignature(reader, Date.now()) ?? last;
      return last;
    },
  });
  try {
    const polls = async (n: number) => {
      const target = server.polls() + n;
      await waitFor(() => server.polls() >= target);
    };
    // A run starts and writes its digests in several steps, as `post` does.
    const id = startRun(store, 'post', '2021-06-11', new Date().toISOString());
    await polls(5);
    fillStore(store, [digest('2021-06-11', [ranked(1, paper('2106.1'), [post('x', '61', 30, 30)])])]);
    await polls(5);
    fillStore(store, [
      digest('2021-06-11', [ranked(1, paper('2106.2'), [post('x', '62', 30, 30)])], { horizon: '24h' }),
    ]);
    await polls(5);
    assert.equal(server.builds(), 1, 'no rebuild while the run is writing');
    finishRun(store, id, { status: 'ok', endedAt: new Date().toISOString() });
    await waitFor(() => server.builds() === 2 && !server.building());
    await polls(10);
    assert.equal(server.builds(), 2, 'exactly one rebuild after the run');
  } finally {
    await server.close();
    reader.close();
    store.close();
  }
});

test('a rebuild says what it did to the thumbnails, as `site` does, and warns of an image it cannot resize', async () => {
  const db = join(dir, 'thumbs.db');
  const store = openStore(db);
  fillStore(store, sampleDigests());
  const thumbs = thumbDirOf(db)!;
  mkdirSync(thumbs);
  const image = await sharp({ create: { width: 640, height: 320, channels: 3, background: '#2a5ac8' } })
    .png()
    .toBuffer();
  const record = (name: string, bytes: number) => {
    const url = `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${name}.png`;
    return {
      url,
      status: 'ok' as const,
      file: originalName(url, 'image/png'),
      contentType: 'image/png',
      bytes,
      width: 640,
      height: 320,
      checkedAt: '2021-06-10T12:00:00.000Z',
    };
  };
  const good = record('2106.00001', image.length);
  const bad = record('2106.00002', 12);
  writeFileSync(join(thumbs, good.file), image);
  writeFileSync(join(thumbs, bad.file), 'not an image');
  saveThumbnails(store, [good, bad]);
  store.close();
  const warnings: string[] = [];
  const notes: string[] = [];
  const builder = generationBuilder(
    { db, baseUrl: 'http://127.0.0.1/' },
    (w) => warnings.push(w),
    (line) => notes.push(line),
  );
  try {
    await builder.build();
    assert.deepEqual(notes, [
      `thumbnails: 1 copy made, 1 original deleted (${(image.length / 1e6).toFixed(1)} MB)`,
    ]);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, new RegExp(`^thumbnails: cannot resize ${bad.file} \\(`));
    assert.ok(!existsSync(join(thumbs, good.file)), 'the copied original is deleted');
    assert.ok(existsSync(join(thumbs, bad.file)), 'the one that failed is kept, to be tried again');
    // Nothing new since: the next rebuild prints no thumbnails line.
    await builder.build();
    assert.equal(notes.length, 1, notes.join('\n'));
  } finally {
    builder.close();
  }
});
