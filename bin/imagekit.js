#!/usr/bin/env node
// Starts the CLI and nothing more. dist/cli/bundle/ is the command layer bundled by esbuild: Node spends
// about a millisecond on each ES module it loads, and scripts run `imagekit url` in loops, so that
// command has a one-file quick path (quick.js); everything else goes through main.js, whose commands
// are loaded only when they run. The bundles sit as deep in dist/ as commands/cli/ is in the sources,
// so that the quick path's one external import (the API client, never loaded for `url`) resolves.
const argv = process.argv.slice(2);
if (argv[0] === 'url') {
  const { quickMain, systemIO } = await import('../dist/cli/bundle/quick.js');
  const code = await quickMain(argv, systemIO());
  if (code !== undefined) process.exitCode = code;
}
if (process.exitCode === undefined) {
  const { main, systemIO } = await import('../dist/cli/bundle/main.js');
  process.exitCode = await main(argv, systemIO());
}
