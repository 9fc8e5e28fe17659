/**
 * Builds the one validated config object: defaults ← hotpapers.config.json ← environment ←
 * flags. This is the only module that reads process.env.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, clipInput } from '../errors.js';
import { SOURCE_IDS, type SourceId, type Thresholds } from '../types.js';
import { registerSecret, registerSecretsFromEnv } from '../util/redact.js';
import { saveZodCache } from '../util/zod.js';
import { type Config, configSchema, ENV_NAMES, SECRET_KEYS } from './schema.js';

export const CONFIG_FILE = 'hotpapers.config.json';

type Key = keyof typeof ENV_NAMES | 'strict' | 'quiet';

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Values from command-line flags, already named as config keys; undefined means "not given". */
  flags?: Partial<Record<Key, unknown>>;
}

/** Load, merge and validate the configuration; throws ConfigError naming the bad setting. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const origin = new Map<string, string>();
  const merged: Record<string, unknown> = {};

  const fileValues = readConfigFile(join(cwd, CONFIG_FILE));
  for (const [k, v] of Object.entries(fileValues)) {
    merged[k] = v;
    origin.set(k, `${CONFIG_FILE} key "${k}"`);
  }
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      merged[key] = value;
      origin.set(key, name);
    }
  }
  for (const [key, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined) {
      merged[key] = value;
      origin.set(key, flagName(key));
    }
  }

  // Known before anything is sent, so the redactor masks them in whatever comes back.
  registerSecretsFromEnv(env);
  for (const key of SECRET_KEYS) if (typeof merged[key] === 'string') registerSecret(merged[key] as string);

  const parsed = configSchema.safeParse(merged);
  // The first process after an install or upgrade writes zod's code cache here, with what this parse compiled.
  saveZodCache();
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const where = origin.get(key) ?? (key ? key : 'configuration');
    if (issue.code === 'unrecognized_keys') {
      throw new ConfigError(`${CONFIG_FILE} has unknown setting "${issue.keys.join('", "')}"`);
    }
    const got =
      SECRET_KEYS.has(key) || !(key in merged) ? '' : `, got ${clipInput(JSON.stringify(merged[key]))}`;
    throw new ConfigError(`${where} ${issue.message}${got}`);
  }
  const config = parsed.data;
  checkCredentials(config);
  return Object.freeze(config);
}

function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${CONFIG_FILE} is not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${CONFIG_FILE} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

function checkCredentials(config: Config): void {
  const chosen = config.sources;
  if (!chosen) return;
  if (chosen.includes('x') && !config.xBearerToken) {
    throw new ConfigError('HOTPAPERS_SOURCES includes x but X_BEARER_TOKEN is not set');
  }
  // Bluesky without an app password still refreshes the counts of the posts `hotpapers listen`
  // stored; only a half-given login is an error.
  if (chosen.includes('bluesky') && Boolean(config.blueskyHandle) !== Boolean(config.blueskyAppPassword)) {
    throw new ConfigError(
      'HOTPAPERS_SOURCES includes bluesky but BLUESKY_HANDLE and BLUESKY_APP_PASSWORD are not both set',
    );
  }
}

/**
 * The sources a run uses: HOTPAPERS_SOURCES, else every credentialed source plus the free ones.
 * Bluesky also counts as credentialed when `hotpapers listen` feeds the store (`blueskyListener`):
 * the counts of its posts are refreshed without a login.
 */
export function enabledSources(config: Config, state: { blueskyListener?: boolean } = {}): SourceId[] {
  if (config.sources) return [...config.sources];
  return SOURCE_IDS.filter((id) => {
    if (id === 'x') return Boolean(config.xBearerToken);
    if (id === 'bluesky')
      return Boolean(config.blueskyHandle && config.blueskyAppPassword) || state.blueskyListener === true;
    return true;
  });
}

/** The categories a run lists, e.g. ["cs", "stat.ML"]. */
export function chosenCategories(config: Config): string[] {
  return config.categories
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The instant used as "now": HOTPAPERS_NOW or the real clock. */
export function nowOf(config: Config): Date {
  return config.now ? new Date(config.now) : new Date();
}

/** The weight of every source in the fused score (1 unless configured). */
export function weightsOf(config: Config): Record<SourceId, number> {
  return Object.fromEntries(SOURCE_IDS.map((id) => [id, config.weights[id] ?? 1])) as Record<
    SourceId,
    number
  >;
}

/** The ranking thresholds of DESIGN §6 as configured. */
export function thresholdsOf(config: Config): Thresholds {
  return {
    minPaperScore: config.minPaperScore,
    minPostScore: config.minPostScore,
    maxPosts: config.maxPosts,
  };
}

/** A printable copy of the config with secrets masked. */
export function redacted(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[k] = SECRET_KEYS.has(k) && v ? '***' : v;
  return out;
}

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
