import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isAlive, isTempName, removeStaleTemps, writeFileAtomic } from '../../src/util/atomic.js';

/** The temporary folders made here, removed when the file's tests end. */
const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-atomic-'));
  made.push(dir);
  return dir;
};

/** A pid that is certainly dead: a child that already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

test('writeFileAtomic - writes a new file, creating folders, and reports true', async () => {
  const dir = tmp();
  const path = join(dir, 'a', 'b', 'post.md');
  assert.equal(await writeFileAtomic(path, 'héllo\n'), true);
  assert.equal(readFileSync(path, 'utf8'), 'héllo\n');
  assert.deepEqual(readdirSync(join(dir, 'a', 'b')), ['post.md']);
});

test('writeFileAtomic - identical content is not rewritten and reports false', async () => {
  const dir = tmp();
  const path = join(dir, 'post.md');
  await writeFileAtomic(path, 'same');
  const before = statSync(path);
  assert.equal(await writeFileAtomic(path, Buffer.from('same')), false);
  const after = statSync(path);
  assert.equal(after.ino, before.ino);
  assert.equal(after.mtimeMs, before.mtimeMs);
});

test('writeFileAtomic - changed content replaces the file (new inode: renamed, not edited in place)', async () => {
  const dir = tmp();
  const path = join(dir, 'post.md');
  await writeFileAtomic(path, 'old');
  const before = statSync(path);
  assert.equal(await writeFileAtomic(path, 'new content'), true);
  assert.equal(readFileSync(path, 'utf8'), 'new content');
  assert.notEqual(statSync(path).ino, before.ino);
  assert.deepEqual(readdirSync(dir), ['post.md']);
});

test('writeFileAtomic - removes temp files a killed writer left for the same target', async () => {
  const dir = tmp();
  const pid = await deadPid();
  const stale = `.post.md.${pid}.0badc0de.tmp`;
  const other = `.other.md.${pid}.0badc0de.tmp`;
  writeFileSync(join(dir, stale), 'half a po');
  writeFileSync(join(dir, other), 'half');
  await writeFileAtomic(join(dir, 'post.md'), 'whole post');
  assert.deepEqual(readdirSync(dir).sort(), [other, 'post.md'].sort());
});

test('removeStaleTemps - keeps temps of live processes and foreign files', async () => {
  const dir = tmp();
  const dead = await deadPid();
  writeFileSync(join(dir, `.x.md.${dead}.00000000.tmp`), '');
  writeFileSync(join(dir, `.x.md.${process.pid}.00000001.tmp`), '');
  writeFileSync(join(dir, 'notes.tmp'), '');
  assert.equal(await removeStaleTemps(dir), 1);
  assert.deepEqual(readdirSync(dir).sort(), [`.x.md.${process.pid}.00000001.tmp`, 'notes.tmp'].sort());
});

test('isTempName / isAlive', async () => {
  assert.equal(isTempName('.2021-06-09---Hot-Papers.md.123.deadbeef.tmp'), true);
  assert.equal(isTempName('2021-06-09---Hot-Papers.md'), false);
  assert.equal(isAlive(process.pid), true);
  assert.equal(isAlive(await deadPid()), false);
  assert.equal(isAlive(0), false);
});
