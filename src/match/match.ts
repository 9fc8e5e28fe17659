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
  for (const post of posts) {
    let paperIds: string[] | undefined;
    for (const url of post.links) {
      let ids = parsed.get(url);
      if (ids === undefined) {
        ids = dayIdsOf(url, dayPaperIds);
        parsed.set(url, ids);
      }
      for (const id of ids) {
        // In order of first appearance, each once.
        if (paperIds === undefined) paperIds = [id];
        else if (!paperIds.includes(id)) paperIds.push(id);
      }
    }
    if (paperIds === undefined) continue;
    let byId = bySource.get(post.source);
    if (!byId) {
      byId = new Map();
      bySource.set(post.source, byId);
    }
    const seen = byId.get(post.id);
    if (!seen) {
      const matched = { post, paperIds };
      byId.set(post.id, matched);
      out.push(matched);
      continue;
    }
    seen.post = post;
    for (const id of paperIds) if (!seen.paperIds.includes(id)) seen.paperIds.push(id);
  }
  return out;
}

const NONE: readonly string[] = [];

/** The day papers a link names (usually none or one). */
function dayIdsOf(url: string, dayPaperIds: ReadonlySet<string>): readonly string[] {
  const refs = extractArxivIds(url);
  if (refs.length === 0) return NONE;
  const ids = refs.map((r) => r.id).filter((id) => dayPaperIds.has(id));
  return ids.length === 0 ? NONE : ids;
}
