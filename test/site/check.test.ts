/**
 * `site --check` and `--repair`: a built folder compared with its manifest, file by file, and a
 * damaged one rewritten whole. An incremental build never reads the files it keeps, so without
 * this a page deleted or edited after a build stays so.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { checkSite, describeCheck } from '../../src/site/check.js';
import { generateSiteToDir } from '../../src/site/generate.js';
import { JOURNAL_PATH } from '../../src/site/write.js';
import { type Db, openStore } from '../../src/store/db.js';
import { saveEnrichments } from '../../src/store/enrichment.js';
import { saveThumbnails } from '../../src/store/thumbnails.js';
import { originalName, thumbDirOf } from '../../src/thumbs/files.js';
import { runCli } from '../helpers/cli.js';
import { digest, fillStore, paper, post, ranked, sampleDigests } from './fixtures.js';
import { snapshot } from './same-as-full.js';

const dir = mkdtempSync(join(tmpdir(), 'hotpapers-site-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const BASE = 'https://example.org/';

/** A store of the sample days (with `thumbnail`, a paper's Hugging Face thumbnail), and a site built from it into `out`. */
async function builtSite(name: string, thumbnail = false): Promise<{ db: string; out: string }> {
  const db = join(dir, `${name}.db`);
  const h = openStore(db);
  fillStore(h, sampleDigests());
  if (thumbnail) await addThumbnail(h, db, '2106.00001');
  h.close();
  const out = join(dir, name);
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  return { db, out };
}

/** A cached Hugging Face thumbnail of `paperId`, as `post` stores one (resized by the build). */
async function addThumbnail(h: Db, db: string, paperId: string): Promise<void> {
  const url = `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${paperId}.png`;
  const image = await sharp({ create: { width: 640, height: 320, channels: 3, background: '#2a5ac8' } })
    .png()
    .toBuffer();
  const file = originalName(url, 'image/png');
  const thumbs = thumbDirOf(db)!;
  mkdirSync(thumbs, { recursive: true });
  writeFileSync(join(thumbs, file), image);
  const at = '2021-06-10T12:00:00.000Z';
  saveThumbnails(h, [
    {
      url,
      status: 'ok',
      file,
      contentType: 'image/png',
      bytes: image.length,
      width: 640,
      height: 320,
      checkedAt: at,
    },
  ]);
  saveEnrichments(h, [{ paperId, status: 'ok', thumbnail: url, fetchedAt: at }]);
}

test('a site as its builds left it is whole: every file listed, none unlisted, also after an incremental build', async () => {
  const { db, out } = await builtSite('whole', true);
  // The thumbnail is one of the files checked: a binary file, listed in a slice of its own.
  const thumbs = readdirSync(join(out, 'thumbs'));
  assert.equal(thumbs.length, 1);
  const first = checkSite(out);
  assert.equal(first.manifest, 'ok');
  assert.equal(first.whole, true, describeCheck(first).join('; '));
  assert.deepEqual([first.missing, first.changed, first.extra], [[], [], []]);
  // Every file of the folder but the manifest's head is listed.
  assert.equal(first.files, snapshot(out).size - 1);

  // A new day, built in place: the renamed files and the rewritten manifest agree.
  const h = openStore(db);
  fillStore(h, [digest('2021-06-11', [ranked(1, paper('2106.11111'), [post('x', '9001', 50, 150)])])]);
  h.close();
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  assert.ok(second.writtenPaths.includes('papers/2106.11111.html'));
  const again = checkSite(out);
  assert.equal(again.whole, true, describeCheck(again).join('; '));
  assert.equal(again.extra.length, 0);
  assert.equal(again.files, snapshot(out).size - 1);
  assert.ok(again.files > first.files);

  // The thumbnail's bytes changed in place: found like any page.
  const thumb = join(out, 'thumbs', thumbs[0]!);
  const bytes = readFileSync(thumb);
  bytes[bytes.length - 1] = bytes.at(-1)! ^ 0xff;
  writeFileSync(thumb, bytes);
  assert.deepEqual(checkSite(out).changed, [`thumbs/${thumbs[0]}`]);
});

