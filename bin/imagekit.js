#!/usr/bin/env node
// Starts the CLI and nothing more. dist/cli/bundle/ is the command layer bundled by esbuild: Node spends
// about a millisecond on each ES module it loads, and scripts run `imagekit url` in loops, so that
// command has a one-file quick path (quick.js); everything else goes through main.js, whose commands
// are loaded only when they run.
const argv = process.argv.slice(2);

/** Loads a bundle of the build; a missing build is said plainly rather than as a module stack. */
async function load(bundle) {
  try {
    return await import(`../dist/cli/bundle/${bundle}`);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('/dist/')) throw error;
    process.stderr.write('error: the build in dist/ is missing (or was being replaced): run "npm run build", or try again\n');
    process.exit(1);
  }
}

if (argv[0] === 'url') {
  const { quickMain, systemIO } = await load('quick.js');
  const code = await quickMain(argv, systemIO());
  if (code !== undefined) process.exitCode = code;
}
if (process.exitCode === undefined) {
  const { main, systemIO } = await load('main.js');
  process.exitCode = await main(argv, systemIO());
}
