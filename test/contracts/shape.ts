/**
 * The shape of a JSON value as a set of `path: type` lines (array items merged under `[]`), so a
 * stand-in's answer can be checked against a contract fixture: every field the stand-in sends
 * must exist, with the same type, in the documented shape.
 */
import { readFileSync } from 'node:fs';

/** Read a contract fixture as text. */
export function contract(path: string): string {
  return readFileSync(new URL(`../fixtures/contracts/${path}`, import.meta.url), 'utf8');
}

/** Read a JSON contract fixture. */
export function contractJson<T = unknown>(path: string): T {
  return JSON.parse(contract(path)) as T;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Every `path: type` of a JSON value. */
export function shapeOf(value: unknown, path = '$', out = new Set<string>()): Set<string> {
  out.add(`${path}: ${typeOf(value)}`);
  if (Array.isArray(value)) for (const item of value) shapeOf(item, `${path}[]`, out);
  else if (value !== null && typeof value === 'object')
    for (const [key, v] of Object.entries(value)) shapeOf(v, `${path}.${key}`, out);
  return out;
}

/** Lines of `actual`'s shape that the documented shape does not have. */
export function undocumented(actual: unknown, documented: unknown): string[] {
  const known = shapeOf(documented);
  return [...shapeOf(actual)].filter((line) => !known.has(line));
}
