import { createRequire } from 'node:module';
import type { createHmac as CreateHmac, randomUUID as RandomUUID } from 'node:crypto';

// node:crypto is loaded on first use: unsigned URLs are the common case and need none of it,
// and `imagekit url` pays for every module it loads on every call.
let crypto: { createHmac: typeof CreateHmac; randomUUID: typeof RandomUUID } | undefined;
function loadCrypto() {
  crypto ??= createRequire(import.meta.url)('node:crypto') as NonNullable<typeof crypto>;
  return crypto;
}

/** Lowercase hex HMAC-SHA1, the signature ImageKit uses for URLs and upload auth params. */
export function hmacSha1Hex(key: string, message: string): string {
  return loadCrypto().createHmac('sha1', key).update(message, 'utf8').digest('hex');
}

export function randomUuid(): string {
  return loadCrypto().randomUUID();
}
