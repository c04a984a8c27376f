#!/usr/bin/env node
// Starts the CLI and nothing more: runs the bundle of dist/cli/bundle/ that the first argument needs
// (scripts/build.mjs says which there are), or the whole program's. Scripts run `imagekit` in loops,
// so start-up counts: this file and the bundles are CommonJS (bin/package.json says so for this one),
// as setting up Node's ES module loader alone costs several milliseconds, and each bundle is compiled
// with a V8 code cache, which Node 20 does not keep by itself (22's module.enableCompileCache is the
// same idea): without it, compiling the code a command runs costs about as much as the rest of its
// start. The cache lives in dist/cli/code-cache/, as trusted as the bundles beside it; where dist/
// cannot be written it is simply not kept. NODE_DISABLE_COMPILE_CACHE turns it off, as for Node 22.
'use strict';
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLES = join(__dirname, '..', 'dist', 'cli', 'bundle');
const CACHE = join(__dirname, '..', 'dist', 'cli', 'code-cache');
const useCache = !process.env.NODE_DISABLE_COMPILE_CACHE;

/**
 * Runs a bundle as CommonJS would, compiled with its code cache when there is one that fits. Returns
 * its exports and a function to call once the command has run, which stores a new cache if needed
 * (made then, it holds every function the run compiled); undefined when the bundle does not exist.
 */
function load(bundle) {
  const file = join(BUNDLES, bundle);
  let source;
  let stamp;
  try {
    source = readFileSync(file, 'utf8');
    stamp = statSync(file).mtimeMs;
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
  // V8 checks a cache's V8 version and flags, but of the source only its length: the name holds the rest.
  const prefix = `${bundle.replace(/\//g, '-')}.`;
  const cacheFile = join(CACHE, `${prefix}${Math.round(stamp)}.${process.version}.${process.arch}`);
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // none yet: made after this run
    }
  }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, Module.createRequire(file), module, file, dirname(file));
  const keepCache = () => {
    if (!useCache || (cachedData !== undefined && !script.cachedDataRejected)) return;
    try {
      mkdirSync(CACHE, { recursive: true });
      for (const old of readdirSync(CACHE)) if (old.startsWith(prefix)) rmSync(join(CACHE, old), { force: true });
      // Written aside and renamed, so that a run starting meanwhile never reads half a cache.
      const partial = `${cacheFile}.${process.pid}`;
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, cacheFile);
    } catch {
      // dist/ is read-only here, or another run is writing the same cache: run without one.
    }
  };
  return { exports: module.exports, keepCache };
}

function missingBuild() {
  process.stderr.write('error: the build in dist/ is missing (or was being replaced): run "npm run build", or try again\n');
  process.exit(1);
}

async function run(argv) {
  const loaded = [];
  let code;
  if (argv[0] === 'url') {
    const quick = load('quick.cjs') ?? missingBuild();
    loaded.push(quick);
    code = await quick.exports.quickMain(argv, quick.exports.systemIO());
  }
  if (code === undefined) {
    // A command's own bundle when the first argument names one; the whole program otherwise.
    const program = (/^[a-z][a-z-]*$/.test(argv[0] ?? '') && argv[0] !== 'url' ? load(`commands/${argv[0]}.cjs`) : undefined) ?? load('main.cjs') ?? missingBuild();
    loaded.push(program);
    code = await program.exports.main(argv, program.exports.systemIO());
  }
  process.exitCode = code;
  for (const bundle of loaded) bundle.keepCache();
}

run(process.argv.slice(2));
