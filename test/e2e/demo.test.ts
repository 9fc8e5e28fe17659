/** `hotpapers demo` (npm start): the bundled day, offline, reproduces the seed per DESIGN §7. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { normaliseAllowed, SEED_DIR } from '../helpers/replay.js';

it('demo writes the 2021-06-09 post, matching the seed but for the documented differences', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-demo-'));
  const result = await runCli(['demo', '--out', join(dir, 'posts'), '--db', join(dir, 'hp.db')], {});
  assert.equal(result.code, 0, result.stderr);
  const path = join(dir, 'posts', '2021-06-09---Hot-Papers.md');
  assert.equal(result.stdout.trim(), path, 'prints the path of the post');
  // It ends by naming the next step, with the same store.
  assert.equal(
    result.stderr.trim().split('\n').at(-1),
    `next: npx hotpapers site --db ${join(dir, 'hp.db')}, then npx hotpapers serve --db ${join(dir, 'hp.db')} (open the printed URL)`,
  );
  const ours = readFileSync(path, 'utf8');
  const seed = readFileSync(join(SEED_DIR, '2021-06-09---Hot-Papers.md'), 'utf8');
  assert.equal(normaliseAllowed(ours), normaliseAllowed(seed));
  assert.match(ours, /^date: 2021-06-10T18:07:48\.000Z$/m);
  assert.equal(ours.match(/\(06\/10\/2021 18:07:48\)$/gm)?.length, 24);
  // --json --quiet: the summary on stdout, nothing on stderr.
  const json = await runCli(
    ['demo', '--out', join(dir, 'posts'), '--db', join(dir, 'hp.db'), '--json', '--quiet'],
    {},
  );
  assert.equal(json.code, 0, json.stderr);
  assert.equal(json.stderr, '');
  const summary = JSON.parse(json.stdout) as { path: string; ranked: number; written: boolean };
  assert.deepEqual([summary.path, summary.ranked, summary.written], [path, 24, false]);
  // Every embed of the seed is there, byte for byte.
  const embeds = (text: string) => text.match(/^<blockquote[\s\S]*?<\/script>$/gm) ?? [];
  assert.deepEqual(embeds(ours), embeds(seed));

  // status after the demo: its runs are the demo's (against stand-ins: no X spend), and a store
  // holding the demo's 2021 day only owes no post for the days since.
  const status = await runCli(['status', '--db', join(dir, 'hp.db')], {});
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^ {2}demo 2021-06-09: ok, started /m);
  assert.match(status.stdout, /^days: none due: the store holds the demo's day only/m);
  assert.doesNotMatch(status.stdout, /^x, last/m);
  assert.equal(status.stderr, '');
});
