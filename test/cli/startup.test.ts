/**
 * Issue 9 item 7: `--version` loads the entry point alone; `--help` the commands' summaries
 * alone (no commander); a command's help commander and the command definitions only; each
 * command loads its implementation when it runs, cheerio only for catchup pages and luxon only
 * for a command that checks a date.
 * Checked by recording the modules a real CLI process loads (a loader hook), never by time.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const RECORDER = join(ROOT, 'test', 'helpers', 'record-modules.mjs');
// The children run in a temporary cwd, so tsx is passed by its resolved location.
const TSX = import.meta.resolve('tsx');
const dir = mkdtempSync(join(tmpdir(), 'hp-startup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** Run node with the recorder; the loaded modules as paths relative to the repository. */
function loadedBy(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; modules: string[] } {
  const log = join(dir, `modules-${++runs}.txt`);
  const child = spawnSync(process.execPath, ['--import', TSX, '--import', RECORDER, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: dir, HOTPAPERS_MODULE_LOG: log, ...env },
  });
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    // nothing recorded
  }
  const modules = [...new Set(text.split('\n').filter(Boolean))].map((url) =>
    relative(ROOT, fileURLToPath(url.split('?')[0]!)),
  );
  return { status: child.status, modules };
}

/** The npm packages among loaded modules. */
function packages(modules: string[]): string[] {
  const names = new Set<string>();
  for (const m of modules) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(m);
    if (match) names.add(match[1]!);
  }
  return [...names].sort();
}

/** What a command's help may load: the CLI's own definitions and the few tiny modules they name. */
const LIGHT = [
  /^src\/cli\/(main|program|commander|options|help|root-help|usage)\.ts$/,
  /^src\/cli\/commands\/[a-z-]+\.ts$/,
  /^src\/(version|errors)\.ts$/,
  /^src\/util\/(text|log|redact)\.ts$/,
  /^src\/ops\/workflow\.ts$/,
  /^src\/demo\/day\.ts$/,
];

function heavy(modules: string[]): string[] {
  return modules.filter((m) => m.startsWith('src/') && !LIGHT.some((re) => re.test(m)));
}

for (const args of [['--version'], ['-V']]) {
  test(`hotpapers ${args[0]} loads the entry point and the version only`, () => {
    const run = loadedBy([MAIN, ...args]);
    assert.equal(run.status, 0);
    assert.deepEqual(run.modules.filter((m) => !m.startsWith('test/')).sort(), [
      'src/cli/main.ts',
      'src/version.ts',
    ]);
  });
}

for (const args of [['--help'], ['-h']]) {
  test(`hotpapers ${args[0]} loads the root help's own modules, not commander`, () => {
    const run = loadedBy([MAIN, ...args]);
    assert.equal(run.status, 0);
    assert.deepEqual(run.modules.filter((m) => !m.startsWith('test/')).sort(), [
      'src/cli/commands/summaries.ts',
      'src/cli/help.ts',
      'src/cli/main.ts',
      'src/cli/root-help.ts',
      'src/demo/day.ts',
      'src/version.ts',
    ]);
  });
}

for (const args of [
  ['post', '--help'],
  ['help', 'site'],
  ['--log-format', 'json', '--version'],
]) {
  test(`hotpapers ${args.join(' ')} loads commander and the command definitions only`, () => {
    const run = loadedBy([MAIN, ...args]);
    assert.equal(run.status, 0);
    assert.ok(run.modules.includes('src/cli/program.ts'), 'the recorder saw the program');
    assert.deepEqual(packages(run.modules), ['commander']);
    assert.deepEqual(
      heavy(run.modules),
      [],
      'command modules must import their implementation inside the action',
    );
  });
}

test('the recorder sees what a command loads when it runs: post loads the pipeline, not the site or cheerio', () => {
  // A Saturday: the action loads its modules, then refuses the date (exit 2) before any work.
  const run = loadedBy([MAIN, 'post', '--date', '2021-06-12'], { HOTPAPERS_DB: join(dir, 'hp.db') });
  assert.equal(run.status, 2);
  assert.ok(run.modules.includes('src/pipeline/post.ts'));
  // zod itself is loaded through the code cache (src/util/zod.ts), out of the loader hook's sight.
  assert.ok(run.modules.includes('src/util/zod.ts'), 'the config validator is loaded when the command runs');
  assert.deepEqual(
    run.modules.filter((m) => m.startsWith('src/site/')),
    [],
    'post does not load the site builder',
  );
  assert.ok(!packages(run.modules).includes('cheerio'), 'cheerio only when a catchup page is read');
});

test('site loads the site builder, not the mailing calendar (luxon) or the pipeline', async () => {
  // A store of the site tests' sample days.
  const [{ openStore }, { fillStore, sampleDigests }] = await Promise.all([
    import('../../src/store/db.js'),
    import('../site/fixtures.js'),
  ]);
  const db = join(dir, 'site.db');
  const store = openStore(db);
  try {
    fillStore(store, sampleDigests());
  } finally {
    store.close();
  }
  const run = loadedBy([MAIN, 'site', '--db', db, '--out', join(dir, 'public'), '--quiet'], {
    HOTPAPERS_BASE_URL: 'https://example.org/',
  });
  assert.equal(run.status, 0);
  assert.ok(run.modules.includes('src/site/build.ts'), 'the recorder saw the build');
  // Only commands that take a --date check it against the calendar (src/cli/dates.ts).
  assert.ok(!packages(run.modules).includes('luxon'), 'luxon only when a date is checked');
  assert.ok(!run.modules.includes('src/arxiv/schedule.ts'));
  assert.deepEqual(
    run.modules.filter((m) => m.startsWith('src/pipeline/')),
    [],
    'site does not load the pipeline',
  );
});

test('cheerio is loaded with the catchup reader, and only then', () => {
  const listing = loadedBy([
    '--input-type=module',
    '-e',
    `await import(${JSON.stringify(join(ROOT, 'src/arxiv/listing.ts'))});`,
  ]);
  assert.equal(listing.status, 0);
  assert.ok(listing.modules.includes('src/arxiv/api.ts'));
  assert.ok(!packages(listing.modules).includes('cheerio'));
  const catchup = loadedBy([
    '--input-type=module',
    '-e',
    `await import(${JSON.stringify(join(ROOT, 'src/arxiv/catchup.ts'))});`,
  ]);
  assert.equal(catchup.status, 0);
  assert.ok(packages(catchup.modules).includes('cheerio'));
});
