// Start-up and upload benchmark of the CLI: `npm run bench` (not part of npm test).
//
// 1. Start-up: every everyday command as a whole process, against `node -e 0`, in interleaved rounds
//    (one run of each case per round, so that a noisy spell on the shared machine slows every case
//    alike): `imagekit url` with credentials from env, from a config file and signed; and against an
//    emulator in a process of its own, answering at once, `files ls`, `files get`, `upload` of one file
//    and `purge` of one URL. (Never an emulator in this process: spawnSync blocks its event loop.)
//    Targets: url 1.2, the others 1.6, as ratios of medians.
// 2. Uploads: 200 and 500 files of 20 KB to an emulator answering after 50 ms, concurrency 8, against
//    the ideal files x 50 ms / 8; a fresh emulator for each run, runs interleaved. Targets 1.2 and 1.1.
// 3. Throughput of `imagekit url`: 10,000 URLs with --batch, against separate runs.
//
// It is a report, not a test: it exits 0 when a target is missed, and 1 only when a run fails or prints
// the wrong thing. With --readme it rewrites the tables between the bench markers of README.md.
// Environment: BENCH_RUNS (start-up rounds, default 40), BENCH_UPLOAD_RUNS (runs of each upload batch,
// default 3) and BENCH_SAMPLE (separate `url` runs timed to extrapolate 10,000 of them, default 100).
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, startEmulatorProcess } from './emulator-process.mjs';
import { timedUpload, writeAssets } from './upload-batch.mjs';

const ROUNDS = positiveInteger('BENCH_RUNS', 40);
const UPLOAD_RUNS = positiveInteger('BENCH_UPLOAD_RUNS', 3);
const SAMPLE = positiveInteger('BENCH_SAMPLE', 100);
const BATCH_URLS = 10_000;
// The batch is one process, so a single run is at the mercy of the noisy machine: take a median.
const BATCH_RUNS = 3;
const UPLOAD_BATCHES = [
  { files: 200, target: 1.2 },
  { files: 500, target: 1.1 },
];
const UPLOAD = { kb: 20, latencyMs: 50, concurrency: 8 };

const ENDPOINT = 'https://ik.imagekit.io/demo';
const PRIVATE_KEY = 'private_bench_key';
const URL_ARGS = ['url', '/default-image.jpg', '-t', 'w-300,h-200'];
const EXPECTED_URL = `${ENDPOINT}/tr:w-300,h-200/default-image.jpg`;
// A signed URL that never expires: HMAC-SHA1 of the URL after the endpoint, plus the SDKs' "never" expiry.
const EXPECTED_SIGNED_URL = `${EXPECTED_URL}?ik-s=${createHmac('sha1', PRIVATE_KEY).update('tr:w-300,h-200/default-image.jpg9999999999').digest('hex')}`;

