/**
 * Reading the config file: every way a file can be wrong ends in one ConfigError naming
 * file:line:col and how to fix it. The traps (LAB.md, "Config files") are handled in order:
 * not a regular file, too large, not UTF-8, NUL bytes, YAML errors *and* warnings, alias
 * bombs, and finally the schema with positions mapped back from zod's issue paths.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { distance } from 'fastest-levenshtein';
import { Alias, Composer, isAlias, isMap, isScalar, isSeq, LineCounter, Parser, visit } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.ts';
import { configSchema, SECRET_HINT, SECRET_TYPE_MESSAGE } from './schema.ts';
import type { Config } from './schema.ts';

export const MAX_CONFIG_BYTES = 1024 * 1024;
export const MAX_NESTING = 64;
const MAX_ALIAS_COUNT = 50;

export type PathSegment = string | number;
export interface Position {
  line: number;
  col: number;
}
export interface LoadedConfig {
  path: string;
  config: Config;
  /** Where the node at this path (e.g. ['environments', 'production', 'nodes', 0]) starts. */
  positionOf(path: readonly PathSegment[]): Position | undefined;
}

const INIT_HINT = 'run `opsconsole config init`';

/** Reads, parses and validates a config file; throws ConfigError. */
export function loadConfig(file: string): LoadedConfig {
  const bytes = readConfigBytes(file);
  const text = decodeConfigBytes(file, bytes);
  return parseConfigText(text, file);
}

// ---------------------------------------------------------------------------------------------
// Bytes

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}

function fsError(file: string, e: unknown): ConfigError {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new ConfigError({ file, message: 'no such file', hint: 'create one with `opsconsole config init` or pass -c FILE' });
    case 'ENOTDIR':
      return new ConfigError({ file, message: 'no such file (a part of the path is not a directory)', hint: 'create one with `opsconsole config init` or pass -c FILE' });
    case 'EACCES':
    case 'EPERM':
      return new ConfigError({ file, message: 'permission denied', hint: 'check the owner and mode of the file and its folders (ls -l)' });
    case 'ELOOP':
      return new ConfigError({ file, message: 'too many levels of symbolic links' });
    default:
      return new ConfigError({ file, message: `cannot read the file (${code ?? (e as Error).message})` });
  }
}

function checkStats(file: string, st: Stats): void {
  if (!st.isFile()) {
    throw new ConfigError({ file, message: `${kindOf(st)}, not a config file`, hint: 'pass the path of a YAML file' });
  }
  if (st.size > MAX_CONFIG_BYTES) {
    throw new ConfigError({ file, message: `the file is too large (${st.size} bytes; the limit is 1 MiB)`, hint: 'is this the right file?' });
  }
}

/** The file's bytes, refusing what is not a regular file before reading (a FIFO or /dev/zero would never return). */
export function readConfigBytes(file: string): Uint8Array {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    throw fsError(file, e);
  }
  checkStats(file, st);
  let fd: number;
  try {
    // O_NONBLOCK: if the path was swapped for a FIFO since stat, open must not hang.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw fsError(file, e);
  }
  try {
    checkStats(file, fstatSync(fd));
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let n = 0;
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, buf, n, buf.length - n, null);
      } catch (e) {
        throw fsError(file, e);
      }
      if (got === 0) break;
      n += got;
      if (n > MAX_CONFIG_BYTES) {
        throw new ConfigError({ file, message: 'the file is too large (over 1 MiB)', hint: 'is this the right file?' });
      }
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Text