test('a deleted page, an edited one, a page made a link and a stray file are each found', async () => {
  const { out } = await builtSite('damaged');
  unlinkSync(join(out, 'papers/2106.00002.html'));
  writeFileSync(join(out, 'index.html'), `${readFileSync(join(out, 'index.html'), 'utf8')}<!-- edited -->`);
  // A link to a copy of the same bytes is still not the page the build wrote.
  const day = join(out, 'days/2021-06-09.html');
  cpSync(day, join(dir, 'copy.html'));
  unlinkSync(day);
  symlinkSync(join(dir, 'copy.html'), day);
  writeFileSync(join(out, 'CNAME'), 'papers.example.org\n');
  mkdirSync(join(out, 'extra'));
  writeFileSync(join(out, 'extra/notes.txt'), 'mine');

  const check = checkSite(out);
  assert.equal(check.whole, false);
  assert.deepEqual(check.missing.sort(), ['days/2021-06-09.html', 'papers/2106.00002.html']);
  assert.deepEqual(check.changed, ['index.html']);
  assert.deepEqual(check.extra.sort(), ['CNAME', 'extra/notes.txt']);
  assert.deepEqual(describeCheck(check, 1), [
    `2 missing: ${check.missing[0]} and 1 more`,
    '1 not as the last build wrote them: index.html',
    `2 not written by hotpapers (a full build drops them): ${check.extra[0]} and 1 more`,
  ]);
});

test('stray files alone leave a site whole', async () => {
  const { out } = await builtSite('stray');
  // A file a user adds beside the site, as GitHub Pages' custom domain.
  writeFileSync(join(out, 'CNAME'), 'papers.example.org\n');
  const check = checkSite(out);
  assert.equal(check.whole, true);
  assert.deepEqual(check.extra, ['CNAME']);
});

test('a manifest missing, one with a slice gone, and a build that died mid-rename are named', async () => {
  const { out } = await builtSite('manifest');
  const saved = join(dir, 'manifest-saved');
  cpSync(join(out, '.hotpapers'), saved, { recursive: true });

  writeFileSync(join(out, JOURNAL_PATH), JSON.stringify({ renames: [], removals: [] }));
  const interrupted = checkSite(out);
  assert.equal(interrupted.interrupted, true);
  assert.equal(interrupted.whole, false);
  assert.match(describeCheck(interrupted)[0]!, /the next build finishes it/);
  unlinkSync(join(out, JOURNAL_PATH));

  const slices = snapshot(out);
  const slice = [...slices.keys()].find((p) => p.startsWith('.hotpapers/manifest/papers-'));
  assert.ok(slice, 'a paper slice of the manifest');
  unlinkSync(join(out, slice));
  const damaged = checkSite(out);
  assert.equal(damaged.manifest, 'damaged');
  assert.equal(damaged.whole, false);
  assert.match(damaged.manifestProblem ?? '', /missing/);

  rmSync(join(out, '.hotpapers'), { recursive: true });
  const none = checkSite(out);
  assert.equal(none.manifest, 'missing');
  assert.equal(none.whole, false);
  assert.deepEqual(
    [none.files, none.extra.length],
    [0, 0],
    'nothing can be told unlisted without a manifest',
  );

  cpSync(saved, join(out, '.hotpapers'), { recursive: true });
  assert.equal(checkSite(out).whole, true);
});

test('no folder, a folder hotpapers did not write, and a build in progress are refused in one line', async () => {
  assert.throws(
    () => checkSite(join(dir, 'nowhere')),
    /^HotpapersError: site: .*nowhere does not exist: no site to check$/,
  );
  const foreign = join(dir, 'foreign');
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'index.html'), 'hi');
  assert.throws(() => checkSite(foreign), /foreign was not written by hotpapers site: nothing to check$/);

  const { out } = await builtSite('locked');
  // The lock a live build holds: another live process's pid in the file beside the folder.
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    writeFileSync(join(dirname(out), `.${basename(out)}.lock`), String(sleeper.pid));
    assert.throws(
      () => checkSite(out),
      new RegExp(`a build \\(pid ${sleeper.pid}\\) is writing .*locked; check it when that ends`),
    );
  } finally {
    sleeper.kill();
  }
  await new Promise((resolve) => sleeper.once('exit', resolve));
  // A dead holder's lock is no build.
  assert.equal(checkSite(out).whole, true);
});

