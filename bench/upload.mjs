// Upload benchmark: `npm run bench:upload` (not part of npm test).
//
// 1. 500 files of 20 KB uploaded by `imagekit upload` to an emulator answering after 50 ms
//    (`--latency 50`), as a ratio to the ideal 500 x 50 ms / concurrency, and to the official SDK's
//    `files.upload` called in a sequential loop on the same files. Target: within 1.1 of the ideal at
//    concurrency 8.
// 2. One 1 GB file (a video, within the plan's limit) uploaded by `imagekit upload`, and the peak RSS
//    of that process. Target: under 150 MB.
// The emulator runs in its own process so that only the uploader is measured. A report, not a test:
// it exits 1 only when an upload fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, startEmulatorProcess } from './emulator-process.mjs';
import { writeSparseVideo } from './sparse-video.mjs';
import { timedUpload, writeAssets } from './upload-batch.mjs';
const FILES = Number(process.env.BENCH_FILES ?? 500);
const FILE_KB = 20;
const LATENCY_MS = 50;
const CONCURRENCY = 8;
const BIG_MB = Number(process.env.BENCH_BIG_MB ?? 1024);

function run(command, args, env, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return { seconds, stdout: result.stdout, stderr: result.stderr };
}

// The official SDK, one upload after another, as a hand-written loop would do it.
const SDK_LOOP = `
import ImageKit, { toFile } from '@imagekit/nodejs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const client = new ImageKit({ privateKey: process.env.IMAGEKIT_PRIVATE_KEY, baseURL: process.env.IMAGEKIT_BASE_URL });
const dir = process.env.BENCH_DIR;
for (const name of readdirSync(dir)) {
  await client.files.upload({ file: await toFile(readFileSync(join(dir, name)), name), fileName: name, folder: '/sdk', useUniqueFileName: false });
}
`;

const work = mkdtempSync(join(tmpdir(), 'imagekit-bench-upload-'));
let failed = false;
try {
  const assets = join(work, 'assets');
  writeAssets(assets, FILES, FILE_KB);

  const slow = await startEmulatorProcess(['--latency', String(LATENCY_MS), '--data', join(work, 'slow')]);
  let cli;
  let sdk;
  try {
    cli = timedUpload({ assets, files: FILES, folder: '/cli', latencyMs: LATENCY_MS, concurrency: CONCURRENCY, env: slow.env, cwd: work });
    sdk = run(process.execPath, ['--input-type=module', '-e', SDK_LOOP], { ...slow.env, BENCH_DIR: assets }, ROOT);
  } finally {
    await slow.stop();
  }
  const { idealSeconds: ideal, ratio } = cli;

  const big = join(work, 'big.mp4');
  writeSparseVideo(big, BIG_MB * 1024 * 1024);
  const fast = await startEmulatorProcess(['--data', join(work, 'fast')]);
  let bigRun;
  try {
    // GNU time prints the peak resident set size of the process it runs, in kilobytes.
    bigRun = run('/usr/bin/time', ['-f', 'peak-rss-kb=%M', process.execPath, CLI, 'upload', big, '--folder', '/big', '--json', '--timeout', '600'], fast.env, work);
  } finally {
    await fast.stop();
  }
  const peakMb = Number(/peak-rss-kb=(\d+)/.exec(bigRun.stderr)[1]) / 1024;
  if (JSON.parse(bigRun.stdout)[0].size !== BIG_MB * 1024 * 1024) throw new Error('the big upload has the wrong size');

  const verdict = (pass) => (pass ? 'PASS' : 'FAIL');
  console.log(`${FILES} files of ${FILE_KB} KB, emulator latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}:`);
  console.log(`  imagekit upload            ${cli.seconds.toFixed(2)} s = ${ratio.toFixed(2)} x the ideal ${ideal.toFixed(3)} s (target <= 1.1) ${verdict(ratio <= 1.1)}`);
  console.log(`  official SDK, sequential   ${sdk.seconds.toFixed(2)} s = ${(sdk.seconds / cli.seconds).toFixed(1)} x slower than imagekit upload`);
  console.log(`one ${BIG_MB} MB file: ${bigRun.seconds.toFixed(1)} s, peak RSS ${peakMb.toFixed(1)} MB (target < 150 MB) ${verdict(peakMb < 150)}`);
  console.log(`BENCH_JSON ${JSON.stringify({ files: FILES, cliSeconds: cli.seconds, idealSeconds: ideal, ratioToIdeal: ratio, sdkSequentialSeconds: sdk.seconds, bigMb: BIG_MB, bigSeconds: bigRun.seconds, peakRssMb: peakMb })}`);
} catch (error) {
  failed = true;
  console.error(error.message);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
