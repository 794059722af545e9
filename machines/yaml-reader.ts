/**
 * Walking a parsed YAML document with positions, so that every complaint
 * about a machine file reads `FILE:LINE: key: what was expected, got X`.
 * The schema asks this for typed values; it never sees raw yaml nodes' quirks
 * (aliases, null scalars for `key:` with nothing after it).
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError } from './config.js';
import { parseSize } from './sizes.js';

/** A YAML value with where it came from; `node` is null for `key:` left empty. */
export interface Entry {
  key: string;      // dotted path for messages: devices[2].base
  node: Node | null;
  keyNode: Node;
}

export class YamlReader {
  readonly lc = new LineCounter();
  readonly doc: Document;

  constructor(readonly file: string, source: string) {
    this.doc = parseDocument(source, { lineCounter: this.lc, prettyErrors: false });
    const err = this.doc.errors[0];
    if (err) {
      // yaml's own messages end in "at line N, column M"; we give the line up front instead.
      const msg = err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').split('\n')[0];
      throw new ConfigError(`${file}:${this.lc.linePos(err.pos[0]).line}: YAML syntax: ${msg}`);
    }
  }

  get root(): Node | null {
    return this.deref(this.doc.contents as Node | null);
  }

  line(node: Node | null | undefined): number {
    return this.lc.linePos(node?.range?.[0] ?? 0).line;
  }

  fail(at: Node | null | undefined, key: string, what: string): never {
    throw new ConfigError(`${this.file}:${this.line(at)}: ${key || 'machine'}: ${what}`);
  }

  deref(node: Node | null | undefined): Node | null {
    if (node && isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    if (node && isScalar(node) && node.value === null) return null;
    return node ?? null;
  }

  /** How a value reads in "got X": its source text for scalars. */
  describe(node: Node | null): string {
    if (node === null) return 'nothing';
    if (isMap(node)) return 'a mapping';
    if (isSeq(node)) return 'a list';
    return `'${isScalar(node) ? (node.source ?? String(node.value)) : String(node)}'`;
  }

  /** A mapping's entries in order; keys outside `allowed` are refused with the accepted list. */
  entries(node: Node | null, path: string, allowed: readonly string[], at?: Node | null): Entry[] {
    if (!node || !isMap(node)) this.fail(node ?? at, path, `expected a mapping, got ${this.describe(node)}`);
    const out: Entry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node;
      const name = isScalar(keyNode) ? String(keyNode.value) : '';
      const key = path ? `${path}.${name}` : name;
      if (!allowed.includes(name)) {
        this.fail(keyNode, key, `unknown key (expected one of: ${allowed.join(', ')})`);
      }
      out.push({ key, keyNode, node: this.deref(pair.value as Node | null) });
    }
    return out;
  }

  /** One key of a mapping, without judging the others (to read `type` before knowing what else is allowed). */
  find(node: Node | null, path: string, name: string): Entry | undefined {
    if (!node || !isMap(node)) this.fail(node, path, `expected a mapping, got ${this.describe(node)}`);
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === name);
    if (!pair) return undefined;
    return { key: path ? `${path}.${name}` : name, keyNode: pair.key as Node, node: this.deref(pair.value as Node | null) };
  }

  items(e: Entry): Node[] {
    if (!e.node || !isSeq(e.node)) this.fail(e.node ?? e.keyNode, e.key, `expected a list, got ${this.describe(e.node)}`);
    return e.node.items.map((n) => this.deref(n as Node)).filter((n): n is Node => n !== null);
  }

  private scalar(e: Entry): unknown {
    if (!e.node) this.fail(e.keyNode, e.key, 'expected a value, got nothing');
    if (!isScalar(e.node)) this.fail(e.node, e.key, `expected a single value, got ${this.describe(e.node)}`);
    return e.node.value;
  }

  string(e: Entry, pattern?: RegExp, expected = 'a string'): string {
    const v = this.scalar(e);
    if (typeof v !== 'string' || v === '' || (pattern && !pattern.test(v))) {
      this.fail(e.node, e.key, `expected ${expected}, got ${this.describe(e.node)}`);
    }
    return v;
  }

  bool(e: Entry): boolean {
    const v = this.scalar(e);
    if (typeof v !== 'boolean') this.fail(e.node, e.key, `expected true or false, got ${this.describe(e.node)}`);
    return v;
  }

  uint(e: Entry, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.scalar(e);
    // No K/M/G here: a frequency or a count in binary units would be a silent surprise.
    const n = typeof v === 'string' && /^(0x[0-9a-f_]+|[0-9][0-9_]*)$/i.test(v) ? parseSize(v)
      : typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
    if (n === undefined || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `a whole number >= ${min}` : `a whole number from ${min} to ${max}`;
      this.fail(e.node, e.key, `expected ${range}, got ${this.describe(e.node)}`);
    }
    return n;
  }

  /** A size; a bare number counts in `unit` bytes. */
  size(e: Entry, unit = 1, example = '0x1000 or 64K'): number {
    const v = this.scalar(e);
    const n = typeof v === 'string' || typeof v === 'number' ? parseSize(v, unit) : undefined;
    if (n === undefined || n === 0) this.fail(e.node, e.key, `expected a size like ${example}, got ${this.describe(e.node)}`);
    return n;
  }

  /** A 32-bit guest-physical address. */
  address(e: Entry): number {
    const v = this.scalar(e);
    const n = typeof v === 'string' || typeof v === 'number' ? parseSize(v) : undefined;
    if (n === undefined || n > 0xffff_ffff) {
      this.fail(e.node, e.key, `expected an address like 0x09000000, got ${this.describe(e.node)}`);
    }
    return n;
  }

  oneOf<T extends string | number>(e: Entry, choices: readonly T[]): T {
    const v = this.scalar(e);
    if (!choices.includes(v as T)) {
      this.fail(e.node, e.key, `expected one of ${choices.join(', ')}, got ${this.describe(e.node)}`);
    }
    return v as T;
  }
}
