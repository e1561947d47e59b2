#!/usr/bin/env node
// Runs a WASI preview1 module under Node's node:wasi -- the Node baseline for weft benchmarks and
// a differential-test oracle.
//
//   node run-node.mjs <module.wasm> <hostWorkDir> [args...]
//
// Guest /work is hostWorkDir, guest /tmp is a fresh temporary directory (removed afterwards; set
// RUN_NODE_TMP=<dir> to use and keep a directory of your own). argv[0] is the module's file name;
// the environment is empty. The process exits with the module's exit code. If the module traps,
// the error is printed to stderr and the exit code is 134; if it cannot be compiled or linked,
// the exit code is 70.
import { WASI } from 'node:wasi';
import { readFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const [modulePath, workDir, ...args] = process.argv.slice(2);
if (!modulePath || !workDir) {
  console.error('usage: node run-node.mjs <module.wasm> <hostWorkDir> [args...]');
  process.exit(64);
}

if (!(await stat(workDir).catch(() => null))?.isDirectory()) {
  console.error(`run-node: work directory ${workDir} does not exist`);
  process.exit(64);
}

const ownTmp = !process.env.RUN_NODE_TMP;
const tmpDir = ownTmp ? await mkdtemp(join(tmpdir(), 'run-node-')) : resolve(process.env.RUN_NODE_TMP);
const cleanup = async () => { if (ownTmp) await rm(tmpDir, { recursive: true, force: true }); };

const wasi = new WASI({
  version: 'preview1',
  args: [basename(modulePath), ...args],
  env: {},
  preopens: { '/work': resolve(workDir), '/tmp': tmpDir },
  returnOnExit: true,
});

let instance;
try {
  const module = await WebAssembly.compile(await readFile(modulePath));
  instance = await WebAssembly.instantiate(module, wasi.getImportObject());
} catch (e) {
  console.error(`run-node: cannot load ${modulePath}: ${e}`);
  await cleanup();
  process.exit(70);
}

let code;
try {
  code = wasi.start(instance);
} catch (e) {
  console.error(`run-node: trap: ${e && e.stack ? e.stack : e}`);
  code = 134;
}
await cleanup();
process.exit(code);
