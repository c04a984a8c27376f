#!/usr/bin/env node
// Starts the CLI and nothing more. dist/cli/ is the command layer bundled into a few files (one per
// command, loaded when it runs): Node spends about a millisecond on each ES module it loads, and
// `imagekit url` is run in loops.
import { main, systemIO } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2), systemIO());
