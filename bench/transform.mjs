// Transformed delivery benchmark: `npm run bench:transform` (not part of npm test).
//
// A 4000x3000 JPEG stored in an emulator running in its own process, delivered as `tr:w-400`:
// 1. the first delivery (the engine runs), against sharp doing the same resize and JPEG encoding in
//    this process, the floor. Target: within 1.3 x sharp's time + 20 ms. Each round uploads the image
//    under a new name, so every first delivery is a cache miss; rounds interleave the two, so that a
//    noisy spell on the shared machine slows both alike.
// 2. the same URL requested again 20 times (served from the cache): the median. Target: under 5 ms.
// Both sides are warmed up first (sharp loaded in each process), so module loading is not counted.
// A report, not a test: it exits 1 only when a request fails. Environment: BENCH_ROUNDS (default 7).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startEmulatorProcess } from './emulator-process.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const REPEATS = 20;
const WIDTH = 4000;
const HEIGHT = 3000;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => `${value.toFixed(1)} ms`;

async function timed(work) {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/** A photo-like 4000x3000 JPEG: smooth random shapes (coarse noise scaled up), not one flat colour. */
const makePhoto = async () => {
  const coarse = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer();
  return sharp(coarse).resize(WIDTH, HEIGHT, { kernel: 'cubic' }).jpeg({ quality: 85 }).toBuffer();
};

// What the engine does for `tr:w-400` with an `Accept` that names no modern format: JPEG at quality 80.
const sharpFloor = (photo) => sharp(photo).resize(400).jpeg({ quality: 80 }).toBuffer();

async function upload(env, bytes, fileName) {
  const form = new FormData();
  form.set('file', new Blob([bytes]), fileName);
  form.set('fileName', fileName);
  form.set('folder', '/bench');
  form.set('useUniqueFileName', 'false');
  const authorization = `Basic ${Buffer.from(`${env.IMAGEKIT_PRIVATE_KEY}:`).toString('base64')}`;
  const response = await fetch(`${env.IMAGEKIT_UPLOAD_BASE_URL}/api/v1/files/upload`, { method: 'POST', body: form, headers: { authorization } });
  if (response.status !== 200) throw new Error(`upload of ${fileName} answered ${response.status}: ${await response.text()}`);
}

async function deliver(url) {
  const response = await fetch(url, { headers: { accept: 'image/jpeg,*/*' } });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body}`);
  return { body, cache: response.headers.get('x-emulator-cache') };
}

async function measure(work) {
  const photo = await makePhoto();
  const emulator = await startEmulatorProcess(['--data', join(work, 'data')]);
  try {
    const { env } = emulator;
    // Warm-up: sharp loaded and run once on each side (the emulator loads its engine on first use).
    await upload(env, photo, 'warm-up.jpg');
    await deliver(`${env.IMAGEKIT_URL_ENDPOINT}/tr:w-10/bench/warm-up.jpg`);
    await sharpFloor(photo);

    const firstTimes = [];
    const floorTimes = [];
    let lastUrl;
    for (let round = 0; round < ROUNDS; round++) {
      await upload(env, photo, `photo-${round}.jpg`);
      lastUrl = `${env.IMAGEKIT_URL_ENDPOINT}/tr:w-400/bench/photo-${round}.jpg`;
      const first = await timed(() => deliver(lastUrl));
      if (first.result.cache !== 'miss') throw new Error(`the first delivery of round ${round + 1} was not computed (x-emulator-cache: ${first.result.cache})`);
      const { width, height } = await sharp(first.result.body).metadata();
      if (width !== 400 || height !== 300) throw new Error(`tr:w-400 gave ${width}x${height}`);
      firstTimes.push(first.ms);
      floorTimes.push((await timed(() => sharpFloor(photo))).ms);
    }
    const repeatTimes = [];
    for (let i = 0; i < REPEATS; i++) {
      const repeat = await timed(() => deliver(lastUrl));
      if (repeat.result.cache !== 'hit') throw new Error(`repeat ${i + 1} was not served from the cache`);
      repeatTimes.push(repeat.ms);
    }

    const first = median(firstTimes);
    const floor = median(floorTimes);
    const repeat = median(repeatTimes);
    const budget = 1.3 * floor + 20;
    const verdict = (pass) => (pass ? 'PASS' : 'FAIL');
    console.log(`tr:w-400 of a ${WIDTH}x${HEIGHT} JPEG (${(photo.length / 1024 / 1024).toFixed(1)} MB), medians of ${ROUNDS} interleaved rounds:`);
    console.log(`  sharp in-process (floor)    ${ms(floor).padStart(9)}   (runs: ${floorTimes.map((t) => t.toFixed(0)).join(', ')})`);
    console.log(`  first delivery (engine)     ${ms(first).padStart(9)}   ratio ${(first / floor).toFixed(2)}; target <= 1.3 x floor + 20 ms = ${ms(budget)} ${verdict(first <= budget)}   (runs: ${firstTimes.map((t) => t.toFixed(0)).join(', ')})`);
    console.log(`  repeat (cache), median of ${REPEATS} ${ms(repeat).padStart(8)}   ratio to floor ${(repeat / floor).toFixed(3)}; target < 5 ms ${verdict(repeat < 5)}`);
    console.log(`BENCH_JSON ${JSON.stringify({ rounds: ROUNDS, photoBytes: photo.length, floorMs: floor, firstMs: first, firstRatio: first / floor, budgetMs: budget, repeatMedianMs: repeat, repeats: REPEATS })}`);
  } finally {
    await emulator.stop();
  }
}

const work = mkdtempSync(join(tmpdir(), 'imagekit-bench-transform-'));
await measure(work)
  .catch((error) => {
    console.error(error.message);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