function positiveInteger(name, fallback) {
  const value = process.env[name] === undefined ? fallback : Number(process.env[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, got "${process.env[name]}"`);
  return value;
}

/** The environment with no IMAGEKIT_* variable, so only what a case sets on purpose is seen. */
function envWithoutImagekit(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('IMAGEKIT_')));
  return { ...env, ...extra };
}
const ENV_CREDENTIALS = envWithoutImagekit({ IMAGEKIT_URL_ENDPOINT: ENDPOINT, IMAGEKIT_PRIVATE_KEY: PRIVATE_KEY });

/** Runs `node <args>` and returns its wall time in ms; throws unless it exits 0 and its stdout is `expected` (or passes it, if a function). */
function timedRun(args, { cwd, env, input, expected }) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, env, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const command = `node ${args.join(' ')} (cwd ${cwd})`;
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} exited with ${result.status ?? result.signal}:\n${result.stderr}`);
  if (typeof expected === 'function') expected(result.stdout, command);
  else if (result.stdout !== expected) throw new Error(`${command} printed ${JSON.stringify(result.stdout)}, expected ${JSON.stringify(expected)}`);
  return ms;
}

/** An expectation that stdout matches a pattern. */
const matching = (pattern) => (stdout, command) => {
  if (!pattern.test(stdout)) throw new Error(`${command} printed ${JSON.stringify(stdout)}, expected ${pattern}`);
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => `${value.toFixed(1)} ms`;
const round = (value, digits = 2) => Number(value.toFixed(digits));

/** The start-up cases that talk to the API, against the emulator `emulator` (a file uploaded there first). */
function apiCases(emulator, emptyDir) {
  const env = envWithoutImagekit(emulator.env);
  const one = join(emptyDir, 'one.txt');
  writeFileSync(one, Buffer.alloc(2048, 7));
  const uploaded = spawnSync(process.execPath, [CLI, 'upload', one, '--folder', '/bench', '--json'], { cwd: emptyDir, env, encoding: 'utf8' });
  if (uploaded.status !== 0) throw new Error(`the first upload failed:\n${uploaded.stderr}`);
  const { fileId, url } = JSON.parse(uploaded.stdout)[0];
  const api = (key, label, args, expected) => ({ key, label, target: 1.6, args: [CLI, ...args], cwd: emptyDir, env, expected });
  return [
    api('filesLs', '`imagekit files ls /bench`', ['files', 'ls', '/bench'], matching(/one\.txt/)),
    api('filesGet', '`imagekit files get <fileId>`', ['files', 'get', fileId], matching(new RegExp(fileId))),
    api('upload', '`imagekit upload one.txt` (2 KB)', ['upload', one, '--folder', '/startup'], matching(/uploaded/)),
    api('purge', '`imagekit purge <url>`', ['purge', url], matching(/\t/)),
  ];
}

function benchStartup(cases) {
  // One round first, untimed: the first run of each command writes its code cache.
  for (const c of cases) timedRun(c.args, c);
  const times = Object.fromEntries(cases.map((c) => [c.key, []]));
  for (let i = 0; i < ROUNDS; i++) for (const c of cases) times[c.key].push(timedRun(c.args, c));

  const baseline = { medianMs: median(times.baseline), minMs: Math.min(...times.baseline) };
  const results = { baseline: { medianMs: round(baseline.medianMs), minMs: round(baseline.minMs) } };
  console.log(`Start-up, ${ROUNDS} interleaved rounds (median / min; ratios to node -e 0):`);
  console.log(`  ${'node -e 0'.padEnd(42)} ${ms(baseline.medianMs).padStart(9)} / ${ms(baseline.minMs).padStart(9)}`);
  for (const c of cases.slice(1)) {
    const medianMs = median(times[c.key]);
    const minMs = Math.min(...times[c.key]);
    const ratio = medianMs / baseline.medianMs;
    results[c.key] = { label: c.label, medianMs: round(medianMs), minMs: round(minMs), ratio: round(ratio), target: c.target, pass: c.target === null ? null : ratio <= c.target };
    const verdict = c.target === null ? '' : ` (target ${c.target}) ${ratio <= c.target ? 'PASS' : 'FAIL'}`;
    console.log(`  ${c.label.replace(/`/g, '').padEnd(42)} ${ms(medianMs).padStart(9)} / ${ms(minMs).padStart(9)}   ratio ${ratio.toFixed(2)}${verdict}`);
  }
  return results;
}

/** Each batch UPLOAD_RUNS times, batches interleaved, each run against a fresh emulator (the same empty store). */
async function benchUploads(work) {
  const runs = Object.fromEntries(UPLOAD_BATCHES.map((b) => [b.files, []]));
  for (const batch of UPLOAD_BATCHES) writeAssets(join(work, `assets-${batch.files}`), batch.files, UPLOAD.kb);
  for (let run = 0; run < UPLOAD_RUNS; run++) {
    for (const batch of UPLOAD_BATCHES) {
      const emulator = await startEmulatorProcess(['--latency', String(UPLOAD.latencyMs), '--data', join(work, `data-${batch.files}-${run}`)]);
      try {
        runs[batch.files].push(timedUpload({ ...UPLOAD, assets: join(work, `assets-${batch.files}`), files: batch.files, folder: '/bench', env: emulator.env, cwd: work }));
      } finally {
        await emulator.stop();
      }
    }
  }
  console.log(`\nUploads of ${UPLOAD.kb} KB files, emulator latency ${UPLOAD.latencyMs} ms, concurrency ${UPLOAD.concurrency} (${UPLOAD_RUNS} runs each, interleaved):`);
  return UPLOAD_BATCHES.map(({ files, target }) => {
    const ratios = runs[files].map((r) => r.ratio);
    const idealSeconds = runs[files][0].idealSeconds;
    const result = { files, idealSeconds, seconds: runs[files].map((r) => round(r.seconds, 3)), ratios: ratios.map((r) => round(r, 3)), medianRatio: round(median(ratios), 3), target };
    const verdict = result.medianRatio <= target ? 'PASS' : 'FAIL';
    console.log(`  ${String(files).padStart(4)} files: ${result.seconds.map((s) => `${s.toFixed(2)} s`).join(', ')} = ${result.ratios.map((r) => r.toFixed(2)).join(', ')} x the ideal ${idealSeconds.toFixed(3)} s; median ${result.medianRatio.toFixed(2)} (target ${target}) ${verdict}`);
    return result;
  });
}

function benchThroughput(emptyDir) {
  const width = (i) => (i % 1000) + 1;
  const expectedUrl = (i) => `${ENDPOINT}/tr:w-${width(i)}/img/${i}.jpg`;
  const input = Array.from({ length: BATCH_URLS }, (_, i) => JSON.stringify({ path: `/img/${i}.jpg`, transformation: [{ width: width(i) }] })).join('\n') + '\n';
  const checkBatch = (stdout, command) => {
    const lines = stdout.split('\n').filter((line) => line !== '');
    if (lines.length !== BATCH_URLS) throw new Error(`${command} printed ${lines.length} non-empty lines, expected ${BATCH_URLS}`);
    for (const i of [0, BATCH_URLS - 1]) {
      if (lines[i] !== expectedUrl(i)) throw new Error(`${command}: line ${i + 1} is ${JSON.stringify(lines[i])}, expected ${JSON.stringify(expectedUrl(i))}`);
    }
  };
  const batchTimes = [];
  for (let run = 0; run < BATCH_RUNS; run++) {
    batchTimes.push(timedRun([CLI, 'url', '--batch'], { cwd: emptyDir, env: ENV_CREDENTIALS, input, expected: checkBatch }));
  }
  const batchMs = median(batchTimes);

  // The same URLs, one process each, as a shell loop would make them.
  let sampleMs = 0;
  for (let i = 0; i < SAMPLE; i++) {
    sampleMs += timedRun([CLI, 'url', `/img/${i}.jpg`, '-t', `w-${width(i)}`], { cwd: emptyDir, env: ENV_CREDENTIALS, expected: `${expectedUrl(i)}\n` });
  }
  const separateMs = (sampleMs / SAMPLE) * BATCH_URLS;
  console.log(`\n${BATCH_URLS.toLocaleString('en')} URLs:`);
  console.log(`  ${'--batch, one process:'.padEnd(28)} ${(batchMs / 1000).toFixed(3)} s (median of ${BATCH_RUNS}: ${batchTimes.map((t) => ms(t)).join(', ')})`);
  console.log(`  ${`separate runs (${SAMPLE} timed):`.padEnd(28)} ${(separateMs / 1000).toFixed(1)} s extrapolated (${ms(sampleMs / SAMPLE)} per run)`);
  return {
    urls: BATCH_URLS, batchSeconds: round(batchMs / 1000, 3), batchRuns: BATCH_RUNS, sample: SAMPLE,
    separatePerRunMs: round(sampleMs / SAMPLE), separateSeconds: round(separateMs / 1000, 1), speedup: round(separateMs / batchMs, 0),
  };
}

/** The report as the README's tables: what --readme writes between the bench markers. */
function readmeTables({ startup, uploads, throughput }) {
  const cores = cpus().length;
  const lines = [
    `| measured (${cores}-core VM, Node ${process.version.slice(1)}, medians of ${ROUNDS} interleaved rounds) | time | ratio to \`node -e 0\` |`,
    '|---|---|---|',
    `| \`node -e 0\` | ${ms(startup.baseline.medianMs)} | 1 |`,
  ];
  for (const [key, result] of Object.entries(startup)) {
    if (key === 'baseline') continue;
    lines.push(`| ${result.label} | ${ms(result.medianMs)} | ${result.ratio.toFixed(2)}${result.target === null ? '' : ` (target ${result.target})`} |`);
  }
  lines.push(
    '',
    `| ${UPLOAD.kb} KB files, emulator latency ${UPLOAD.latencyMs} ms, concurrency ${UPLOAD.concurrency} (${UPLOAD_RUNS} runs each) | time | ratio to the ideal files x ${UPLOAD.latencyMs} ms / ${UPLOAD.concurrency} |`,
    '|---|---|---|',
  );
  for (const u of uploads) {
    lines.push(`| ${u.files} files (ideal ${u.idealSeconds.toFixed(3)} s) | ${u.seconds.map((s) => s.toFixed(2)).join(', ')} s | ${u.ratios.map((r) => r.toFixed(2)).join(', ')} (target ${u.target}) |`);
  }
  lines.push(
    '',
    '| `imagekit url` throughput | time |',
    '|---|---|',
    `| ${throughput.urls.toLocaleString('en')} URLs with \`--batch\`, one process | ${throughput.batchSeconds.toFixed(2)} s |`,
    `| ${throughput.urls.toLocaleString('en')} separate \`imagekit url\` runs (extrapolated from ${throughput.sample}) | about ${Math.round(throughput.separateSeconds).toLocaleString('en')} s: \`--batch\` is about ${throughput.speedup.toLocaleString('en')} times faster |`,
  );
  return lines.join('\n');
}

function writeReadme(report) {
  const file = join(ROOT, 'README.md');
  const text = readFileSync(file, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} section`);
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${readmeTables(report)}\n${text.slice(to)}`);
  console.log('\nREADME.md: the bench section rewritten');
}

