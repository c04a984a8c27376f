/**
 * Authentication as ImageKit's API checks it: the private key as the user of HTTP Basic auth, with
 * ImageKit's 401 and 403 messages; and the HMAC-SHA1 that signed URLs and client-side uploads use.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiFailure } from './errors.js';

/** Checks an `Authorization` header against the private key: 401 without a key, 403 for another key. */
export function authenticate(header: string | undefined, privateKey: string): void {
  if (!header || !/^Basic /i.test(header)) throw new ApiFailure(401, 'Your request does not contain private API key.');
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const user = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
  if (!user) throw new ApiFailure(401, 'Your request does not contain private API key.');
  const a = Buffer.from(user);
  const b = Buffer.from(privateKey);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new ApiFailure(403, 'Your account cannot be authenticated.');
}

/** The hex HMAC-SHA1 of a text under the private key, as signed URLs and upload signatures carry it. */
export const signature = (privateKey: string, text: string) => createHmac('sha1', privateKey).update(text).digest('hex');
