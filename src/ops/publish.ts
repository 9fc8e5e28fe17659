/**
 * `--publish` for run and backfill: the post files (and optionally the built site) go to
 * HOTPAPERS_PUBLISH_REPO on HOTPAPERS_PUBLISH_BRANCH, through a clone cached beside the store.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { assertSafeRepo, type PublishResult, publishPost } from '../publish/git.js';
import type { Logger } from '../util/log.js';

/** Folder of the posts inside the published repository (the lumen blog layout). */
export const POSTS_DIR_IN_REPO = 'content/posts';

export interface PublishPostsOptions {
  config: Config;
  /** Local post files to publish. */
  paths: string[];
  message: string;
  log: Logger;
  /** Environment for git (PATH, HOME, HOTPAPERS_GIT_TOKEN, GIT_AUTHOR_*). */
  env: NodeJS.ProcessEnv;
  /** A built site folder to publish too, mirrored under its own folder name. */
  siteDir?: string;
}

/** Check, before any work, that --publish can work: a repository is set and carries no credentials. */
export function checkPublishTarget(config: Config): string {
  if (!config.publishRepo) {
    throw new ConfigError('--publish needs HOTPAPERS_PUBLISH_REPO (a git URL or path)');
  }
  assertSafeRepo(config.publishRepo);
  return config.publishRepo;
}

/** The cached clone used for publishing: a folder beside the store. */
export function publishWorkDir(config: Config): string {
  return `${resolve(config.db)}.publish`;
}

/** Commit and push the posts (no commit when the branch already has them). */
export async function publishPosts(options: PublishPostsOptions): Promise<PublishResult> {
  const repo = checkPublishTarget(options.config);
  const files = await Promise.all(
    options.paths.map(async (path) => ({
      path: `${POSTS_DIR_IN_REPO}/${basename(path)}`,
      content: await readFile(path),
    })),
  );
  return publishPost({
    repo,
    branch: options.config.publishBranch,
    files,
    // The site engine's manifest and search fragments stay out of the published site.
    trees: options.siteDir
      ? [{ source: options.siteDir, target: basename(resolve(options.siteDir)), exclude: ['.hotpapers'] }]
      : [],
    message: options.message,
    workDir: publishWorkDir(options.config),
    env: options.env,
    log: options.log,
  });
}