// Fresh directories under the temp dir: one empty, so no config file is found; one with a config
// file; one for the upload batches.
const emptyDir = mkdtempSync(join(tmpdir(), 'imagekit-bench-env-'));
const configDir = mkdtempSync(join(tmpdir(), 'imagekit-bench-config-'));
const uploadDir = mkdtempSync(join(tmpdir(), 'imagekit-bench-upload-'));
let emulator;
try {
  writeFileSync(join(configDir, '.imagekitrc.json'), JSON.stringify({ urlEndpoint: ENDPOINT, privateKey: PRIVATE_KEY }) + '\n');
  console.log(`imagekit benchmark: node ${process.version}, ${process.platform}/${process.arch}, ${CLI}\n`);
  emulator = await startEmulatorProcess(['--data', join(uploadDir, 'startup-data')]);
  const startup = benchStartup([
    { key: 'baseline', label: 'node -e 0', args: ['-e', '0'], cwd: emptyDir, env: envWithoutImagekit(), expected: '' },
    { key: 'urlEnv', label: '`imagekit url /default-image.jpg -t w-300,h-200`, credentials from env', target: 1.2, args: [CLI, ...URL_ARGS], cwd: emptyDir, env: ENV_CREDENTIALS, expected: `${EXPECTED_URL}\n` },
    { key: 'urlConfigFile', label: 'the same, credentials from `.imagekitrc.json`', target: 1.5, args: [CLI, ...URL_ARGS], cwd: configDir, env: envWithoutImagekit(), expected: `${EXPECTED_URL}\n` },
    { key: 'urlSigned', label: 'the same, signed, credentials from env', target: null, args: [CLI, ...URL_ARGS, '--signed'], cwd: emptyDir, env: ENV_CREDENTIALS, expected: `${EXPECTED_SIGNED_URL}\n` },
    ...apiCases(emulator, emptyDir),
  ]);
  await emulator.stop();
  emulator = undefined;
  const uploads = await benchUploads(uploadDir);
  const throughput = benchThroughput(emptyDir);
  const report = { node: process.version, rounds: ROUNDS, startup, uploads, throughput };
  console.log(`BENCH_JSON ${JSON.stringify(report)}`);
  if (process.argv.includes('--readme')) writeReadme(report);
} catch (error) {
  console.error(`\nbench failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await emulator?.stop();
  for (const dir of [emptyDir, configDir, uploadDir]) rmSync(dir, { recursive: true, force: true });
}