function lineColAt(text: string, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

/** Offset of the first byte that is not part of valid UTF-8, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let need: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

const PREFIX_DECODER = new TextDecoder('utf-8');

function positionOfByte(bytes: Uint8Array, offset: number): Position {
  const prefix = PREFIX_DECODER.decode(bytes.subarray(0, offset));
  return lineColAt(prefix, prefix.length);
}

function looksUtf16(b: Uint8Array): boolean {
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) return true;
  // Without a BOM, ASCII text in UTF-16 has a NUL in every other byte.
  let even = 0;
  let odd = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === 0) (i % 2 ? odd++ : even++);
  const half = b.length / 2;
  return half >= 1 && (even >= half * 0.4 || odd >= half * 0.4);
}

/** Strict UTF-8 decoding: invalid bytes, UTF-16 and NUL or control bytes are errors with a position. */
export function decodeConfigBytes(file: string, bytes: Uint8Array): string {
  if (looksUtf16(bytes)) {
    throw new ConfigError({ file, message: 'the file is UTF-16, not UTF-8', hint: 'save it as UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`' });
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new ConfigError({ file, ...positionOfByte(bytes, nul), message: 'the file contains a NUL byte (binary data?)', hint: 'a config file is YAML text' });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = Math.max(0, firstInvalidUtf8(bytes));
    const byte = bytes[bad]?.toString(16).padStart(2, '0') ?? '??';
    throw new ConfigError({ file, ...positionOfByte(bytes, bad), message: `invalid UTF-8 (byte 0x${byte} at offset ${bad})`, hint: 'save the file as UTF-8' });
  }
  // yaml parses control characters as plain text; in a config they are always a mistake.
  const ctl = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/.exec(text);
  if (ctl) {
    const code = ctl[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new ConfigError({ file, ...lineColAt(text, ctl.index), message: `control character U+${code} in the file`, hint: 'a config file is YAML text' });
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// YAML

const PARSE_OPTIONS = { uniqueKeys: true, merge: false, maxAliasCount: MAX_ALIAS_COUNT, stringKeys: true, prettyErrors: false } as const;

/**
 * A quick scan of flow brackets ([ and {) outside quotes and comments: rejects a file of
 * 10,000 brackets before the parser spends a second on it. Brackets inside plain scalars
 * may miscount; tooDeepOffset is the exact check.
 */
function flowTooDeepOffset(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end === -1) return undefined;
      i = end;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      if (nl === -1) return undefined;
      i = nl;
    }
  }
  return undefined;
}

/** Depth of nested collections from the CST, without recursion: yaml's composer overflows the stack first. */
function tooDeepOffset(tokens: readonly unknown[]): number | undefined {
  type Tok = { type: string; offset?: number; items?: { key?: unknown; value?: unknown }[]; value?: unknown };
  const stack: { tok: Tok; depth: number }[] = [];
  for (const doc of tokens) stack.push({ tok: doc as Tok, depth: 0 });
  while (stack.length) {
    const { tok, depth } = stack.pop()!;
    const isCollection = tok.type === 'block-map' || tok.type === 'block-seq' || tok.type === 'flow-collection';
    const d = depth + (isCollection ? 1 : 0);
    if (d > MAX_NESTING) return tok.offset ?? 0;
    if (tok.type === 'document' && tok.value) stack.push({ tok: tok.value as Tok, depth: d });
    for (const item of tok.items ?? []) {
      if (item.key && typeof item.key === 'object') stack.push({ tok: item.key as Tok, depth: d });
      if (item.value && typeof item.value === 'object') stack.push({ tok: item.value as Tok, depth: d });
    }
  }
  return undefined;
}

/** The text of the key starting at `offset` (yaml marks only its first character). */
function keyText(text: string, offset: number): string {
  const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\n]*?)\s*:(?:\s|$)/.exec(text.slice(offset, offset + 200));
  const k = m?.[1] ?? text.slice(offset, offset + 1);
  return k.startsWith('"') || k.startsWith("'") ? k.slice(1, -1) : k;
}

function yamlProblem(file: string, text: string, e: { code: string; message: string; pos: [number, number] }, lc: LineCounter): ConfigError {
  const pos = lc.linePos(e.pos[0]);
  const at = text.slice(e.pos[0], e.pos[1]);
  switch (e.code) {
    case 'TAB_AS_INDENT':
      return new ConfigError({ file, ...pos, message: 'tab in indentation', hint: 'YAML indentation uses spaces, not tabs' });
    case 'DUPLICATE_KEY':
      return new ConfigError({ file, ...pos, message: `duplicate key "${keyText(text, e.pos[0])}"`, hint: 'each key may appear once in a mapping' });
    case 'TAG_RESOLVE_FAILED':
      return new ConfigError({ file, ...pos, message: `unknown tag "${at.split(/\s/)[0]}"`, hint: 'opsconsole reads plain YAML: remove the tag' });
    default:
      return new ConfigError({ file, ...pos, message: `YAML: ${e.message}` });
  }
}

