/**
 * Publishing: commit files to a branch of a git repository and push. Credentials reach git
 * only through a credential helper that reads HOTPAPERS_GIT_TOKEN from the environment when
 * git asks; they are never in a URL, an argument, the repository's config or a log line.
 * The clone is kept in a work folder (beside the store) and is reset to the remote branch
 * before each publish, so a run killed half-way leaves nothing that the next one repeats.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm, unlink } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { HotpapersError, oneLine } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { type Logger, silentLogger } from '../util/log.js';
import { redact, registerSecretsFromEnv } from '../util/redact.js';

/** A file to put in the repository. */
export interface PublishFile {
  /** Path inside the repository, with `/` separators, e.g. `content/posts/2021-06-09---Hot-Papers.md`. */
  path: string;
  content: string | Uint8Array;
}

/** A local folder mirrored into the repository (files not in `source` are removed from `target`). */
export interface PublishTree {
  source: string;
  target: string;
  /** Names of entries at the top of `source` not to publish (a builder's private state). */
  exclude?: string[];
}

export interface PublishOptions {
  /** Remote URL or local path (HOTPAPERS_PUBLISH_REPO). */
  repo: string;
  branch: string;
  files: PublishFile[];
  trees?: PublishTree[];
  message: string;
  /** Folder for the cached clone; created when missing. */
  workDir: string;
  /** Environment for git (PATH, HOME, HOTPAPERS_GIT_TOKEN, GIT_AUTHOR_NAME, …). */
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

export interface PublishResult {
  /** False when the branch already held exactly these files: no commit, no push. */
  committed: boolean;
  /** The new commit's id. */
  commit?: string;
}

const DEFAULT_NAME = 'hotpapers';
const DEFAULT_EMAIL = 'hotpapers@localhost';
const PUSH_ATTEMPTS = 3;
// Variables that would point git at another repository than the work folder.
const GIT_LOCATION_VARS = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_COMMON_DIR',
];

/** Commit `files` (and `trees`) to `branch` of `repo` and push; no commit when nothing changed. */
export async function publishPost(options: PublishOptions): Promise<PublishResult> {
  assertSafeRepo(options.repo);
  const log = options.log ?? silentLogger;
  const git = gitRunner(options.workDir, options.env ?? {}, options.repo);
  const where = `${displayRepo(options.repo)} (${options.branch})`;
  for (const file of options.files) repoPath(file.path);
  for (const tree of options.trees ?? []) repoPath(tree.target);

  for (let attempt = 1; ; attempt++) {
    const remoteHasBranch = await prepareClone(git, options, log);
    for (const file of options.files) {
      await writeFileAtomic(join(options.workDir, repoPath(file.path)), file.content);
    }
    for (const tree of options.trees ?? []) {
      await mirrorTree(tree.source, join(options.workDir, repoPath(tree.target)), tree.exclude);
    }
    const paths = [...options.files.map((f) => f.path), ...(options.trees ?? []).map((t) => t.target)];
    await git(['add', '-A', '--', ...paths]);
    const staged = await git(['diff', '--cached', '--name-only', '-z']);
    if (staged.stdout === '' && remoteHasBranch) {
      log.info(`publish: ${where} already has this post; nothing to commit`);
      return { committed: false };
    }
    await git(['commit', '-q', '--no-verify', '--allow-empty-message', '-m', options.message]);
    const commit = (await git(['rev-parse', 'HEAD'])).stdout.trim();
    try {
      await git(['push', '-q', 'origin', `HEAD:refs/heads/${options.branch}`]);
    } catch (error) {
      // Someone else pushed in between: start again from their branch (bounded).
      if (
        attempt < PUSH_ATTEMPTS &&
        /rejected|non-fast-forward|fetch first/i.test((error as Error).message)
      ) {
        log.warn(`publish: push to ${where} was rejected (the branch moved); retrying`);
        continue;
      }
      throw error;
    }
    log.info(`publish: committed ${commit.slice(0, 12)} to ${where}`);
    return { committed: true, commit };
  }
}

