import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  assertSafeRepo,
  credentialArgs,
  displayRepo,
  gitEnv,
  maskSecrets,
  publishPost,
} from '../../src/publish/git.js';
import type { Logger } from '../../src/util/log.js';

const POST = 'content/posts/2021-06-09---Hot-Papers.md';
const TOKEN = 'ghp_TESTTOKEN1234567890abcdef';

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    progress() {},
  };
}

/** A bare repository in a temp folder, like the blog repository a run pushes to. */
function bareRepo(): { root: string; remote: string } {
  const root = mkdtempSync(join(tmpdir(), 'hp-git-'));
  const remote = join(root, 'blog.git');
  execFileSync('git', ['init', '-q', '--bare', remote]);
  return { root, remote };
}

function remoteGit(remote: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', remote, ...args], { encoding: 'utf8' });
}

function commits(remote: string, branch = 'main'): string[] {
  try {
    return remoteGit(remote, 'rev-list', branch).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: mkdtempSync(join(tmpdir(), 'hp-home-')),
  GIT_CONFIG_NOSYSTEM: '1',
  ...extra,
});

test('publishPost - first publish commits and pushes to an empty bare repository', async () => {
  const { root, remote } = bareRepo();
  const log = recorder();
  const result = await publishPost({
    repo: remote,
    branch: 'main',
    files: [{ path: POST, content: '---\ntitle: Hot Papers 2021-06-09\n---\nbody\n' }],
    message: 'Hot Papers 2021-06-09',
    workDir: join(root, 'work'),
    env: env(),
    log,
  });
  assert.equal(result.committed, true);
  assert.deepEqual(commits(remote), [result.commit]);
  assert.equal(remoteGit(remote, 'show', `main:${POST}`), '---\ntitle: Hot Papers 2021-06-09\n---\nbody\n');
  assert.equal(
    remoteGit(remote, 'log', '-1', '--format=%an <%ae>|%cn <%ce>|%s', 'main').trim(),
    'hotpapers <hotpapers@localhost>|hotpapers <hotpapers@localhost>|Hot Papers 2021-06-09',
  );
  assert.deepEqual(log.lines, [`publish: committed ${result.commit!.slice(0, 12)} to ${remote} (main)`]);
});

test('publishPost - the same files again make no commit; a changed file makes exactly one', async () => {
  const { root, remote } = bareRepo();
  const base = {
    repo: remote,
    branch: 'main',
    message: 'Hot Papers 2021-06-09',
    workDir: join(root, 'work'),
    env: env(),
  };
  const first = await publishPost({ ...base, files: [{ path: POST, content: 'v1\n' }] });
  const again = await publishPost({ ...base, files: [{ path: POST, content: 'v1\n' }] });
  assert.deepEqual(again, { committed: false });
  assert.deepEqual(commits(remote), [first.commit]);

  const changed = await publishPost({ ...base, files: [{ path: POST, content: 'v2\n' }] });
  assert.equal(changed.committed, true);
  assert.deepEqual(commits(remote), [changed.commit, first.commit]);
  assert.equal(remoteGit(remote, 'show', `main:${POST}`), 'v2\n');

  // A fresh work folder (the cache lost) finds the post already there too.
  const fresh = await publishPost({
    ...base,
    workDir: join(root, 'other-work'),
    files: [{ path: POST, content: 'v2\n' }],
  });
  assert.deepEqual(fresh, { committed: false });
  assert.equal(commits(remote).length, 2);
});