function checkAliases(file: string, doc: Document, lc: LineCounter): Alias[] {
  const aliases: Alias[] = [];
  let problem: ConfigError | undefined;
  visit(doc, {
    Alias: (_key, node, path) => {
      if (problem) return visit.BREAK;
      const at = lc.linePos(node.range?.[0] ?? 0);
      const target = node.resolve(doc);
      if (!target) {
        problem = new ConfigError({ file, ...at, message: `undefined alias "*${node.source}"`, hint: `define the anchor &${node.source} before using it` });
      } else if (path.includes(target as never)) {
        problem = new ConfigError({ file, ...at, message: `alias "*${node.source}" refers to a node that contains it`, hint: 'an alias cannot repeat its own parent' });
      }
      aliases.push(node);
      return undefined;
    },
  });
  if (problem) throw problem;
  return aliases;
}

/** Converts to plain JS; an alias bomb throws inside yaml without a position, so note which alias threw. */
function toPlain(file: string, doc: Document, aliases: Alias[], lc: LineCounter): unknown {
  let culprit: Alias | undefined;
  for (const a of aliases) {
    const own = a.toJSON.bind(a);
    a.toJSON = ((arg: unknown, ctx: unknown) => {
      try {
        return (own as (x: unknown, c: unknown) => unknown)(arg, ctx);
      } catch (e) {
        culprit ??= a;
        throw e;
      }
    }) as typeof a.toJSON;
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const at = lc.linePos(culprit?.range?.[0] ?? 0);
    const name = culprit ? `"*${culprit.source}" ` : '';
    if (e instanceof ReferenceError && /Excessive alias count/.test(e.message)) {
      throw new ConfigError({ file, ...at, message: `alias ${name}expands too often (over ${MAX_ALIAS_COUNT} aliases): refusing a possible alias bomb`, hint: 'repeat the values instead of nesting aliases' });
    }
    throw new ConfigError({ file, ...at, message: `YAML: ${(e as Error).message}` });
  }
}

// ---------------------------------------------------------------------------------------------
// Positions

interface Located {
  node?: YamlNode;
  /** The key of the pair holding `node`, when the last segment is a map key. */
  key?: YamlNode;
  /** The deepest node found on the way (for a missing key: the mapping that lacks it). */
  parent?: YamlNode;
  found: boolean;
}

function locate(doc: Document, path: readonly PropertyKey[]): Located {
  let node = doc.contents as YamlNode | null;
  let key: YamlNode | undefined;
  let parent: YamlNode | undefined;
  for (const seg of path) {
    if (node && isAlias(node)) node = (node.resolve(doc) as YamlNode | undefined) ?? null;
    if (!node) return { parent, found: false };
    parent = node;
    key = undefined;
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { parent, found: false };
      key = pair.key as YamlNode;
      node = (pair.value as YamlNode | null) ?? null;
      if (!node) return { parent, key, found: true };
    } else if (isSeq(node) && typeof seg === 'number') {
      node = (node.items[seg] as YamlNode | undefined) ?? null;
      if (!node) return { parent, found: false };
    } else return { parent, found: false };
  }
  return { node: node ?? undefined, key, parent, found: true };
}

function startOf(node: YamlNode | undefined, lc: LineCounter): Position | undefined {
  const r = node?.range;
  return r ? lc.linePos(r[0]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Schema issues

type Issue = z.core.$ZodIssue;

function valueAt(data: unknown, path: readonly PropertyKey[]): { has: boolean; value: unknown } {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, seg)) return { has: false, value: undefined };
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return { has: true, value: v };
}

