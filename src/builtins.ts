/**
 * Node's built-in modules that only some runs need, loaded on first use rather than imported: each
 * one costs a command's start a fraction of a millisecond to load, and scripts run commands in loops.
 * (A module loaded once is cached by Node: asking again costs nothing.)
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const crypto = () => load('node:crypto') as typeof import('node:crypto');
export const https = () => load('node:https') as typeof import('node:https');
export const os = () => load('node:os') as typeof import('node:os');
export const tty = () => load('node:tty') as typeof import('node:tty');
export const zlib = () => load('node:zlib') as typeof import('node:zlib');