test('publishPost - keeps the other files of the branch and uses the author from the environment', async () => {
  const { root, remote } = bareRepo();
  const seed = join(root, 'seed');
  execFileSync('git', ['clone', '-q', remote, seed], { stdio: 'ignore' });
  writeFileSync(join(seed, 'README.md'), 'my blog\n');
  const e = { ...env(), GIT_AUTHOR_NAME: 'Blog Bot', GIT_AUTHOR_EMAIL: 'bot@example.org' };
  execFileSync('git', ['-C', seed, 'add', '.'], { env: e });
  execFileSync('git', ['-C', seed, 'commit', '-qm', 'init'], {
    env: { ...e, GIT_COMMITTER_NAME: 'x', GIT_COMMITTER_EMAIL: 'x@x' },
  });
  execFileSync('git', ['-C', seed, 'push', '-q', 'origin', 'HEAD:refs/heads/gh-pages'], { env: e });

  const result = await publishPost({
    repo: remote,
    branch: 'gh-pages',
    files: [{ path: POST, content: 'post\n' }],
    message: 'Hot Papers 2021-06-09',
    workDir: join(root, 'work'),
    env: e,
  });
  assert.equal(result.committed, true);
  assert.equal(remoteGit(remote, 'show', 'gh-pages:README.md'), 'my blog\n');
  assert.equal(
    remoteGit(remote, 'log', '-1', '--format=%an <%ae>', 'gh-pages').trim(),
    'Blog Bot <bot@example.org>',
  );
  assert.equal(commits(remote, 'gh-pages').length, 2);
});

test('publishPost - recovers from a run killed after committing but before pushing, and from stale git locks', async () => {
  const { root, remote } = bareRepo();
  const base = { repo: remote, branch: 'main', message: 'm', workDir: join(root, 'work'), env: env() };
  const first = await publishPost({ ...base, files: [{ path: POST, content: 'v1\n' }] });
  // Simulate the killed run: a local commit that never reached the remote, and a stale index.lock.
  writeFileSync(join(base.workDir, POST), 'half-published\n');
  execFileSync('git', ['-C', base.workDir, 'commit', '-qam', 'unpushed'], { env: gitEnv(env()) });
  writeFileSync(join(base.workDir, '.git', 'index.lock'), '');
  writeFileSync(join(base.workDir, 'stray.tmp'), 'x');

  const again = await publishPost({ ...base, files: [{ path: POST, content: 'v1\n' }] });
  assert.deepEqual(again, { committed: false });
  assert.deepEqual(commits(remote), [first.commit]);
  assert.equal(existsSync(join(base.workDir, 'stray.tmp')), false);
});

test('publishPost - a clone killed right after git init (no origin yet) is completed, not thrown away', async () => {
  const { root, remote } = bareRepo();
  const workDir = join(root, 'work');
  mkdirSync(workDir);
  execFileSync('git', ['init', '-q', workDir]);
  const log = recorder();
  const result = await publishPost({
    repo: remote,
    branch: 'main',
    files: [{ path: POST, content: 'v1\n' }],
    message: 'm',
    workDir,
    env: env(),
    log,
  });
  assert.equal(result.committed, true);
  assert.deepEqual(log.lines, [`publish: committed ${result.commit!.slice(0, 12)} to ${remote} (main)`]);
});

test('publishPost - a damaged cached clone is replaced by a fresh one', async () => {
  const { root, remote } = bareRepo();
  const base = { repo: remote, branch: 'main', message: 'm', workDir: join(root, 'work'), env: env() };
  await publishPost({ ...base, files: [{ path: POST, content: 'v1\n' }] });
  writeFileSync(join(base.workDir, '.git', 'HEAD'), 'garbage');
  const log = recorder();
  const result = await publishPost({ ...base, log, files: [{ path: POST, content: 'v2\n' }] });
  assert.equal(result.committed, true);
  assert.match(
    log.lines[0]!,
    /^warn: publish: the cached clone in .* is unusable \(publish: git .*\); cloning again$/,
  );
  assert.equal(commits(remote).length, 2);
});

test('publishPost - a rejected push is retried from the moved branch (bounded)', async () => {
  const { root, remote } = bareRepo();
  // The remote refuses the first push once, as when another job pushed in between.
  const marker = join(root, 'rejected-once');
  const hook = join(remote, 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    `#!/bin/sh\nif [ ! -e '${marker}' ]; then touch '${marker}'; echo 'rejected: fetch first' >&2; exit 1; fi\nexit 0\n`,
  );
  chmodSync(hook, 0o755);
  const log = recorder();
  const result = await publishPost({
    repo: remote,
    branch: 'main',
    files: [{ path: POST, content: 'v1\n' }],
    message: 'm',
    workDir: join(root, 'work'),
    env: env(),
    log,
  });
  assert.equal(result.committed, true);
  assert.deepEqual(commits(remote), [result.commit]);
  assert.equal(
    log.lines[0],
    `warn: publish: push to ${remote} (main) was rejected (the branch moved); retrying`,
  );
});