function label(path: readonly PropertyKey[]): string {
  const last = path.at(-1);
  if (typeof last === 'number') {
    const before = path.at(-2);
    return `${typeof before === 'string' ? before : ''}[${last}]`;
  }
  return last === undefined ? 'the config' : String(last);
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Keys the schema allows at `path` (for did-you-mean), following the data through unions. */
function allowedKeysAt(path: readonly PropertyKey[], data: unknown): string[] {
  type Def = { type: string; shape?: Record<string, unknown>; innerType?: unknown; in?: unknown; valueType?: unknown; element?: unknown; options?: unknown[]; discriminator?: string };
  const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;
  const unwrap = (s: unknown, value: unknown): unknown => {
    for (;;) {
      const d = defOf(s);
      if (d.innerType) s = d.innerType;
      else if (d.type === 'pipe') s = d.in;
      else if (d.type === 'union' && d.options) {
        const disc = d.discriminator;
        const v = disc && value && typeof value === 'object' ? (value as Record<string, unknown>)[disc] : undefined;
        const match = d.options.find((o) => {
          const sh = defOf(unwrap(o, undefined)).shape;
          const lit = sh && disc ? (defOf(sh[disc]) as { values?: unknown[] }).values : undefined;
          return lit?.includes(v);
        });
        if (!match) return s;
        s = match;
      } else return s;
    }
  };
  let schema: unknown = configSchema;
  let value: unknown = data;
  for (const seg of path) {
    schema = unwrap(schema, value);
    const d = defOf(schema);
    if (d.type === 'object' && d.shape) schema = d.shape[String(seg)];
    else if (d.type === 'record') schema = d.valueType;
    else if (d.type === 'array') schema = d.element;
    else return [];
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[seg as string] : undefined;
    if (!schema) return [];
  }
  const d = defOf(unwrap(schema, value));
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}

interface Located2 {
  /** Breaks ties at one position: an unknown key explains a missing one better than the reverse. */
  rank: number;
  pos?: Position;
  message: string;
  hint?: string;
}

function hintOf(issue: { params?: Record<string, unknown> }): string | undefined {
  const h = issue.params?.['hint'];
  return typeof h === 'string' ? h : undefined;
}

function explain(issue: Issue, data: unknown, doc: Document, lc: LineCounter): Located2 {
  return { rank: issue.code === 'unrecognized_keys' ? 0 : 1, ...explainIssue(issue, data, doc, lc) };
}

function explainIssue(issue: Issue, data: unknown, doc: Document, lc: LineCounter): Omit<Located2, 'rank'> {
  const path = issue.path;
  const here = locate(doc, path);
  const at = startOf(here.node, lc) ?? startOf(here.key, lc) ?? startOf(here.parent, lc);
  const name = label(path);
  const { has, value } = valueAt(data, path);

  switch (issue.code) {
    case 'unrecognized_keys': {
      const map = here.node;
      const keyNodes = isMap(map) ? (map.items as Pair[]).filter((p) => isScalar(p.key) && issue.keys.includes(String(p.key.value))) : [];
      const first = keyNodes.map((p) => p.key as YamlNode).sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0))[0];
      const key = first && isScalar(first) ? String(first.value) : issue.keys[0]!;
      const present = value && typeof value === 'object' ? value : {};
      const allowed = allowedKeysAt(path, data).filter((k) => !Object.hasOwn(present, k));
      const guess = closest(key, allowed);
      return {
        pos: startOf(first, lc) ?? at,
        message: `unknown key "${key}"`,
        hint: guess ? `did you mean "${guess}"?` : allowed.length ? `allowed keys: ${allowed.join(', ')}` : undefined,
      };
    }
    case 'invalid_type': {
      if (!has && path.length > 0) {
        const parent = locate(doc, path.slice(0, -1));
        return { pos: startOf(parent.node, lc) ?? startOf(parent.parent, lc), message: `missing required key "${String(path.at(-1))}"` };
      }
      // A schema's own type message (durations, secret references) names the expected form better.
      const expected = issue.message.startsWith('Invalid input') ? (EXPECTED[issue.expected] ?? issue.expected) : issue.message;
      if (path.length === 0) return { pos: at, message: `the config must be a mapping, not ${describeValue(value)}`, hint: 'start with environments:' };
      if (expected === SECRET_TYPE_MESSAGE) return { pos: at, message: `${name} must be ${expected}`, hint: SECRET_HINT }; // the value may be the secret
      return { pos: at, message: `${name} must be ${expected}, not ${describeValue(value)}`, hint: typeof value === 'string' && issue.expected === 'boolean' ? 'write true or false' : undefined };
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string' && min === 1) return { pos: at, message: `${name} must not be empty` };
      if (issue.origin === 'array') return { pos: at, message: `${name} needs at least ${min} ${min === 1 ? 'entry' : 'entries'}` };
      return { pos: at, message: `${name} must be at least ${min}, not ${String(value)}` };
    }
    case 'too_big':
      if (issue.origin === 'array') return { pos: at, message: `${name} has more than ${Number(issue.maximum)} entries` };
      return { pos: at, message: `${name} must be at most ${Number(issue.maximum)}, not ${String(value)}` };
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      const guess = typeof value === 'string' ? closest(value, values) : undefined;
      const list = values.length === 1 ? `"${values[0]}"` : `one of ${values.join(', ')}`;
      return { pos: at, message: `${name} must be ${list}, not ${describeValue(value)}`, hint: guess ? `did you mean "${guess}"?` : undefined };
    }
    case 'invalid_union':
      return { pos: at, message: issue.message };
    case 'invalid_format': {
      const what = issue.format === 'url' ? 'a URL' : issue.format === 'email' ? 'an email address' : `in ${issue.format} format`;
      return { pos: at, message: `${name} must be ${what}, not ${describeValue(value)}` };
    }
    case 'invalid_key': {
      const inner = issue.issues[0] as (Issue & { params?: Record<string, unknown> }) | undefined;
      return { pos: startOf(here.key, lc) ?? at, message: inner?.message ?? issue.message, hint: inner ? hintOf(inner) : undefined };
    }
    case 'custom':
      return { pos: at, message: issue.message, hint: hintOf(issue) };
    default:
      return { pos: at, message: `${name}: ${issue.message}` };
  }
}