/** Throw when a repository URL carries credentials; the message never repeats them. */
export function assertSafeRepo(repo: string): void {
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(repo);
  if (url) {
    const scheme = url[1]!.toLowerCase();
    const authority = url[2]!;
    const at = authority.lastIndexOf('@');
    const userinfo = at >= 0 ? authority.slice(0, at) : '';
    const host = authority.slice(at + 1);
    // Over http(s) any user part can be a token (GitHub accepts a token as the user name).
    const leaks = at >= 0 && (scheme === 'http' || scheme === 'https' || userinfo.includes(':'));
    if (leaks || /[?&](access_token|private_token|token|password)=/i.test(repo)) {
      throw new HotpapersError(
        'publish',
        `HOTPAPERS_PUBLISH_REPO must not carry credentials (${scheme}://***@${host}/…); remove them from the URL and set HOTPAPERS_GIT_TOKEN instead`,
      );
    }
  }
  if (repo.trim() === '' || repo.startsWith('-')) {
    throw new HotpapersError('publish', 'HOTPAPERS_PUBLISH_REPO is not a repository URL or path');
  }
}

/** A repository address fit for logs: no user part, no query. */
export function displayRepo(repo: string): string {
  const url = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^/?#@]*@)?([^?#]*)/i.exec(repo);
  if (url) return `${url[1]}${url[2]}`;
  return repo;
}

/** Mask anything token-like (and the values of known secret variables) in text from git: the one redactor. */
export function maskSecrets(text: string, env: NodeJS.ProcessEnv = {}): string {
  registerSecretsFromEnv(env);
  return redact(text);
}

/** The environment git runs with: the caller's, plus identity, minus anything that moves it elsewhere. */
export function gitEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of GIT_LOCATION_VARS) delete out[name];
  const name = env.GIT_AUTHOR_NAME || DEFAULT_NAME;
  const email = env.GIT_AUTHOR_EMAIL || DEFAULT_EMAIL;
  out.GIT_AUTHOR_NAME = name;
  out.GIT_AUTHOR_EMAIL = email;
  out.GIT_COMMITTER_NAME = env.GIT_COMMITTER_NAME || name;
  out.GIT_COMMITTER_EMAIL = env.GIT_COMMITTER_EMAIL || email;
  // Never wait for a password on a terminal: an unattended run must fail, not hang.
  out.GIT_TERMINAL_PROMPT = '0';
  out.LC_ALL = 'C';
  return out;
}

/**
 * Configuration passed with `-c` on every git call. The helper is shell code that git runs
 * when it needs credentials; it prints the token from the environment at that moment, so the
 * token itself is in no argument, file or URL. It answers only when git asks for the publish
 * remote's own host over https (plain http only on loopback, for tests): a remote that
 * redirects elsewhere, or a downgrade to http, gets nothing.
 */
export function credentialArgs(env: NodeJS.ProcessEnv, repo: string): string[] {
  const base = ['-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false'];
  const allowed = credentialTarget(repo);
  if (!env.HOTPAPERS_GIT_TOKEN || !allowed) return base;
  // Shell code, not a template: the \${…} are expanded by sh when git asks. The protocol and
  // host are checked characters (credentialTarget), safe inside single quotes.
  const helper =
    `!f() { test "$1" = get || exit 0; p=; h=; ` +
    `while IFS= read -r line; do case "$line" in protocol=*) p="\${line#protocol=}";; host=*) h="\${line#host=}";; esac; done; ` +
    `test "$p" = '${allowed.protocol}' && test "$h" = '${allowed.host}' || exit 0; ` +
    `echo "username=\${HOTPAPERS_GIT_USERNAME:-x-access-token}"; echo "password=\${HOTPAPERS_GIT_TOKEN}"; }; f`;
  // The empty value first drops helpers from the user's config (a keychain prompt would hang).
  return [...base, '-c', 'credential.helper=', '-c', `credential.helper=${helper}`];
}

/**
 * The protocol and host (with its port, as git names it) that may receive the token: the
 * publish remote's, over https, or over http on a loopback address; null otherwise.
 */
