// Builds dist/ in a folder of its own and swaps it in at the end, so that a CLI run while the tests
// rebuild (npm test builds first) finds the old build or the new one, never half of one.
//   tsc: the library (dist/src), the emulator (dist/emulator) and their type declarations;
//   esbuild: the command layer bundled (dist/cli/bundle), with a one-file quick path for `imagekit url`.
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const NEXT = 'dist.next';
const OLD = 'dist.old';
const remove = (dir) => rmSync(dir, { recursive: true, force: true });

remove(NEXT);
execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', NEXT], { stdio: 'inherit' });
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' };
await build({
  ...common,
  // Dependencies are bundled too: Node spends far more on loading many small modules than on one
  // chunk. Left outside: native or WebAssembly code that must stay beside its own files (sharp, jq),
  // the emulator's parsers, and cosmiconfig, which is loaded only for YAML and JavaScript configs.
  packages: undefined,
  external: ['sharp', 'busboy', 'exif-reader', 'jq-wasm', 'cosmiconfig'],
  // Bundled CommonJS (commander, cli-table3) requires Node's built-ins, which ES modules can only reach
  // through a require of their own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  entryPoints: ['commands/cli/main.ts'],
  splitting: true,
  outdir: `${NEXT}/cli/bundle`,
  chunkNames: 'chunks/[name]-[hash]',
});
// The quick path's dynamic imports stay outside: the API client, which `url` never loads, and the
// emulator's table for `url --explain`. The bundle sits as deep in dist/ as commands/cli/ is in the
// sources, so that the imports resolve all the same.
await build({ ...common, entryPoints: ['commands/cli/quick.ts'], outfile: `${NEXT}/cli/bundle/quick.js`, external: ['../../src/client.js', '../../emulator/transform/applied.js'] });

remove(OLD);
try {
  renameSync('dist', OLD);
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
renameSync(NEXT, 'dist');
remove(OLD);