// ---------------------------------------------------------------------------------------------

/** Top-level `x-…` keys are the user's own (a place for YAML anchors, as in compose files). */
function withoutExtensions(data: unknown): unknown {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('x-')));
}

/** Parses and validates config text (already decoded); `file` names it in errors. */
export function parseConfigText(text: string, file: string): LoadedConfig {
  const tooDeep = (offset: number) =>
    new ConfigError({ file, ...lineColAt(text, offset), message: `nesting deeper than ${MAX_NESTING} levels`, hint: 'a config never needs this; is this the right file?' });
  const flowDeep = flowTooDeepOffset(text);
  if (flowDeep !== undefined) throw tooDeep(flowDeep);
  // parseDocument's own steps, so the CST can be checked for depth between parsing and composing.
  const lc = new LineCounter();
  const tokens = [...new Parser(lc.addNewLine).parse(text)];
  const deep = tooDeepOffset(tokens);
  if (deep !== undefined) throw tooDeep(deep);
  const docs = [...new Composer(PARSE_OPTIONS).compose(tokens, true, text.length)];
  const doc = docs[0]!;
  if (docs[1]) {
    throw new ConfigError({ file, ...lc.linePos(docs[1].range[0]), message: 'a second YAML document', hint: 'a config file holds one document: remove the "---" line' });
  }
  const problems = [...doc.errors, ...doc.warnings].sort((a, b) => a.pos[0] - b.pos[0]);
  if (problems[0]) throw yamlProblem(file, text, problems[0], lc);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw new ConfigError({ file, message: 'the file is empty', hint: INIT_HINT });
  }
  const aliases = checkAliases(file, doc, lc);
  const data = toPlain(file, doc, aliases, lc);

  const positionOf = (path: readonly PathSegment[]): Position | undefined => {
    const here = locate(doc, path);
    return here.found ? (startOf(here.node, lc) ?? startOf(here.key, lc)) : undefined;
  };

  const result = configSchema.safeParse(withoutExtensions(data));
  if (!result.success) {
    // A mapping with an unknown key and a missing one most likely holds a misspelling of it:
    // the unknown key (with its did-you-mean) is the message that helps.
    const withUnknown = new Set(result.error.issues.filter((i) => i.code === 'unrecognized_keys').map((i) => JSON.stringify(i.path)));
    const isMissingBesideUnknown = (i: Issue) =>
      i.code === 'invalid_type' && withUnknown.has(JSON.stringify(i.path.slice(0, -1))) && !valueAt(data, i.path).has;
    const explained = result.error.issues.filter((i) => !isMissingBesideUnknown(i)).map((i) => explain(i, data, doc, lc));
    const key = (e: Located2) => (e.pos ? e.pos.line * 1e7 + e.pos.col * 10 : 0) + e.rank;
    const first = explained.sort((a, b) => key(a) - key(b))[0]!;
    throw new ConfigError({ file, ...(first.pos ?? {}), message: first.message, ...(first.hint ? { hint: first.hint } : {}) });
  }
  return { path: file, config: result.data, positionOf };
}
