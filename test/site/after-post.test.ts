/** The site built from a store filled by a real `post` run (the offline demo day, on loopback stand-ins). */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runDemo } from '../../src/demo/run.js';
import { generateSite } from '../../src/site/generate.js';
import { writeSite } from '../../src/site/write.js';
import { silentLogger } from '../../src/util/log.js';

const dir = mkdtempSync(join(tmpdir(), 'hotpapers-site-after-post-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('after a post run, the site has index, day and paper pages and feeds that parse', async () => {
  const db = join(dir, 'hp.db');
  const run = await runDemo({ db, outDir: join(dir, 'posts'), log: silentLogger });
  const ranked = run.digest.papers;
  assert.ok(ranked.length > 0);
  const built = generateSite({ db, baseUrl: 'https://example.org/' });
  assert.deepEqual(built.warnings, []);
  const out = join(dir, 'public');
  writeSite(built.files, out);
  assert.ok(existsSync(join(out, 'index.html')));
  const day = readFileSync(join(out, `days/${run.day}.html`), 'utf8');
  assert.equal((day.match(/<li class="paper"/g) ?? []).length, ranked.length);
  for (const r of ranked) assert.ok(existsSync(join(out, `papers/${r.paper.id}.html`)), r.paper.id);
  const top = readFileSync(join(out, `papers/${ranked[0]!.paper.id}.html`), 'utf8');
  assert.ok(top.includes(`<h2>Posts (${ranked[0]!.posts.length})</h2>`));
  // One run stores one snapshot: the page says so instead of drawing a one-dot chart.
  assert.ok(!top.includes('<figure class="chart">'), 'no chart from a single snapshot');
  assert.ok(top.includes('One snapshot so far'), 'the single snapshot is stated');
  assert.ok(!/<script/i.test(day), 'static cards: no script on a day page');

  const parser = new XMLParser({ ignoreAttributes: false });
  for (const feed of ['atom.xml', 'rss.xml']) {
    const text = readFileSync(join(out, feed), 'utf8');
    assert.equal(XMLValidator.validate(text), true, feed);
    assert.ok(JSON.stringify(parser.parse(text)).includes(`days/${run.day}.html`), feed);
  }
  const json = JSON.parse(readFileSync(join(out, 'feed.json'), 'utf8'));
  assert.equal(json.items[0].url, `https://example.org/days/${run.day}.html`);

  // With live embeds, the stored oEmbed HTML is shown, still sanitised: only the widget script.
  const live = generateSite({ db, baseUrl: 'https://example.org/', liveEmbeds: true })
    .files.get(`days/${run.day}.html`)!
    .toString();
  const scripts = live.match(/<script[^>]*>/g) ?? [];
  assert.ok(scripts.length > 0, 'the demo stores embeds');
  for (const s of scripts)
    assert.equal(s, '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8">');
});