test('hotpapers site --check exits 1 naming the folder; --repair rewrites the site whole, as it was', async () => {
  const { db, out } = await builtSite('cli');
  const original = snapshot(out);
  const env = { HOTPAPERS_DB: db, HOTPAPERS_BASE_URL: BASE };

  const whole = await runCli(['site', '--check', '--out', out], env, { cwd: dir });
  assert.equal(whole.code, 0, whole.stderr);
  assert.equal(whole.stdout, `${out}: whole (${original.size - 1} files as the last build wrote them)\n`);
  assert.equal(whole.stderr, '');

  unlinkSync(join(out, 'papers/2106.00001.html'));
  writeFileSync(join(out, 'days/2021-06-10.html'), 'defaced');
  // A plain build trusts the manifest: it writes nothing and leaves the damage.
  const plain = await runCli(['site', '--out', out], env, { cwd: dir });
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stderr, /\(0 written, /);
  assert.equal(existsSync(join(out, 'papers/2106.00001.html')), false);

  const check = await runCli(['site', '--check', '--out', out], env, { cwd: dir });
  assert.equal(check.code, 1);
  assert.equal(
    check.stdout,
    `${out}:\n  1 missing: papers/2106.00001.html\n  1 not as the last build wrote them: days/2021-06-10.html\n`,
  );
  assert.equal(
    check.stderr,
    `site: ${out} is not as its last build wrote it: 1 missing: papers/2106.00001.html (\`hotpapers site --repair\` rewrites it)\n`,
  );
  const json = await runCli(['site', '--check', '--json', '--out', out], env, { cwd: dir });
  assert.equal(json.code, 1);
  const found = JSON.parse(json.stdout) as { whole: boolean; missing: string[]; changed: string[] };
  assert.deepEqual(
    [found.whole, found.missing, found.changed],
    [false, ['papers/2106.00001.html'], ['days/2021-06-10.html']],
  );

  const repair = await runCli(['site', '--repair', '--out', out], env, { cwd: dir });
  assert.equal(repair.code, 0, repair.stderr);
  assert.match(
    repair.stderr,
    /1 missing: papers\/2106\.00001\.html; 1 not as the last build wrote them: days\/2021-06-10\.html; rewriting it whole\n/,
  );
  assert.match(repair.stderr, /; 0 unchanged; /);
  const repaired = snapshot(out);
  assert.deepEqual([...repaired.keys()].sort(), [...original.keys()].sort());
  for (const [path, f] of original)
    if (path !== '.hotpapers/manifest.json') assert.ok(repaired.get(path)!.bytes.equals(f.bytes), path);
  assert.equal((await runCli(['site', '--check', '--out', out], env, { cwd: dir })).code, 0);

  // On a whole site, --repair is a plain incremental build.
  const nothing = await runCli(['site', '--repair', '--out', out], env, { cwd: dir });
  assert.equal(nothing.code, 0, nothing.stderr);
  assert.doesNotMatch(nothing.stderr, /rewriting it whole/);
  assert.match(nothing.stderr, /\(0 written, /);

  // No site there yet (an empty folder): --repair builds one, as a plain build does.
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  const first = await runCli(['site', '--repair', '--out', empty], env, { cwd: dir });
  assert.equal(first.code, 0, first.stderr);
  assert.doesNotMatch(first.stderr, /rewriting it whole/);
  assert.ok(existsSync(join(empty, 'index.html')));
  // A folder hotpapers did not write is refused as a plain build refuses it, and left as it was.
  const foreign = join(dir, 'theirs');
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'index.html'), 'theirs');
  const refused = await runCli(['site', '--repair', '--out', foreign], env, { cwd: dir });
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /^site: .*theirs is not empty and was not written by hotpapers site; choose another --out\n$/,
  );
  assert.equal(readFileSync(join(foreign, 'index.html'), 'utf8'), 'theirs');

  const usage = await runCli(['site', '--check', '--full', '--out', out], env, { cwd: dir });
  assert.equal(usage.code, 2);
  assert.equal(usage.stderr, 'site: --check builds nothing: it cannot go with --full\n');
});
