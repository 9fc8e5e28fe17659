/**
 * Loopback stand-in for Bluesky's Jetstream (bluesky-social/jetstream README): a WebSocket
 * server on /subscribe that sends one JSON text message per event. It honours
 * `wantedCollections` (commit events of other collections are not sent; identity and account
 * events always are) and `cursor` (unix microseconds: replay every event from that time on;
 * without it, only events appended after the connection, as live). It can pace its sending and
 * drop connections, to test reconnects and crashes.
 */
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** A Jetstream event in its wire shape. */
export type JetstreamWireEvent = Record<string, unknown> & { did: string; time_us: number; kind: string };

export interface JetstreamStandInOptions {
  /** Send this many events, then wait `pauseMs` (default: everything at once). */
  burst?: number;
  pauseMs?: number;
  /** Terminate each connection after sending it this many events (a server that drops clients). */
  dropAfter?: number;
}

/** One accepted connection, as asked. */
export interface JetstreamConnection {
  url: string;
  cursor?: number;
  wantedCollections: string[];
  sent: number;
}

export interface JetstreamStandIn {
  /** ws://127.0.0.1:PORT/subscribe, for BLUESKY_JETSTREAM_URL. */
  url: string;
  connections: JetstreamConnection[];
  /** Add events (in time order) and send them to the connected clients. */
  append(events: readonly JetstreamWireEvent[]): void;
  /** Terminate every open connection (the server dropping its clients). */
  dropAll(): void;
  close(): Promise<void>;
}

