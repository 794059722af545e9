import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const MODULE = fileURLToPath(new URL('../../softmmu/host-threads.js', import.meta.url));

test('host threads: V8 helper threads drop to nice 19, the main thread keeps its priority', {
  skip: (process.platform !== 'linux' || availableParallelism() < 2) && 'Linux with 2+ CPUs only',
}, () => {
  // In a child process, so the test runner's own threads keep their priority.
  const script = `
    import { readdirSync, readFileSync } from 'node:fs';
    const { deprioritizeHelperThreads } = await import(${JSON.stringify(MODULE)});
    const n = deprioritizeHelperThreads();
    // field 19 of /proc/<pid>/task/<tid>/stat is the nice value (fields counted after the comm's ')')
    const nice = (tid) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]);
    const others = readdirSync('/proc/self/task').map(Number).filter((t) => t !== process.pid);
    console.log(JSON.stringify({ n, main: nice(process.pid), others: others.map(nice) }));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as
    { n: number; main: number; others: number[] };
  assert.equal(out.main, 0);
  assert.ok(out.n >= 1 && out.others.length >= out.n, JSON.stringify(out));
  assert.ok(out.others.filter((v) => v === 19).length >= out.n, JSON.stringify(out));
});