export function credentialTarget(repo: string): { protocol: 'https' | 'http'; host: string } | null {
  const m = /^(https?):\/\/([^/?#@]+)(?:[/?#]|$)/i.exec(repo.trim());
  if (!m) return null;
  const protocol = m[1]!.toLowerCase() as 'https' | 'http';
  const host = m[2]!;
  if (!/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host)) return null;
  if (protocol === 'http' && !/^(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d+)?$/i.test(host)) return null;
  return { protocol, host };
}

type Git = (
  args: string[],
  options?: { allowFail?: boolean },
) => Promise<{ stdout: string; stderr: string; code: number }>;

function gitRunner(workDir: string, callerEnv: NodeJS.ProcessEnv, repo: string): Git {
  const env = gitEnv(callerEnv);
  const pre = credentialArgs(env, repo);
  return (args, options = {}) =>
    new Promise((resolve, reject) => {
      execFile(
        'git',
        [...pre, ...args],
        { cwd: workDir, env, maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (!error) return resolve({ stdout, stderr, code: 0 });
          const code = typeof error.code === 'number' ? error.code : 1;
          if (options.allowFail && typeof error.code === 'number') return resolve({ stdout, stderr, code });
          const why =
            (error as NodeJS.ErrnoException).code === 'ENOENT'
              ? 'git is not installed or not on PATH'
              : lastLines(maskSecrets(stderr || stdout || error.message, env));
          reject(new HotpapersError('publish', `git ${args[0]} failed: ${why}`));
        },
      );
    });
}

/**
 * Make the work folder a clone of `repo` whose checkout equals the remote branch (or an empty
 * unborn branch when the remote has none yet). Resolves to whether the remote has the branch.
 */
async function prepareClone(git: Git, options: PublishOptions, log: Logger): Promise<boolean> {
  const { workDir, repo, branch } = options;
  if (existsSync(join(workDir, '.git'))) {
    try {
      return await syncClone(git, workDir, repo, branch);
    } catch (error) {
      // A clone damaged by a killed run (stale locks, half-written refs): start afresh.
      log.warn(
        `publish: the cached clone in ${workDir} is unusable (${(error as Error).message}); cloning again`,
      );
    }
  }
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  await git(['init', '-q']);
  return syncClone(git, workDir, repo, branch);
}

async function syncClone(git: Git, workDir: string, repo: string, branch: string): Promise<boolean> {
  // Only this store's run uses the folder (the store lock is held), so a lock file is stale.
  await unlink(join(workDir, '.git', 'index.lock')).catch(() => {});
  const url = (await git(['remote', 'get-url', 'origin'], { allowFail: true })).stdout.trim();
  // No origin yet (a run killed right after `git init`), or another repository configured.
  if (url === '') await git(['remote', 'add', 'origin', repo]);
  else if (url !== repo) await git(['remote', 'set-url', 'origin', repo]);
  const heads = await git(['ls-remote', '--heads', 'origin', `refs/heads/${branch}`]);
  const remoteRef = `refs/remotes/origin/${branch}`;
  if (heads.stdout.trim() !== '') {
    await git(['fetch', '-q', '--no-tags', 'origin', `+refs/heads/${branch}:${remoteRef}`]);
    await git(['checkout', '-q', '-f', '-B', branch, remoteRef]);
    await git(['reset', '-q', '--hard', remoteRef]);
    await git(['clean', '-q', '-ffdx']);
    return true;
  }
  // The remote has no such branch yet: an unborn branch with an empty index; the first commit is a root.
  await git(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  await git(['update-ref', '-d', `refs/heads/${branch}`], { allowFail: true });
  await git(['read-tree', '--empty']);
  await git(['clean', '-q', '-ffdx']);
  return false;
}

/** Check and normalise a path inside the repository (relative, no `..`, not into .git). */
function repoPath(path: string): string {
  const normal = normalize(path);
  const parts = normal.split(sep);
  if (
    path.trim() === '' ||
    isAbsolute(path) ||
    parts.includes('..') ||
    parts[0] === '.git' ||
    normal === '.' ||
    path.startsWith('-')
  ) {
    throw new HotpapersError('publish', `not a path inside the repository: ${JSON.stringify(path)}`);
  }
  return normal;
}

/** Replace `target` with a copy of `source` (byte-identical files end up unchanged in git). */
async function mirrorTree(source: string, target: string, exclude: readonly string[] = []): Promise<void> {
  if (!existsSync(source)) throw new HotpapersError('publish', `folder to publish does not exist: ${source}`);
  await rm(target, { recursive: true, force: true });
  await copyTree(source, target, exclude);
}

async function copyTree(from: string, to: string, exclude: readonly string[] = []): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (exclude.includes(entry.name)) continue;
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isDirectory()) await copyTree(src, dst);
    else if (entry.isFile()) await copyFile(src, dst);
  }
}

/** The lines of git's output that say what failed (its `fatal:`/`error:` lines first), as one line. */
function lastLines(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^hint:/.test(l));
  const telling = lines.filter((l) => /^(fatal|error|remote|!)/.test(l));
  return oneLine((telling.length > 0 ? telling : lines.slice(-2)).slice(0, 2).join(' ')) || 'unknown error';
}
