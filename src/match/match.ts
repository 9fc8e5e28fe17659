/**
 * Posts → the day's papers (DESIGN §5). Only a post's expanded links count: the search query
 * that returned a post proves nothing, so a post linking no paper of the day is dropped.
 */
import type { MatchedPost, Post } from '../types.js';
import { extractArxivIds } from './links.js';

/** The key of a post in maps and caches: `source:id` (ids never repeat within a source). */
export function postKey(post: { source: string; id: string }): string {
  return `${post.source}:${post.id}`;
}

/**
 * Match posts to the day's papers. A post belongs to every day paper one of its links names.
 * A post returned several times is kept once, at its first position, with the last copy's
 * data (the freshest metrics) and the union of the papers all copies linked.
 */
export function matchPosts(posts: readonly Post[], dayPaperIds: ReadonlySet<string>): MatchedPost[] {
  // Keyed per source then id: no key strings to build for 50,000 posts.
  const bySource = new Map<string, Map<string, MatchedPost>>();
  const out: MatchedPost[] = [];
  // Many posts carry the same link (the abs page of a popular paper): each link is parsed once,
  // and kept as the day papers it names.
  const parsed = new Map<string, readonly string[]>();
  // Posts come in runs of one source: its map is kept at hand.
  let source = '';
  let byId: Map<string, MatchedPost> | undefined;
  for (let i = 0; i < posts.length; i++) {
    const post = posts[i]!;
    const links = post.links;
    // The papers in order of first appearance, each once. Most posts name one paper through one
    // link: they share that link's array (nothing changes a match's ids in place).
    let paperIds: readonly string[] | undefined;
    let own = false;
    for (let j = 0; j < links.length; j++) {
      const url = links[j]!;
      let ids = parsed.get(url);
      if (ids === undefined) {
        ids = dayIdsOf(url, dayPaperIds);
        parsed.set(url, ids);
      }
      if (ids.length === 0) continue;
      if (paperIds === undefined) {
        paperIds = ids;
        continue;
      }
      for (const id of ids) {
        if (paperIds.includes(id)) continue;
        if (!own) {
          paperIds = paperIds.slice();
          own = true;
        }
        (paperIds as string[]).push(id);
      }
    }
    if (paperIds === undefined) continue;
    if (post.source !== source || byId === undefined) {
      source = post.source;
      byId = bySource.get(source);
      if (byId === undefined) {
        byId = new Map();
        bySource.set(source, byId);
      }
    }
    const seen = byId.get(post.id);
    if (seen === undefined) {
      const matched: MatchedPost = { post, paperIds: paperIds as string[] };
      byId.set(post.id, matched);
      out.push(matched);
      continue;
    }
    seen.post = post;
    // A copy: the kept array may be shared with other posts.
    let merged: string[] | undefined;
    for (const id of paperIds) {
      if (seen.paperIds.includes(id) || merged?.includes(id)) continue;
      merged = merged ?? seen.paperIds.slice();
      merged.push(id);
    }
    if (merged) seen.paperIds = merged;
  }
  return out;
}

const NONE: readonly string[] = [];

/** The day papers a link names (usually none or one). */
function dayIdsOf(url: string, dayPaperIds: ReadonlySet<string>): readonly string[] {
  const refs = extractArxivIds(url);
  if (refs.length === 0) return NONE;
  const ids: string[] = [];
  for (const r of refs) if (dayPaperIds.has(r.id) && !ids.includes(r.id)) ids.push(r.id);
  return ids.length === 0 ? NONE : ids;
}
