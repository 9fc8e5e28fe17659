/** Damage a store on disk as a failing disk or a stray write would: garbage over a B-tree page. */
import { closeSync, openSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Write 64 bytes of 0xff over the cell pointers of `table`'s first leaf page (the store must be closed). */
export function damageLeafPage(path: string, table: string): void {
  const stat = new Database(path, { readonly: true });
  const page = stat
    .prepare('SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno LIMIT 1')
    .pluck()
    .get(table, 'leaf') as number | undefined;
  const pageSize = stat.pragma('page_size', { simple: true }) as number;
  stat.close();
  if (page === undefined) throw new Error(`${table} has no leaf page to damage`);
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, (page - 1) * pageSize + 8);
  } finally {
    closeSync(fd);
  }
}
