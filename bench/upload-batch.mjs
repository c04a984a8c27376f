// The upload batch that `npm run bench` and `npm run bench:upload` time against its ideal: a folder
// of small files sent by `imagekit upload` to an emulator answering after a latency, in a process of
// its own. Ideal: files x latency / concurrency, as if nothing but the latency took time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from './emulator-process.mjs';

/** Writes `files` files of `kb` KB each into a new folder `dir`, each of different bytes. */
export function writeAssets(dir, files, kb) {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(join(dir, `asset-${String(i).padStart(3, '0')}.bin`), Buffer.alloc(kb * 1024, i % 256));
}

/**
 * Uploads the folder `assets` (of `files` files) to the emulator `env` points at, into `folder`;
 * returns the wall time of the `imagekit upload` process and its ratio to the ideal.
 */
export function timedUpload({ assets, files, folder, latencyMs, concurrency, env, cwd }) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [CLI, 'upload', assets, '--folder', folder, '--concurrency', String(concurrency), '--json'], {
    env: { ...process.env, ...env },
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`imagekit upload failed (${result.status}):\n${result.stderr}`);
  const results = JSON.parse(result.stdout);
  if (results.length !== files || results.some((r) => r.status !== 'uploaded')) throw new Error('not every file was uploaded by the CLI');
  const idealSeconds = (files * latencyMs) / concurrency / 1000;
  return { seconds, idealSeconds, ratio: seconds / idealSeconds };
}
