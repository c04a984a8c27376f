// node:crypto is loaded on first use: unsigned URLs are the common case and need none of it,
// and `imagekit url` pays for every module it loads on every call.
import { crypto } from './builtins.js';

/** Lowercase hex HMAC-SHA1, the signature ImageKit uses for URLs and upload auth params. */
export function hmacSha1Hex(key: string, message: string): string {
  return crypto().createHmac('sha1', key).update(message, 'utf8').digest('hex');
}

export function randomUuid(): string {
  return crypto().randomUUID();
}
