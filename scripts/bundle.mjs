// Bundle the compiled emulator (dist/softmmu/main.js and the ~220 modules it
// imports, plus `yaml`'s 70-odd CommonJS files) into one ES module,
// dist/bin/tsemu.js: the `tsemu` binary, `npm start` and the benchmarks run it.
// Node 20 loads ES modules one file at a time through its async loader; one
// file starts about 0.1 s sooner, which is most of what separates tsemu's
// start-up from QEMU's (docs/jit.md, "Start-up").
//
// The packages with native parts or that only some runs need (the TUI, host
// serial ports, pictures, HTTP) stay outside and load from node_modules when
// used. dist/bin/ is one level under dist/ like every compiled module, so paths
// built from import.meta.url (machines/index.ts) resolve the same.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// Chunk names change with their contents: start empty so old ones do not pile up.
rmSync(`${root}dist/bin`, { recursive: true, force: true });
// Configs validated by an older schema must not outlive it: scripts/compile-machines.mjs,
// the next step of `npm run build`, writes them again.
rmSync(`${root}dist/machines/compiled`, { recursive: true, force: true });

await build({
  entryPoints: { tsemu: `${root}dist/softmmu/main.js` },
  outdir: `${root}dist/bin`,
  bundle: true,
  // Modules main.ts imports dynamically (the TUI and blessed, gdb register
  // tables) become their own chunks, loaded only by the runs that use them.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['blessed', 'serialport', '@napi-rs/canvas', 'node-fetch', '@xterm/headless'],
  // yaml is CommonJS; its require() calls of Node built-ins need a require in an ES module.
  banner: { js: "import { createRequire as __tsemuRequire } from 'node:module'; const require = __tsemuRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
