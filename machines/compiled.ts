/**
 * The bundled machine files, validated at build time. `npm run build`
 * (scripts/compile-machines.mjs) runs each machines/*.yaml through the schema
 * and writes the result to dist/machines/compiled/NAME.json with the YAML
 * text's hash and path; `-M virt` then reads that instead of loading the YAML
 * library and parsing (~25 ms of a ~0.2 s start-up). A file that changed since
 * the build, or moved, or any other YAML, goes through the schema as before.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MachineConfig } from './config.js';

/** Where the build puts them, from dist/machines/ and from the bundle in dist/bin/ alike. */
export const COMPILED_DIR = fileURLToPath(new URL('../machines/compiled/', import.meta.url));

export interface CompiledMachine { file: string; hash: string; config: MachineConfig }

/** FNV-1a over the text's UTF-16 units, and its length: enough to notice an edit. */
export function sourceHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${(h >>> 0).toString(16)}-${text.length}`;
}

/** The pre-built config for this YAML file, when the build made one from exactly this text at this path. */
export function compiledMachine(file: string): MachineConfig | undefined {
  let entry: CompiledMachine;
  let source: string;
  try {
    entry = JSON.parse(readFileSync(`${COMPILED_DIR}${basename(file, '.yaml')}.json`, 'utf8')) as CompiledMachine;
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return entry.file === file && entry.hash === sourceHash(source) ? entry.config : undefined;
}
