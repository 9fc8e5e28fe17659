/**
 * The preview server: serves the latest build on loopback (from memory, or from a generation
 * folder on disk read asynchronously) and rebuilds when the polled signature changes. The build
 * runs off the request path (the serve command builds in a worker thread); requests keep being
 * answered from the previous site until the new one is whole, then switch at once.
 * A rebuild that fails keeps the previous site and is logged.
 */
import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { HotpapersError } from '../errors.js';
import { type Logger, silentLogger } from '../util/log.js';
import type { SiteFiles } from './build.js';

/** A built site: its files in memory, or the folder of a whole generation on disk. */
export type SiteContent = SiteFiles | { dir: string };

export interface ServeOptions {
  /** Builds the site (called at start and after every change); should not block the event loop. */
  build: () => SiteContent | Promise<SiteContent>;
  /** Files whose changes (mtime, size) trigger a rebuild. */
  watch?: string[];
  /** Polled instead of `watch`: a rebuild follows each change of the string it returns. */
  signature?: () => string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  pollMs?: number;
  debounceMs?: number;
  /** Send a Content-Security-Policy allowing only the site's own scripts (off for live embeds). */
  strictCsp?: boolean;
  log?: Logger;
}

export interface SiteServer {
  url: string;
  port: number;
  /** Completed builds so far (1 after start). */
  builds(): number;
  /** Whether a rebuild is running now. */
  building(): boolean;
  /** Polls of the signature so far. */
  polls(): number;
  /** Rebuild now. */
  rebuild(): Promise<void>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/feed+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
};

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/** Start the preview server; resolves once the first build is served. */
export async function startSiteServer(options: ServeOptions): Promise<SiteServer> {
  const log = options.log ?? silentLogger;
  let files = await options.build();
  let builds = 1;
  let polls = 0;
  let building: Promise<void> | undefined;

  const rebuild = async () => {
    if (building) return building;
    building = (async () => {
      const started = Date.now();
      try {
        files = await options.build();
        builds++;
        log.info(`serve: rebuilt in ${Date.now() - started} ms`);
      } catch (error) {
        log.warn(
          error instanceof HotpapersError
            ? error.message
            : `serve: rebuild failed (${(error as Error).message})`,
        );
      } finally {
        building = undefined;
      }
    })();
    return building;
  };

  const server = createServer((req, res) => {
    handle(req, res, files, options.strictCsp ?? true).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`server error (${error.message})\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new HotpapersError(
          'serve',
          `cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 8080} (${error.code ?? error.message})`,
        ),
      ),
    );
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  // Poll the watched files; a change (re)starts the debounce timer, which then rebuilds.
  const signature =
    options.signature ??
    (() =>
      (options.watch ?? [])
        .map((f) => {
          try {
            const s = statSync(f);
            return `${s.mtimeMs}:${s.size}`;
          } catch {
            return '-';
          }
        })
        .join('|'));
  let last = signature();
  let debounce: NodeJS.Timeout | undefined;
  const poll = setInterval(() => {
    polls++;
    let now: string;
    try {
      now = signature();
    } catch (error) {
      log.warn(`serve: cannot read the store (${(error as Error).message})`);
      return;
    }
    if (now === last) return;
    last = now;
    clearTimeout(debounce);
    debounce = setTimeout(() => void rebuild(), options.debounceMs ?? 300);
  }, options.pollMs ?? 500);
  poll.unref();

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    port,
    builds: () => builds,
    building: () => building !== undefined,
    polls: () => polls,
    rebuild,
    async close() {
      clearInterval(poll);
      clearTimeout(debounce);
      await building;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  content: SiteContent,
  strictCsp: boolean,
): Promise<void> {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  if (strictCsp) headers['Content-Security-Policy'] = CSP;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res
      .writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
      .end('method not allowed\n');
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname).replace(/^\/+/, '');
  } catch {
    res.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('bad request\n');
    return;
  }
  if (path === '' || path.endsWith('/')) path += 'index.html';
  // Dot files and folders (the marker, the engine's manifest) and `..` are never served.
  const hidden = path.split('/').some((part) => part.startsWith('.') || part === '');
  let body = hidden ? undefined : await get(content, path);
  if (body === undefined && !hidden && (await get(content, `${path}/index.html`)) !== undefined) {
    res.writeHead(301, { ...headers, Location: `/${path}/` }).end();
    return;
  }
  let status = 200;
  if (body === undefined) {
    status = 404;
    path = '404.html';
    body = (await get(content, path)) ?? 'not found\n';
  }
  res.writeHead(status, { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** A file of the site (undefined when there is none). */
async function get(content: SiteContent, path: string): Promise<string | Buffer | undefined> {
  if (content instanceof Map) return content.get(path);
  try {
    const full = join(content.dir, path);
    if (!(await stat(full)).isFile()) return undefined;
    return await readFile(full);
  } catch {
    return undefined;
  }
}