test('publishPost - mirrors a built site folder into the repository', async () => {
  const { root, remote } = bareRepo();
  const site = join(root, 'public');
  mkdirSync(join(site, 'day'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<h1>hot</h1>');
  writeFileSync(join(site, 'day', 'old.html'), 'old');
  const base = {
    repo: remote,
    branch: 'main',
    message: 'm',
    workDir: join(root, 'work'),
    env: env(),
    files: [{ path: POST, content: 'p\n' }],
  };
  await publishPost({ ...base, trees: [{ source: site, target: 'docs' }] });
  assert.equal(remoteGit(remote, 'show', 'main:docs/day/old.html'), 'old');
  // A file gone from the build disappears from the repository too.
  execFileSync('rm', [join(site, 'day', 'old.html')]);
  const second = await publishPost({ ...base, trees: [{ source: site, target: 'docs' }] });
  assert.equal(second.committed, true);
  assert.equal(
    remoteGit(remote, 'ls-tree', '-r', '--name-only', 'main').trim(),
    ['content/posts/2021-06-09---Hot-Papers.md', 'docs/index.html'].join('\n'),
  );
});

test('publishPost - refuses a repository URL with credentials and never prints them', async () => {
  for (const repo of [
    `https://bot:${TOKEN}@github.com/me/blog.git`,
    `https://${TOKEN}@github.com/me/blog.git`,
    `ssh://git:${TOKEN}@example.org/blog.git`,
    `https://github.com/me/blog.git?access_token=${TOKEN}`,
  ]) {
    await assert.rejects(
      publishPost({
        repo,
        branch: 'main',
        files: [{ path: POST, content: 'x' }],
        message: 'm',
        workDir: join(tmpdir(), 'never'),
        env: env(),
      }),
      (error: Error) => {
        assert.match(
          error.message,
          /^publish: HOTPAPERS_PUBLISH_REPO must not carry credentials \(\w+:\/\/\*\*\*@[\w.]+\/…\); remove them from the URL and set HOTPAPERS_GIT_TOKEN instead$/,
        );
        assert.equal(error.message.includes(TOKEN), false);
        assert.equal(error.message.includes('bot'), false);
        return true;
      },
    );
  }
  assert.doesNotThrow(() => assertSafeRepo('git@github.com:me/blog.git'));
  assert.doesNotThrow(() => assertSafeRepo('ssh://git@github.com/me/blog.git'));
  assert.doesNotThrow(() => assertSafeRepo('https://github.com/me/blog.git'));
  assert.doesNotThrow(() => assertSafeRepo('/srv/git/blog.git'));
  assert.throws(() => assertSafeRepo('--upload-pack=evil'), {
    message: 'publish: HOTPAPERS_PUBLISH_REPO is not a repository URL or path',
  });
});

test('publishPost - paths outside the repository are refused', async () => {
  const { root, remote } = bareRepo();
  for (const path of ['../escape.md', '/etc/passwd', '.git/config', '']) {
    await assert.rejects(
      publishPost({
        repo: remote,
        branch: 'main',
        files: [{ path, content: 'x' }],
        message: 'm',
        workDir: join(root, 'w'),
        env: env(),
      }),
      { message: `publish: not a path inside the repository: ${JSON.stringify(path)}` },
    );
  }
  assert.deepEqual(commits(remote), []);
});

test('publishPost - the token never lands in the clone, and git errors are masked', async () => {
  const { root, remote } = bareRepo();
  const e = env({ HOTPAPERS_GIT_TOKEN: TOKEN });
  const workDir = join(root, 'work');
  await publishPost({
    repo: remote,
    branch: 'main',
    files: [{ path: POST, content: 'x\n' }],
    message: 'm',
    workDir,
    env: e,
  });
  const leaks: string[] = [];
  (function walk(dir: string) {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (readFileSync(path).includes(TOKEN)) leaks.push(path);
    }
  })(workDir);
  assert.deepEqual(leaks, []);
  assert.equal(remoteGit(remote, 'log', '--all', '--format=%B%an%ae').includes(TOKEN), false);

  // A failing remote whose path happens to contain the token: the error shows *** instead.
  const missing = join(root, TOKEN, 'missing.git');
  await assert.rejects(
    publishPost({
      repo: missing,
      branch: 'main',
      files: [{ path: POST, content: 'x' }],
      message: 'm',
      workDir: join(root, 'w2'),
      env: e,
    }),
    (error: Error) => {
      assert.match(error.message, /^publish: git ls-remote failed: .*\*\*\*/);
      assert.equal(error.message.includes(TOKEN), false);
      assert.equal(error.message.includes('\n'), false);
      return true;
    },
  );
});

test('credentialArgs - git gets the token from the environment through its credential helper', () => {
  const e = gitEnv(env({ HOTPAPERS_GIT_TOKEN: TOKEN }));
  const args = credentialArgs(e, 'https://github.com/me/blog.git');
  assert.equal(args.join(' ').includes(TOKEN), false, 'the token is not in the arguments');
  const out = execFileSync('git', [...args, 'credential', 'fill'], {
    env: e,
    input: 'protocol=https\nhost=github.com\npath=me/blog.git\n\n',
    encoding: 'utf8',
  });
  assert.match(out, /^username=x-access-token$/m);
  assert.match(out, new RegExp(`^password=${TOKEN}$`, 'm'));
  const custom = execFileSync('git', [...args, 'credential', 'fill'], {
    env: { ...e, HOTPAPERS_GIT_USERNAME: 'blogbot' },
    input: 'protocol=https\nhost=github.com\n\n',
    encoding: 'utf8',
  });
  assert.match(custom, /^username=blogbot$/m);
  assert.deepEqual(credentialArgs(gitEnv(env()), 'https://github.com/me/blog.git'), [
    '-c',
    'commit.gpgsign=false',
    '-c',
    'core.autocrlf=false',
  ]);
});

test('credentialArgs - the token goes only to the publish remote host, only over https (http on loopback)', () => {
  const e = gitEnv(env({ HOTPAPERS_GIT_TOKEN: TOKEN }));
  /** What git's credential machinery returns for `request` with the helper of `repo`; null when nothing. */
  const fill = (repo: string, request: string): string | null => {
    const r = spawnSync('git', [...credentialArgs(e, repo), 'credential', 'fill'], {
      env: e,
      input: `${request}\n\n`,
      encoding: 'utf8',
    });
    return r.status === 0 ? r.stdout : null;
  };
  const repo = 'https://git.example.org/me/blog.git';
  assert.match(fill(repo, 'protocol=https\nhost=git.example.org\npath=me/blog.git') ?? '', /^password=/m);
  // A redirect to another host that answers 401: git asks for that host. Nothing for it.
  assert.equal(fill(repo, 'protocol=https\nhost=evil.example.net'), null);
  assert.equal(fill(repo, 'protocol=https\nhost=git.example.org.evil.net'), null);
  // The same host over plain http (a downgrade): nothing.
  assert.equal(fill(repo, 'protocol=http\nhost=git.example.org'), null);
  // A remote over plain http is trusted only on loopback (test servers).
  assert.equal(fill('http://git.example.org/me/blog.git', 'protocol=http\nhost=git.example.org'), null);
  assert.match(
    fill('http://127.0.0.1:8080/blog.git', 'protocol=http\nhost=127.0.0.1:8080') ?? '',
    /^password=/m,
  );
  assert.equal(fill('http://127.0.0.1:8080/blog.git', 'protocol=http\nhost=127.0.0.1:9090'), null);
  // Local paths and ssh remotes never get the helper.
  assert.equal(credentialArgs(e, '/srv/blog.git').join(' ').includes('credential.helper'), false);
  assert.equal(
    credentialArgs(e, 'git@github.com:me/blog.git').join(' ').includes('credential.helper'),
    false,
  );
});

test('maskSecrets / displayRepo', () => {
  assert.equal(
    maskSecrets(`fatal: unable to access 'https://bot:${TOKEN}@github.com/me/blog.git/': 403`),
    "fatal: unable to access 'https://***@github.com/me/blog.git/': 403",
  );
  // Masked by its shape, or whole once registered as a secret by an earlier run in this process.
  assert.match(maskSecrets(`token ${TOKEN} refused`), /^token (ghp_)?\*\*\* refused$/);
  assert.equal(maskSecrets('remote: github_pat_11ABCDEFG0123456789_xyz bad'), 'remote: github_pat_*** bad');
  assert.equal(maskSecrets('password=hunter2&x=1'), 'password=***&x=1');
  assert.equal(
    maskSecrets('it is s3cr3t-v4lue here', { HOTPAPERS_GIT_TOKEN: 's3cr3t-v4lue' }),
    'it is *** here',
  );
  assert.equal(maskSecrets('abc123..def456  main -> main'), 'abc123..def456  main -> main');
  assert.equal(
    displayRepo(`https://bot:${TOKEN}@github.com/me/blog.git?x=1`),
    'https://github.com/me/blog.git',
  );
  assert.equal(displayRepo('/srv/git/blog.git'), '/srv/git/blog.git');
});

/**
 * A git smart-HTTP server on loopback (git http-backend behind Basic auth), standing in for
 * GitHub: it proves the token travels only in git's Authorization header, asked through the
 * credential helper, and never in a URL.
 */
async function startGitHttp(projectRoot: string, user: string, token: string) {
  const { createServer } = await import('node:http');
  const { spawn } = await import('node:child_process');
  const seen: Array<{ url: string; auth?: string }> = [];
  const expected = `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="blog"' });
        res.end('auth required');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks);
      const cgi = spawn('git', ['http-backend'], {
        env: {
          PATH: process.env.PATH,
          GIT_PROJECT_ROOT: projectRoot,
          GIT_HTTP_EXPORT_ALL: '1',
          REMOTE_USER: user,
          REQUEST_METHOD: req.method ?? 'GET',
          PATH_INFO: url.pathname,
          QUERY_STRING: url.search.slice(1),
          CONTENT_TYPE: req.headers['content-type'] ?? '',
          CONTENT_LENGTH: String(body.length),
          HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
          GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        },
      });
      const out: Buffer[] = [];
      cgi.stdout.on('data', (c: Buffer) => out.push(c));
      cgi.on('close', () => {
        const all = Buffer.concat(out);
        const split = all.indexOf('\r\n\r\n');
        const head = all.subarray(0, split).toString('utf8');
        const headers: Record<string, string> = {};
        let status = 200;
        for (const line of head.split('\r\n')) {
          const i = line.indexOf(':');
          const k = line.slice(0, i).trim();
          const v = line.slice(i + 1).trim();
          if (k.toLowerCase() === 'status') status = Number.parseInt(v, 10);
          else headers[k] = v;
        }
        res.writeHead(status, headers);
        res.end(all.subarray(split + 4));
      });
      // http-backend may exit without reading its input (a GET, or a refusal): a write to the
      // closed pipe then fails with EPIPE, which is not the test's concern; its answer is.
      cgi.stdin.on('error', () => {});
      cgi.stdin.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

test('publishPost - over HTTP the token reaches the server only through the credential helper', async (t) => {
  const { root, remote } = bareRepo();
  const server = await startGitHttp(root, 'x-access-token', TOKEN);
  t.after(() => server.close());
  const repo = `${server.url}/blog.git`;
  const base = { repo, branch: 'main', message: 'Hot Papers 2021-06-09', workDir: join(root, 'work') };

  // Without a token git cannot answer the 401 and fails at once (no prompt, no hang).
  await assert.rejects(publishPost({ ...base, files: [{ path: POST, content: 'v1\n' }], env: env() }), {
    message: /^publish: git ls-remote failed: fatal: could not read Username/,
  });

  const e = env({ HOTPAPERS_GIT_TOKEN: TOKEN });
  const first = await publishPost({ ...base, files: [{ path: POST, content: 'v1\n' }], env: e });
  assert.equal(first.committed, true);
  assert.deepEqual(commits(remote), [first.commit]);
  const again = await publishPost({ ...base, files: [{ path: POST, content: 'v1\n' }], env: e });
  assert.deepEqual(again, { committed: false });
  assert.ok(
    server.seen.some((r) => r.url.includes('git-receive-pack') && r.auth !== undefined),
    'the push authenticated',
  );
  assert.equal(
    server.seen.some((r) => r.url.includes(TOKEN)),
    false,
  );
  assert.equal(readFileSync(join(base.workDir, '.git', 'config'), 'utf8').includes(TOKEN), false);
});
