/**
 * Values the store derives instead of storing, as SQL expressions: shared by the migrations (9's
 * generated columns, 14's views that replaced them) and the writers, so what a writer leaves out
 * is exactly what reads back. Frozen with those migrations: changing one needs a new migration
 * that makes the views again (and stored rows must still read back the same).
 */

/**
 * The address a post of a source usually has, from its source, id and author handle (SQL over
 * the three operands; X without a handle: the i/web form; Bluesky: the handle, else the DID of
 * the at:// id). The `posts` view's url column (migration 14; a generated column from 9 to 13).
 */
export function usualPostUrlSql(source: string, id: string, handle: string): string {
  const rkeyAt = `instr(${id}, '/app.bsky.feed.post/')`;
  return `CASE ${source}
      WHEN 'x' THEN 'https://twitter.com/' || coalesce(${handle}, 'i/web') || '/status/' || ${id}
      WHEN 'hn' THEN 'https://news.ycombinator.com/item?id=' || ${id}
      WHEN 'hf' THEN 'https://huggingface.co/papers/' || ${id}
      WHEN 'bluesky' THEN CASE WHEN substr(${id}, 1, 5) = 'at://' AND ${rkeyAt} > 6
        THEN 'https://bsky.app/profile/' || coalesce(${handle}, substr(${id}, 6, ${rkeyAt} - 6))
             || '/post/' || substr(${id}, ${rkeyAt} + 20) END
    END`;
}

/**
 * usualPostUrlSql's rule in JavaScript for the sources whose rule is a plain concatenation (X, HN,
 * HF); undefined for the others (the SQL decides those). Kept beside it: they must agree.
 */
export function usualPostUrl(source: string, id: string, handle: string | undefined): string | undefined {
  return source === 'x'
    ? `https://twitter.com/${handle ?? 'i/web'}/status/${id}`
    : source === 'hn'
      ? `https://news.ycombinator.com/item?id=${id}`
      : source === 'hf'
        ? `https://huggingface.co/papers/${id}`
        : undefined;
}

/**
 * SQL of a stored instant back to ISO text: an integer is milliseconds since the epoch (an ISO
 * instant in toISOString's own form is stored so, in 6 bytes instead of 24); text is as received.
 */
export function isoTimeSql(column: string): string {
  return `CASE WHEN typeof(${column}) = 'integer'
      THEN strftime('%Y-%m-%dT%H:%M:%S', ${column} / 1000, 'unixepoch') || printf('.%03dZ', ${column} % 1000)
      ELSE ${column} END`;
}

/**
 * isoTimeSql's rule in JavaScript, for a stored instant read raw (milliseconds as packTime
 * stores them, which SQLite returns as a number, or text). Kept beside it: they must agree.
 */
export function isoTime(stored: number | string): string {
  return typeof stored === 'number' ? new Date(stored).toISOString() : stored;
}

/** Int64's bounds, for storedPostId. */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const LONG_DECIMAL = /^-?[1-9][0-9]*$/;

/**
 * A post id as the store keeps it (posts, post_papers, snapshots, embeds, post_deletions; see
 * migration 11): a decimal of 16 to 19 characters that an INTEGER gives back exactly (X's
 * snowflake ids) as that integer, 8 bytes instead of 19 in each of those tables; any other id
 * (Bluesky's at:// URIs, HN's short numbers, HF's paper ids) as its text. A bigint, so
 * better-sqlite3 binds an INTEGER. Frozen with migration 11, like storedPostIdSql.
 */
export function storedPostId(id: string): string | bigint {
  if (id.length < 16 || id.length > 19 || !LONG_DECIMAL.test(id)) return id;
  const n = BigInt(id);
  return n >= INT64_MIN && n <= INT64_MAX ? n : id;
}

/**
 * A value as the store keeps it (storedPostId, packTime) as JSON text, for a json_each that
 * drives a key lookup: an integer as its digits (JSON.stringify cannot write a bigint), which
 * SQLite's JSON functions give back as that INTEGER.
 */
export function storedJson(value: bigint | string): string {
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

/**
 * storedPostId as SQL over a TEXT expression (an id in JSON, an old TEXT column): the integer
 * exactly when casting it back gives the same text (no sign, space, leading zero or overflow).
 */
export function storedPostIdSql(text: string): string {
  return `CASE WHEN length(${text}) BETWEEN 16 AND 19 AND typeof(${text}) = 'text'
      AND CAST(CAST(${text} AS INTEGER) AS TEXT) = ${text} THEN CAST(${text} AS INTEGER) ELSE ${text} END`;
}

/** SQL of a stored post id column back to the text id readers see. */
export function postIdTextSql(column: string): string {
  return `CAST(${column} AS TEXT)`;
}
