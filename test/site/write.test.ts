import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SITE_MARKER, type SiteFiles } from '../../src/site/build.js';
import { prewarmSiteThreads, spareWriterThread } from '../../src/site/threads.js';
import { openSiteWriter, openThreadedSiteWriter, writeSite } from '../../src/site/write.js';

const dir = mkdtempSync(join(tmpdir(), 'hotpapers-site-write-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const site = (pages: Record<string, string>): SiteFiles =>
  new Map<string, string | Buffer>([[SITE_MARKER, 'x'], ...Object.entries(pages)]);

test('writeSite replaces the folder whole and leaves no temporary folder', () => {
  const out = join(dir, 'a', 'public');
  const first = writeSite(
    site({ 'index.html': 'one', 'days/2021-06-09.html': 'day', 'assets/f.woff2': 'font' }),
    out,
  );
  assert.equal(first.files, 4);
  assert.equal(readFileSync(join(out, 'days/2021-06-09.html'), 'utf8'), 'day');
  writeSite(site({ 'index.html': 'two', 'papers/1.html': 'paper' }), out);
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'two');
  assert.equal(existsSync(join(out, 'days')), false, 'files of the old site are gone');
  assert.deepEqual(readdirSync(join(dir, 'a')), ['public']);
});

test('a failed build leaves the previous site untouched', () => {
  const out = join(dir, 'b');
  writeSite(site({ 'index.html': 'good' }), out);
  const bad = site({ 'index.html': 'new', 'x/../../../escape.html': 'no' });
  assert.throws(
    () => writeSite(bad, out),
    /^HotpapersError: site: refusing to write outside the site: x\/\.\.\/\.\.\/\.\.\/escape\.html$/,
  );
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'good');
  assert.deepEqual(readdirSync(dir).sort(), ['a', 'b']);
  assert.equal(existsSync(join(dir, '..', 'escape.html')), false);
});

test('writeSite refuses to replace a folder it did not write', () => {
  const out = join(dir, 'c');
  mkdirSync(out);
  writeFileSync(join(out, 'thesis.tex'), 'precious');
  assert.throws(
    () => writeSite(site({ 'index.html': 'x' }), out),
    /site: .*c is not empty and was not written by hotpapers site; choose another --out/,
  );
  assert.equal(readFileSync(join(out, 'thesis.tex'), 'utf8'), 'precious');
});

test('leftovers of a build that died are cleaned up by the next one', () => {
  const out = join(dir, 'd');
  const stale = join(dir, '.d.site-999999999-0123abcd');
  mkdirSync(stale);
  writeFileSync(join(stale, 'index.html'), 'half');
  writeSite(site({ 'index.html': 'whole' }), out);
  assert.equal(existsSync(stale), false);
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'whole');
});

test('a streaming writer that is aborted leaves the old site and no temporary folder', () => {
  const out = join(dir, 'e');
  writeSite(site({ 'index.html': 'old' }), out);
  const writer = openSiteWriter(out);
  writer.add(SITE_MARKER, 'x');
  writer.add('index.html', 'new');
  assert.ok(
    readdirSync(dir).some((n) => n.startsWith('.e.site-')),
    'pages go to a temporary folder first',
  );
  writer.abort();
  assert.throws(() => writer.add('late.html', 'x'), /^HotpapersError: site: the site writer is closed$/);
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'old');
  assert.ok(!readdirSync(dir).some((n) => n.startsWith('.e.')));
  const second = openSiteWriter(out);
  second.add(SITE_MARKER, 'x');
  second.add('index.html', 'new');
  assert.deepEqual(second.commit(), { dir: out, files: 2, bytes: 4 });
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'new');
});

test('the threaded writer writes every file in a worker, then swaps the folder in', async () => {
  const out = join(dir, 'f');
  writeSite(site({ 'index.html': 'old', 'gone.html': 'x' }), out);
  const writer = openThreadedSiteWriter(out);
  writer.add(SITE_MARKER, 'x');
  writer.add('index.html', Buffer.from('new'));
  for (let i = 0; i < 200; i++) writer.add(`papers/${i}.html`, `paper ${i}`);
  const result = await writer.commit();
  assert.equal(result.files, 202);
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'new');
  assert.equal(readFileSync(join(out, 'papers/199.html'), 'utf8'), 'paper 199');
  assert.equal(existsSync(join(out, 'gone.html')), false);
  assert.ok(!readdirSync(dir).some((n) => n.startsWith('.f.')));
});

