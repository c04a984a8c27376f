#!/usr/bin/env node
// Starts the CLI and nothing more. dist/cli.js is the command layer bundled into one file: Node
// spends about a millisecond on each ES module it loads, and `imagekit url` is run in loops.
import { main, systemIO } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2), systemIO());
