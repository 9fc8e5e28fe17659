/**
 * Atomic file writes: a reader (or a run killed half-way) sees the old file or the new one,
 * never a mix. The data goes to a temporary file in the same folder, is flushed to disk and
 * renamed over the target; rename within one file system is atomic on POSIX.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary names look like `.NAME.PID.RANDOM.tmp`, so leftovers can be told apart and cleaned. */
const TEMP = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Write `data` to `path` atomically; resolves to false (and touches nothing) when the file
 * already holds exactly these bytes.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<boolean> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  const current = await readFile(path).catch(() => undefined);
  if (current?.equals(bytes)) return false;
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  await removeStaleTemps(dir, basename(path));
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDir(dir);
  return true;
}

/**
 * Remove temporary files left in `dir` by writers that died (SIGKILL, power loss); only files
 * of processes no longer alive, and only those for `name` when given. Resolves to their count.
 */
export async function removeStaleTemps(dir: string, name?: string): Promise<number> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const entry of entries) {
    const m = TEMP.exec(entry);
    if (!m || (name !== undefined && m[1] !== name)) continue;
    if (isAlive(Number(m[2]))) continue;
    await unlink(join(dir, entry)).then(
      () => removed++,
      () => {},
    );
  }
  return removed;
}

/**
 * A new temporary name beside `path` (`.NAME.PID.RANDOM.tmp`), which removeStaleTemps removes once
 * its process is gone: for a writer that makes the file itself before renaming it over `path`.
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Whether a temporary name was made by writeFileAtomic or tempPathFor (tests look for strays). */
export function isTempName(name: string): boolean {
  return TEMP.test(name);
}

/** Whether a process with this id exists on this host (EPERM means it exists but is not ours). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Flush a folder's entries, where the system allows it: a rename is durable only once they are. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => {});
  await handle.close();
}
