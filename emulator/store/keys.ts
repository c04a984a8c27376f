/**
 * The emulator's key pair, kept with its data: made once, saved owner-only in `<dataDir>/keys.json`,
 * and answered again by every later emulator on that folder, so that clients set up once keep
 * working across restarts. Keys given as options win for that run, and are not saved.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeFileDurablySync } from '../../src/durable-write.js';
import { readSavedText, UnreadableStateError } from './journal.js';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

/**
 * The keys for an emulator on `dataDir`: those given, else those saved there, else a new pair that is
 * saved. Called with the folder locked, so no other emulator writes the file meanwhile.
 */
export function emulatorKeys(dataDir: string, given: Partial<KeyPair>): KeyPair {
  if (given.privateKey !== undefined && given.publicKey !== undefined) return { privateKey: given.privateKey, publicKey: given.publicKey };
  const path = join(dataDir, 'keys.json');
  const saved = readKeys(path) ?? newKeys(path);
  return { privateKey: given.privateKey ?? saved.privateKey, publicKey: given.publicKey ?? saved.publicKey };
}

function newKeys(path: string): KeyPair {
  const keys = { privateKey: `private_${randomBytes(18).toString('base64url')}`, publicKey: `public_${randomBytes(18).toString('base64url')}` };
  writeFileDurablySync(path, JSON.stringify(keys) + '\n', { secret: true });
  return keys;
}

function readKeys(path: string): KeyPair | undefined {
  const text = readSavedText(path);
  if (text === undefined) return undefined;
  let keys: Partial<KeyPair>;
  try {
    keys = JSON.parse(text) as Partial<KeyPair>;
  } catch (error) {
    throw new UnreadableStateError(path, (error as Error).message);
  }
  if (typeof keys?.privateKey !== 'string' || typeof keys.publicKey !== 'string') throw new UnreadableStateError(path, 'it does not hold a privateKey and a publicKey');
  return { privateKey: keys.privateKey, publicKey: keys.publicKey };
}
