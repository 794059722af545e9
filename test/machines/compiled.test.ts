import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { listMachines, machineFile } from '../../machines/index.js';
import { loadMachine } from '../../machines/schema.js';
import { compiledMachine, sourceHash } from '../../machines/compiled.js';
import { tempFiles } from '../helpers/temp-files.js';

const { dir } = tempFiles('tsemu-compiled-');

test('compiled machines: each bundled machine file has a build-time config equal to parsing the YAML', () => {
  const names = listMachines().map((m) => m.name);
  assert.ok(names.includes('arm-virt') && names.includes('x86-pc'));
  for (const name of names) {
    const file = machineFile(name)!;
    const pre = compiledMachine(file);
    assert.ok(pre, `${name}: no compiled config (npm run build writes dist/machines/compiled/)`);
    assert.deepEqual(pre, loadMachine(file), name);
    // A fresh object each time: buildConfig applies -m, -smp and the rest to it.
    assert.notEqual(compiledMachine(file), pre);
  }
});

test('compiled machines: a copy elsewhere or an edited text is parsed from its YAML', () => {
  const file = machineFile('arm-virt')!;
  const copy = join(dir, 'arm-virt.yaml');
  copyFileSync(file, copy);
  assert.equal(compiledMachine(copy), undefined);
  const text = readFileSync(file, 'utf8');
  assert.notEqual(sourceHash(text), sourceHash(text.replace('256M', '128M')));
  assert.notEqual(sourceHash(text), sourceHash(`${text} `));
  assert.ok(readdirSync(dir).length > 0);
});
