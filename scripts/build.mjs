// Builds dist/ in a folder of its own and swaps it in at the end, so that a CLI run while the tests
// rebuild (npm test builds first) finds the old build or the new one, never half of one.
//   tsc: the library (dist/src), the emulator (dist/emulator) and their type declarations;
//   esbuild: the command layer (dist/cli/bundle), one CommonJS file per entry, dependencies included:
//     quick.cjs              the quick path of `imagekit url`;
//     commands/<name>.cjs    one command alone, for `imagekit <name> ...` (every command of the registry
//                            but url, which has the quick path, and completion, which reads every command);
//     main.cjs               the whole program: help, completion, anything else.
// Why so: Node 20 spends about a millisecond on each ES module it loads and several on setting up its
// ES module loader at all, and bin/imagekit.js keeps a V8 code cache of each file (see there), so the
// fewer and the more self-contained the files a command runs, the sooner it starts.
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const NEXT = 'dist.next';
const OLD = 'dist.old';
const BUNDLES = `${NEXT}/cli/bundle`;
const remove = (dir) => rmSync(dir, { recursive: true, force: true });

/** The registry's commands and their modules, read from its one line per command. */
function registryCommands() {
  const source = readFileSync('commands/cli/registry.ts', 'utf8');
  const commands = [...source.matchAll(/\{ name: '([a-z-]+)',.*load: \(\) => import\('\.\.\/([^']+)\.js'\)/g)].map(([, name, module]) => ({ name, module }));
  if (commands.length === 0) throw new Error('no command found in commands/cli/registry.ts');
  return commands;
}
const UNBUNDLED = new Set(['url', 'completion']);

remove(NEXT);
execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', NEXT], { stdio: 'inherit' });

/**
 * commander requires node:child_process at its top, for executable subcommands, which this CLI never
 * has; loading it (and the networking it brings) costs every command about a millisecond. Inside the
 * bundles, commander gets a stand-in that loads it on first use.
 */
const childProcessOnUse = {
  name: 'child-process-on-use',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, ({ importer }) => (/[\\/]node_modules[\\/]commander[\\/]/.test(importer) ? { path: 'child_process', namespace: 'on-use' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'on-use' }, () => ({ contents: "module.exports = { get spawn() { return require('node:child_process').spawn; } };", loader: 'js' }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // Left outside: native or WebAssembly code that must stay beside its own files (sharp, jq), the
  // emulator's parsers, and cosmiconfig, which is loaded only for YAML and JavaScript configs. All are
  // CommonJS, so they are required, never imported: an import() would set up the ES module loader.
  external: ['sharp', 'busboy', 'exif-reader', 'jq-wasm', 'cosmiconfig'],
  supported: { 'dynamic-import': false },
  // The sources find their package.json and resolve modules from import.meta.url.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [childProcessOnUse],
};
const entry = (name, contents) => ({ stdin: { contents, resolveDir: process.cwd(), sourcefile: `${name}-entry.ts`, loader: 'ts' } });
await Promise.all([
  build({ ...common, entryPoints: ['commands/cli/quick.ts'], outfile: `${BUNDLES}/quick.cjs` }),
  build({ ...common, entryPoints: ['commands/cli/main.ts'], outfile: `${BUNDLES}/main.cjs` }),
  ...registryCommands()
    .filter(({ name }) => !UNBUNDLED.has(name))
    .map(({ name, module }) =>
      build({
        ...common,
        ...entry(
          name,
          `import * as command from './commands/${module}.ts';
          import { oneCommandMain } from './commands/cli/one-command.ts';
          export const main = oneCommandMain(command);
          export { systemIO } from './commands/cli/io.ts';`,
        ),
        outfile: `${BUNDLES}/commands/${name}.cjs`,
      }),
    ),
]);

remove(OLD);
try {
  renameSync('dist', OLD);
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
renameSync(NEXT, 'dist');
remove(OLD);