/** Start the Jetstream stand-in with `history` (events in time_us order). */
export async function startJetstreamStandIn(
  history: readonly JetstreamWireEvent[] = [],
  options: JetstreamStandInOptions = {},
): Promise<JetstreamStandIn> {
  const events: JetstreamWireEvent[] = [...history];
  const connections: JetstreamConnection[] = [];
  const clients = new Map<WebSocket, { info: JetstreamConnection; next: number; sending: boolean }>();
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/subscribe' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));

  const wanted = (info: JetstreamConnection, event: JetstreamWireEvent) => {
    if (event.kind !== 'commit' || info.wantedCollections.length === 0) return true;
    const commit = event.commit as { collection?: string } | undefined;
    return info.wantedCollections.includes(String(commit?.collection));
  };

  const pump = async (ws: WebSocket) => {
    const state = clients.get(ws);
    if (!state || state.sending) return;
    state.sending = true;
    try {
      let inBurst = 0;
      while (state.next < events.length && ws.readyState === ws.OPEN) {
        const event = events[state.next++]!;
        if (!wanted(state.info, event)) continue;
        ws.send(JSON.stringify(event));
        state.info.sent++;
        if (options.dropAfter !== undefined && state.info.sent >= options.dropAfter) {
          ws.terminate();
          return;
        }
        if (options.burst && ++inBurst >= options.burst) {
          inBurst = 0;
          await new Promise((r) => setTimeout(r, options.pauseMs ?? 0));
        }
      }
    } finally {
      state.sending = false;
    }
  };

  server.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'ws://stand-in');
    const cursorParam = url.searchParams.get('cursor');
    const cursor = cursorParam !== null && /^\d+$/.test(cursorParam) ? Number(cursorParam) : undefined;
    const info: JetstreamConnection = {
      url: req.url ?? '/',
      cursor,
      wantedCollections: url.searchParams.getAll('wantedCollections'),
      sent: 0,
    };
    connections.push(info);
    // With a cursor, replay from that time; without, start live (after what exists now).
    const next = cursor === undefined ? events.length : firstAtOrAfter(events, cursor);
    clients.set(ws, { info, next, sending: false });
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    void pump(ws);
  });

  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/subscribe`,
    connections,
    append(more) {
      events.push(...more);
      for (const ws of clients.keys()) void pump(ws);
    },
    dropAll() {
      for (const ws of clients.keys()) ws.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of clients.keys()) ws.terminate();
        server.close(() => resolve());
      }),
  };
}

function firstAtOrAfter(events: readonly JetstreamWireEvent[], cursor: number): number {
  const i = events.findIndex((e) => e.time_us >= cursor);
  return i < 0 ? events.length : i;
}

// ---------------------------------------------------------------------------------------------
// Building events (shapes of the Jetstream README; records as the lexicon app.bsky.feed.post)

export interface JetstreamPostSpec {
  did: string;
  rkey: string;
  timeUs: number;
  text: string;
  /** A link, placed as a facet, a link card, a card beside a quote, or left bare in the text. */
  link?: string;
  linkIn?: 'facet' | 'external' | 'recordWithMedia' | 'text';
  operation?: 'create' | 'update';
}

/** A commit creating (or updating) an app.bsky.feed.post record. */
export function jetstreamPost(spec: JetstreamPostSpec): JetstreamWireEvent {
  let text = spec.text;
  const record: Record<string, unknown> = {
    $type: 'app.bsky.feed.post',
    text,
    createdAt: new Date(Math.floor(spec.timeUs / 1000) - 250).toISOString(),
    langs: ['en'],
  };
  if (spec.link) {
    const external = { uri: spec.link, title: 'arXiv paper', description: 'Abstract' };
    switch (spec.linkIn ?? 'facet') {
      case 'facet': {
        const shown = spec.link.replace(/^https?:\/\//, '');
        const display = shown.length > 30 ? `${shown.slice(0, 27)}...` : shown;
        text = `${text} ${display}`.trim();
        const start = Buffer.byteLength(text.slice(0, text.lastIndexOf(display)), 'utf8');
        record.text = text;
        record.facets = [
          {
            index: { byteStart: start, byteEnd: start + Buffer.byteLength(display, 'utf8') },
            features: [{ $type: 'app.bsky.richtext.facet#link', uri: spec.link }],
          },
        ];
        break;
      }
      case 'external':
        record.embed = { $type: 'app.bsky.embed.external', external };
        break;
      case 'recordWithMedia':
        record.embed = {
          $type: 'app.bsky.embed.recordWithMedia',
          record: {
            $type: 'app.bsky.embed.record',
            record: {
              uri: 'at://did:plc:quoted00000000000000000/app.bsky.feed.post/3quoted',
              cid: 'bafyreiq',
            },
          },
          media: { $type: 'app.bsky.embed.external', external },
        };
        break;
      case 'text':
        record.text = `${text} ${spec.link}`;
        break;
    }
  }
  return {
    did: spec.did,
    time_us: spec.timeUs,
    kind: 'commit',
    commit: {
      rev: `3l${spec.timeUs.toString(36)}`,
      operation: spec.operation ?? 'create',
      collection: 'app.bsky.feed.post',
      rkey: spec.rkey,
      record,
      cid: `bafyrei${spec.rkey.toLowerCase()}`,
    },
  };
}

/** A commit deleting a post (no record, no cid). */
export function jetstreamDelete(did: string, rkey: string, timeUs: number): JetstreamWireEvent {
  return {
    did,
    time_us: timeUs,
    kind: 'commit',
    commit: { rev: `3l${timeUs.toString(36)}`, operation: 'delete', collection: 'app.bsky.feed.post', rkey },
  };
}

/** A like commit (another collection: not sent to a client that wants posts only). */
export function jetstreamLike(
  did: string,
  rkey: string,
  timeUs: number,
  subject: string,
): JetstreamWireEvent {
  return {
    did,
    time_us: timeUs,
    kind: 'commit',
    commit: {
      rev: `3l${timeUs.toString(36)}`,
      operation: 'create',
      collection: 'app.bsky.feed.like',
      rkey,
      record: {
        $type: 'app.bsky.feed.like',
        subject: { uri: subject, cid: 'bafyreisubject' },
        createdAt: new Date(Math.floor(timeUs / 1000)).toISOString(),
      },
      cid: `bafyrei${rkey}`,
    },
  };
}

/** An identity event (handle change). */
export function jetstreamIdentity(
  did: string,
  handle: string,
  timeUs: number,
  seq: number,
): JetstreamWireEvent {
  return {
    did,
    time_us: timeUs,
    kind: 'identity',
    identity: { did, handle, seq, time: new Date(Math.floor(timeUs / 1000)).toISOString() },
  };
}

/** An account event (activation status). */
export function jetstreamAccount(
  did: string,
  active: boolean,
  timeUs: number,
  seq: number,
): JetstreamWireEvent {
  return {
    did,
    time_us: timeUs,
    kind: 'account',
    account: {
      active,
      did,
      seq,
      time: new Date(Math.floor(timeUs / 1000)).toISOString(),
      ...(active ? {} : { status: 'deactivated' }),
    },
  };
}
