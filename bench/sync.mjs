// Sync benchmark: `npm run bench:sync` (not part of npm test).
//
// 3,000 files of 16 KB in 30 folders are pushed by `imagekit sync` to an emulator, then the same
// sync runs again and finds nothing to do. The no-op run is the one that matters in CI (a deploy
// that changed three files out of thousands), and it is measured against `sha256sum` over the same
// tree, in the same run, rounds interleaved so that the noisy machine weighs on both alike. Targets:
// at most 10 API calls per 1,000 files, and a no-op run within 2 x sha256sum's time plus the time of
// its list calls (measured alone, through the library's client). The emulator runs in this process
// (its request log counts the calls); the CLI runs as a child process, as a user would run it. A
// report, not a test: it exits 1 only when a run fails.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'imagekit.js');
const FILES = Number(process.env.BENCH_FILES ?? 3000);
const FILE_KB = 16;
const FOLDERS = 30;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const { startEmulator } = await import(join(ROOT, 'dist', 'emulator', 'index.js'));
const { ImageKitClient } = await import(join(ROOT, 'dist', 'src', 'client.js'));

/** Runs a command as a child process without blocking this one (the emulator answers meanwhile). */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${args.join(' ')} failed (${code}):\n${stderr}`));
      else resolve({ seconds, stdout, stderr });
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const work = mkdtempSync(join(tmpdir(), 'imagekit-bench-sync-'));
let failed = false;
let emulator;
try {
  const site = join(work, 'site');
  let seed = 1;
  for (let i = 0; i < FILES; i++) {
    const folder = join(site, `section-${i % FOLDERS}`);
    mkdirSync(folder, { recursive: true });
    const bytes = Buffer.alloc(FILE_KB * 1024);
    for (let b = 0; b < bytes.length; b += 4) bytes.writeUInt32LE((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0), b);
    writeFileSync(join(folder, `asset-${i}.bin`), bytes);
  }
  if (spawnSync('sha256sum', ['--version']).status !== 0) throw new Error('sha256sum is not installed');

  emulator = await startEmulator({ dataDir: join(work, 'emulator') });
  const env = { ...process.env, IMAGEKIT_BASE_URL: emulator.url, IMAGEKIT_PRIVATE_KEY: emulator.privateKey, IMAGEKIT_URL_ENDPOINT: emulator.urlEndpoint, XDG_CACHE_HOME: join(work, 'cache') };
  const sync = () => run(process.execPath, [CLI, 'sync', 'site', 'ik:/bench', '--delete', '--json'], { env, cwd: work });

  const initial = await sync();
  const pushed = JSON.parse(initial.stdout);
  if (pushed.counts.uploaded !== FILES) throw new Error(`the initial push uploaded ${pushed.counts.uploaded} files, not ${FILES}`);

  const client = new ImageKitClient({ privateKey: emulator.privateKey, baseUrl: emulator.url, uploadBaseUrl: emulator.url });
  const noop = [];
  const sha = [];
  const lists = [];
  let calls;
  for (let round = 0; round < ROUNDS; round++) {
    sha.push((await run('sh', ['-c', 'find site -type f -print0 | xargs -0 sha256sum > /dev/null'], { cwd: work })).seconds);
    const before = emulator.requests.length;
    const again = await sync();
    noop.push(again.seconds);
    calls = emulator.requests.length - before;
    const counts = JSON.parse(again.stdout).counts;
    if (counts.unchanged !== FILES || counts.uploaded + counts.updated + counts.deleted !== 0) throw new Error(`the no-op run changed something: ${JSON.stringify(counts)}`);
    // The same list calls, alone: what the no-op run cannot do without.
    const started = process.hrtime.bigint();
    for await (const page of client.listPages({ searchQuery: 'path : "/bench"' })) void page;
    lists.push(Number(process.hrtime.bigint() - started) / 1e9);
  }

  const [noopS, shaS, listS] = [median(noop), median(sha), median(lists)];
  const budget = 2 * shaS + listS;
  const perThousand = (calls / FILES) * 1000;
  const verdict = (pass) => (pass ? 'PASS' : 'FAIL');
  console.log(`${FILES} files of ${FILE_KB} KB in ${FOLDERS} folders; medians of ${ROUNDS} interleaved rounds:`);
  console.log(`  initial push                ${initial.seconds.toFixed(2)} s`);
  console.log(`  sha256sum over the tree     ${(shaS * 1000).toFixed(0)} ms`);
  console.log(`  its list calls, alone       ${(listS * 1000).toFixed(0)} ms`);
  console.log(`  no-op sync                  ${(noopS * 1000).toFixed(0)} ms = ${(noopS / shaS).toFixed(2)} x sha256sum; budget 2 x sha256sum + list calls = ${(budget * 1000).toFixed(0)} ms ${verdict(noopS <= budget)}`);
  console.log(`  API calls of the no-op run  ${calls} = ${perThousand.toFixed(1)} per 1,000 files (target <= 10) ${verdict(perThousand <= 10)}`);
  console.log(`BENCH_JSON ${JSON.stringify({ files: FILES, fileKb: FILE_KB, initialSeconds: initial.seconds, noopSeconds: noopS, sha256sumSeconds: shaS, listSeconds: listS, ratioToSha256sum: noopS / shaS, budgetSeconds: budget, apiCalls: calls, callsPerThousand: perThousand })}`);
} catch (error) {
  failed = true;
  console.error(error.message);
} finally {
  await emulator?.close();
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
