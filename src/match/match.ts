/**
 * Posts → the day's papers (DESIGN §5). Only a post's expanded links count: the search query
 * that returned a post proves nothing, so a post linking no paper of the day is dropped.
 */
import type { MatchedPost, Post } from '../types.js';
import type { ArxivIdRef } from './ids.js';
import { arxivIdsInLinks, extractArxivIds } from './links.js';

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
  // Many posts carry the same link (the abs page of a popular paper): parse each link once.
  const parsed = new Map<string, ArxivIdRef[]>();
  const extract = (url: string): ArxivIdRef[] => {
    let refs = parsed.get(url);
    if (!refs) {
      refs = extractArxivIds(url);
      parsed.set(url, refs);
    }
    return refs;
  };
  for (const post of posts) {
    const paperIds: string[] = [];
    for (const ref of arxivIdsInLinks(post.links, extract))
      if (dayPaperIds.has(ref.id)) paperIds.push(ref.id);
    if (paperIds.length === 0) continue;
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
