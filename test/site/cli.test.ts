import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { generateSite } from '../../src/site/generate.js';
import { startSiteServer } from '../../src/site/server.js';
import { openStore } from '../../src/store/db.js';
import { digest, fillStore, paper, post, ranked, sampleDigests } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'hotpapers-site-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const MAIN = join(import.meta.dirname, '../../src/cli/main.ts');
// The children run in a temporary cwd, so tsx is passed by its resolved location.
const TSX = import.meta.resolve('tsx');

function makeStore(name: string): string {
  const path = join(dir, name);
  const db = openStore(path);
  fillStore(db, sampleDigests());
  db.close();
  return path;
}

/** Env without the caller's HOTPAPERS_* settings, so the test sees defaults. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HOTPAPERS_')) env[k] = v;
  return { ...env, ...extra };
}

test('hotpapers site --out DIR writes index, day and paper pages and feeds that parse', () => {
  const db = makeStore('site.db');
  const out = join(dir, 'public');
  const run = spawnSync(
    process.execPath,
    ['--import', TSX, MAIN, 'site', '--out', out, '--db', db, '--base-url', 'https://example.org/hp/'],
    {
      encoding: 'utf8',
      env: cleanEnv(),
      cwd: dir,
    },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), out);
  assert.match(
    run.stderr,
    /^site: 3 days, 5 papers, \d+ files \(\d+ written, [\d.]+ MB; 0 unchanged; lists from every day\) → .+public in \d+ ms$/m,
  );
  for (const p of [
    'index.html',
    'days/2021-06-09.html',
    'papers/2106.00001.html',
    'papers/2106.00003.html',
    'search.html',
  ]) {
    assert.ok(existsSync(join(out, p)), p);
  }
  for (const p of ['atom.xml', 'rss.xml', 'categories/cs.LG.atom.xml']) {
    assert.equal(XMLValidator.validate(readFileSync(join(out, p), 'utf8')), true, p);
  }
  const json = JSON.parse(readFileSync(join(out, 'feed.json'), 'utf8'));
  assert.equal(json.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(json.feed_url, 'https://example.org/hp/feed.json');
  const paperPage = readFileSync(join(out, 'papers/2106.00003.html'), 'utf8');
  assert.ok(!paperPage.includes('<script>window.__pwned'), 'the hostile title is never a script');
  assert.ok(paperPage.includes('&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;'));
});

test('hotpapers site reads HOTPAPERS_BASE_URL and HOTPAPERS_SITE_DIR, and reports a bad base URL in one line', () => {
  const db = makeStore('env.db');
  const ok = spawnSync(process.execPath, ['--import', TSX, MAIN, 'site', '--db', db, '--quiet'], {
    encoding: 'utf8',
    env: cleanEnv({ HOTPAPERS_BASE_URL: 'https://env.example/', HOTPAPERS_SITE_DIR: join(dir, 'env-site') }),
    cwd: dir,
  });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stderr, '');
  assert.ok(
    readFileSync(join(dir, 'env-site', 'atom.xml'), 'utf8').includes('<id>https://env.example/atom.xml</id>'),
  );
  const bad = spawnSync(
    process.execPath,
    ['--import', TSX, MAIN, 'site', '--db', db, '--base-url', 'javascript:alert(1)'],
    {
      encoding: 'utf8',
      env: cleanEnv(),
      cwd: dir,
    },
  );
  assert.equal(bad.status, 2, 'a bad flag value is a usage error');
  assert.equal(bad.stderr, 'config: --base-url must be an http(s) URL, got "javascript:alert(1)"\n');
});

test('a missing store builds an empty site with a warning, and creates no store', () => {
  const missing = join(dir, 'none', 'hotpapers.db');
  const result = generateSite({ db: missing, baseUrl: 'http://localhost:8080/' });
  assert.deepEqual(result.warnings, [`site: no store at ${missing} yet (run hotpapers post first)`]);
  assert.equal(result.days, 0);
  assert.ok(result.files.get('index.html')?.toString().includes('No days yet'));
  assert.equal(existsSync(missing), false);
});

test('the preview server serves the site and rebuilds when the store changes', async () => {
  const db = makeStore('serve.db');
  const server = await startSiteServer({
    build: () => generateSite({ db, baseUrl: 'http://127.0.0.1/' }).files,
    watch: [db, `${db}-wal`],
    port: 0,
    pollMs: 20,
    debounceMs: 20,
  });
  try {
    const index = await fetch(server.url);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.ok((await index.text()).includes('Thursday 10 June 2021'));
    const font = await fetch(new URL('assets/katex/fonts/KaTeX_Main-Regular.woff2', server.url));
    assert.equal(font.headers.get('content-type'), 'font/woff2');
    const missing = await fetch(new URL('nope.html', server.url));
    assert.equal(missing.status, 404);
    assert.ok((await missing.text()).includes('<h1>Not found</h1>'));
    assert.equal((await fetch(new URL('.hotpapers-site', server.url))).status, 404);
    assert.equal((await fetch(new URL('days/', server.url))).status, 404);
    assert.equal((await fetch(server.url, { method: 'POST' })).status, 405);

    // A new day lands in the store: the server notices and serves it (polling, no timing asserted).
    const store = openStore(db);
    fillStore(store, [
      digest('2021-06-11', [
        ranked(1, paper('2106.55555', { title: 'Fresh Paper' }), [post('x', '5', 30, 30)]),
      ]),
    ]);
    store.close();
    let page: Response | undefined;
    for (let i = 0; i < 500; i++) {
      page = await fetch(new URL('days/2021-06-11.html', server.url));
      if (page.status === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(page?.status, 200);
    assert.ok((await page!.text()).includes('Fresh Paper'));
    assert.ok(server.builds() >= 2);
  } finally {
    await server.close();
  }
});

test('hotpapers serve --port 0 prints its URL and serves the index', async () => {
  const db = makeStore('serve-cli.db');
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'serve', '--port', '0', '--db', db], {
    env: cleanEnv(),
    cwd: dir,
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const res = await fetch(new URL('papers/2106.00001.html', url));
    assert.equal(res.status, 200);
    assert.ok((await res.text()).includes('Scaling <span class="katex">'));
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
  }
});
