// Peak memory of one large upload through the project's client: `npm run bench:memory`.
//
// The emulator runs as its own process (`imagekit emulator`), so only the uploading process is
// measured: a child that uploads a sparse file of BENCH_UPLOAD_MB (default 300) megabytes and reports
// its peak resident set size. Target: under 150 MB, whatever the file's size. A report, not a test:
// it exits 1 only when the upload fails.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSparseVideo } from './sparse-video.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIZE_MB = Number(process.env.BENCH_UPLOAD_MB ?? 300);
const TARGET_MB = 150;

async function startEmulatorProcess(dataDir) {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'imagekit.js'), 'emulator', '--data', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 15_000;
  while (!output.includes('IMAGEKIT_PUBLIC_KEY')) {
    if (Date.now() > deadline) throw new Error(`the emulator did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const env = Object.fromEntries(output.trim().split('\n').map((line) => line.replace(/^export /, '').split('=', 2)));
  return { child, env };
}

// The uploading process: the client from the built library, one upload, then its peak RSS.
const UPLOADER = `
import { ImageKitClient } from ${JSON.stringify(join(ROOT, 'dist', 'src', 'client.js'))};
const client = new ImageKitClient({ privateKey: process.env.IMAGEKIT_PRIVATE_KEY, baseUrl: process.env.IMAGEKIT_BASE_URL, uploadBaseUrl: process.env.IMAGEKIT_BASE_URL, timeoutMs: 600000 });
const started = Date.now();
const result = await client.upload({ path: process.env.BENCH_FILE }, { fileName: 'big.mp4', useUniqueFileName: false });
console.log(JSON.stringify({ size: result.size, seconds: (Date.now() - started) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
`;

const work = mkdtempSync(join(tmpdir(), 'imagekit-bench-memory-'));
const file = join(work, 'big.mp4');
writeSparseVideo(file, SIZE_MB * 1024 * 1024);
const { child, env } = await startEmulatorProcess(join(work, 'emulator-data'));
try {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', UPLOADER], { env: { ...process.env, ...env, BENCH_FILE: file }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the upload failed:\n${run.stderr}`);
  const report = JSON.parse(run.stdout.trim().split('\n').pop());
  if (report.size !== SIZE_MB * 1024 * 1024) throw new Error(`uploaded ${report.size} bytes, expected ${SIZE_MB * 1024 * 1024}`);
  const verdict = report.peakRssMb < TARGET_MB ? 'PASS' : 'FAIL';
  console.log(`upload of ${SIZE_MB} MB: ${report.seconds.toFixed(1)} s, peak RSS of the uploading process ${report.peakRssMb.toFixed(1)} MB (target < ${TARGET_MB} MB) ${verdict}`);
  console.log(`BENCH_JSON ${JSON.stringify({ sizeMb: SIZE_MB, ...report, targetMb: TARGET_MB, pass: verdict === 'PASS' })}`);
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
  rmSync(work, { recursive: true, force: true });
}