test('a file the worker cannot write fails the commit in one line and keeps the old site', async () => {
  const out = join(dir, 'g');
  writeSite(site({ 'index.html': 'old' }), out);
  const writer = openThreadedSiteWriter(out);
  writer.add(SITE_MARKER, 'x');
  writer.add('a/b.html', 'file');
  // `a` is a folder now, so writing it as a file fails in the worker.
  writer.add('a', 'not a folder');
  await assert.rejects(
    writer.commit(),
    /^HotpapersError: site: cannot write .*g \(EISDIR: illegal operation on a directory, open '.*'\)$/,
  );
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'old');
  assert.ok(!readdirSync(dir).some((n) => n.startsWith('.g.')));
  const aborted = openThreadedSiteWriter(out);
  aborted.add('index.html', 'half');
  await aborted.abort();
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'old');
  assert.ok(!readdirSync(dir).some((n) => n.startsWith('.g.')));
});

/** A threaded writer whose thread (the spare one, so the test holds it) has written a first batch. */
function writerWithItsThread(out: string) {
  prewarmSiteThreads();
  const thread = spareWriterThread();
  assert.ok(thread, 'a spare writer thread');
  const writer = openThreadedSiteWriter(out);
  writer.add(SITE_MARKER, 'x');
  // More than a batch: the first goes to the thread, which is the spare one.
  for (let i = 0; i < 100; i++) writer.add(`papers/${i}.html`, `paper ${i}`);
  assert.equal(spareWriterThread(), undefined, 'the spare thread was taken');
  return { writer, thread };
}

/** Make `thread` die as an unexpected error would: a message it does not know makes it throw. */
async function kill(thread: NonNullable<ReturnType<typeof spareWriterThread>>): Promise<void> {
  // Not events.once: it would reject on the thread's 'error'. Held: a spare thread is unreferenced.
  const exited = new Promise((resolve) => thread.once('exit', resolve));
  thread.ref();
  thread.postMessage({});
  await exited;
}

test('a writer thread that dies during a build stops the next write at once, in one line; the old site stays', async () => {
  const out = join(dir, 'h');
  writeSite(site({ 'index.html': 'old' }), out);
  const { writer, thread } = writerWithItsThread(out);
  await kill(thread);
  // Without the count the thread leaves, the builder would wait on it (a minute per batch).
  assert.throws(() => {
    for (let i = 100; i < 400; i++) writer.add(`papers/${i}.html`, `paper ${i}`);
  }, /^HotpapersError: site: cannot write the site \(the writer thread stopped\)$/);
  await writer.abort();
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'old');
  assert.ok(!readdirSync(dir).some((n) => n.startsWith('.h.')));
});

test('a commit after its writer thread died fails in one line and keeps the old site', async () => {
  const out = join(dir, 'i');
  writeSite(site({ 'index.html': 'old' }), out);
  const { writer, thread } = writerWithItsThread(out);
  await kill(thread);
  await assert.rejects(
    writer.commit(),
    /^HotpapersError: site: cannot write .*i \(the writer thread stopped\)$/,
  );
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'old');
  assert.ok(!readdirSync(dir).some((n) => n.startsWith('.i.')));
});

test('a spare writer thread that dies before it is taken neither crashes the process nor is used', async () => {
  prewarmSiteThreads();
  const spare = spareWriterThread();
  assert.ok(spare);
  // Unheard, the thread's error would crash this process here.
  await kill(spare);
  const out = join(dir, 'j');
  const writer = openThreadedSiteWriter(out);
  writer.add(SITE_MARKER, 'x');
  for (let i = 0; i < 200; i++) writer.add(`papers/${i}.html`, `paper ${i}`);
  const result = await writer.commit();
  assert.equal(result.files, 201);
  assert.equal(readFileSync(join(out, 'papers/199.html'), 'utf8'), 'paper 199');
});
