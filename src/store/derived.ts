/**
 * Values the store derives instead of storing, as SQL expressions: shared by migration 9 (its
 * generated columns) and the writers, so what a writer leaves out is exactly what reads back.
 * Frozen with migration 9: changing one needs a new migration that rewrites those columns.
 */

/**
 * The address a post of a source usually has, from its source, id and author handle (SQL over
 * the three operands; X without a handle: the i/web form; Bluesky: the handle, else the DID of
 * the at:// id). Frozen with migration 9: its generated `posts.url` column is this expression.
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
 * SQL of a stored instant back to ISO text: an integer is milliseconds since the epoch (an ISO
 * instant in toISOString's own form is stored so, in 6 bytes instead of 24); text is as received.
 */
export function isoTimeSql(column: string): string {
  return `CASE WHEN typeof(${column}) = 'integer'
      THEN strftime('%Y-%m-%dT%H:%M:%S', ${column} / 1000, 'unixepoch') || printf('.%03dZ', ${column} % 1000)
      ELSE ${column} END`;
}
