// Start-up and throughput benchmark of `imagekit url`: `npm run bench`.
//
// It is a report, not a test: it exits 0 when a target is missed, and 1 only when a run fails or
// prints the wrong URL. Environment: BENCH_RUNS (start-up rounds, default 40) and BENCH_SAMPLE
// (separate runs timed to extrapolate 10,000 of them, default 100).
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'imagekit.js');
const ROUNDS = positiveInteger('BENCH_RUNS', 40);
const SAMPLE = positiveInteger('BENCH_SAMPLE', 100);
const BATCH_URLS = 10_000;
// The batch is one process, so a single run is at the mercy of the noisy machine: take a median.
const BATCH_RUNS = 3;

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

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => `${value.toFixed(1)} ms`;
const round = (value, digits = 2) => Number(value.toFixed(digits));

function benchStartup(emptyDir, configDir) {
  const cases = [
    { key: 'baseline', label: 'node -e 0', args: ['-e', '0'], cwd: emptyDir, env: envWithoutImagekit(), expected: '' },
    { key: 'envCredentials', label: 'startup (env credentials)', target: 1.3, args: [CLI, ...URL_ARGS], cwd: emptyDir, env: ENV_CREDENTIALS, expected: `${EXPECTED_URL}\n` },
    { key: 'configFile', label: 'startup (config file)', target: 1.5, args: [CLI, ...URL_ARGS], cwd: configDir, env: envWithoutImagekit(), expected: `${EXPECTED_URL}\n` },
    { key: 'signedEnv', label: 'startup (signed, env)', target: null, args: [CLI, ...URL_ARGS, '--signed'], cwd: emptyDir, env: ENV_CREDENTIALS, expected: `${EXPECTED_SIGNED_URL}\n` },
  ];
  // Interleaved, one run of each case per round, so that a noisy spell on the shared machine
  // slows every case alike instead of skewing one of them.
  const times = Object.fromEntries(cases.map((c) => [c.key, []]));
  for (let i = 0; i < ROUNDS; i++) for (const c of cases) times[c.key].push(timedRun(c.args, c));

  const baseline = { medianMs: median(times.baseline), minMs: Math.min(...times.baseline) };
  const results = { baseline: { medianMs: round(baseline.medianMs), minMs: round(baseline.minMs) } };
  console.log(`Start-up, ${ROUNDS} interleaved rounds (median / min; ratios to node -e 0):`);
  console.log(`  ${'node -e 0'.padEnd(28)} ${ms(baseline.medianMs).padStart(9)} / ${ms(baseline.minMs).padStart(9)}`);
  for (const c of cases.slice(1)) {
    const medianMs = median(times[c.key]);
    const minMs = Math.min(...times[c.key]);
    const ratio = medianMs / baseline.medianMs;
    const ratioOfMins = minMs / baseline.minMs;
    results[c.key] = {
      label: c.label, medianMs: round(medianMs), minMs: round(minMs), ratio: round(ratio), ratioOfMins: round(ratioOfMins),
      target: c.target, pass: c.target === null ? null : ratio <= c.target,
    };
    console.log(`  ${c.label.padEnd(28)} ${ms(medianMs).padStart(9)} / ${ms(minMs).padStart(9)}   ratio ${ratio.toFixed(2)} (of mins ${ratioOfMins.toFixed(2)})`);
  }
  return results;
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
  const speedup = separateMs / batchMs;
  console.log(`\n${BATCH_URLS.toLocaleString('en')} URLs:`);
  console.log(`  ${'--batch, one process:'.padEnd(28)} ${(batchMs / 1000).toFixed(3)} s (median of ${BATCH_RUNS}: ${batchTimes.map((t) => ms(t)).join(', ')})`);
  console.log(`  ${`separate runs (${SAMPLE} timed):`.padEnd(28)} ${(separateMs / 1000).toFixed(1)} s extrapolated (${ms(sampleMs / SAMPLE)} per run)`);
  return {
    urls: BATCH_URLS, batchSeconds: round(batchMs / 1000, 3), batchRuns: BATCH_RUNS, sample: SAMPLE,
    separatePerRunMs: round(sampleMs / SAMPLE), separateSeconds: round(separateMs / 1000, 1), speedup: round(speedup, 0),
  };
}

function printSummary({ startup, throughput }) {
  console.log('\nSummary');
  for (const key of ['envCredentials', 'configFile', 'signedEnv']) {
    const r = startup[key];
    const verdict = r.target === null ? '' : ` (target <= ${r.target}) ${r.pass ? 'PASS' : 'FAIL'}`;
    console.log(`  ${`${r.label}:`.padEnd(29)} median ${ms(r.medianMs)} vs node -e 0 ${ms(startup.baseline.medianMs)} -> ratio ${r.ratio.toFixed(2)}${verdict}`);
  }
  console.log(
    `  ${throughput.urls.toLocaleString('en')} URLs: --batch ${throughput.batchSeconds.toFixed(3)} s; separate runs (extrapolated from ${throughput.sample}) ` +
      `${throughput.separateSeconds.toFixed(1)} s; --batch is ${throughput.speedup}x faster`,
  );
}

// Two fresh directories under the temp dir: one empty, so no config file is found, and one with a config file.
const emptyDir = mkdtempSync(join(tmpdir(), 'imagekit-bench-env-'));
const configDir = mkdtempSync(join(tmpdir(), 'imagekit-bench-config-'));
try {
  writeFileSync(join(configDir, '.imagekitrc.json'), JSON.stringify({ urlEndpoint: ENDPOINT, privateKey: PRIVATE_KEY }) + '\n');
  console.log(`imagekit url benchmark: node ${process.version}, ${process.platform}/${process.arch}, ${CLI}\n`);
  const startup = benchStartup(emptyDir, configDir);
  const throughput = benchThroughput(emptyDir);
  const report = { node: process.version, rounds: ROUNDS, startup, throughput };
  printSummary(report);
  console.log(`BENCH_JSON ${JSON.stringify(report)}`);
} catch (error) {
  console.error(`\nbench failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(emptyDir, { recursive: true, force: true });
  rmSync(configDir, { recursive: true, force: true });
}
