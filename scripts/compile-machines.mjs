// Validate the bundled machine files once, at build time (machines/compiled.ts
// says why): dist/machines/compiled/NAME.json for each machines/NAME.yaml whose
// config names no host file (a path's existence is checked when parsing, so a
// config that names one is parsed at every start).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { parseMachine } = await import(`${root}dist/machines/schema.js`);
const { COMPILED_DIR, sourceHash } = await import(`${root}dist/machines/compiled.js`);
const { hostFileSlots } = await import(`${root}dist/machines/host-files.js`);

rmSync(COMPILED_DIR, { recursive: true, force: true });
mkdirSync(COMPILED_DIR, { recursive: true });
for (const f of readdirSync(`${root}machines`).filter((n) => n.endsWith('.yaml')).sort()) {
  const file = `${root}machines/${f}`;
  const source = readFileSync(file, 'utf8');
  const config = parseMachine(source, file);
  if (hostFileSlots(config).length > 0) continue;
  writeFileSync(`${COMPILED_DIR}${f.slice(0, -'.yaml'.length)}.json`, JSON.stringify({ file, hash: sourceHash(source), config }));
}
