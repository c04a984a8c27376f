import { ConfigError, InvalidInputError } from './errors.js';
import { hmacSha1Hex, randomUuid } from './signing.js';

export interface AuthenticationParameters {
  token: string;
  /** Unix time in seconds after which the upload API refuses these parameters. */
  expire: number;
  signature: string;
}

export interface AuthenticationOptions {
  privateKey: string | undefined;
  /** Single-use token; a random UUID v4 when missing or empty. */
  token?: string;
  /** Unix seconds; `now + DEFAULT_AUTH_EXPIRY_SECONDS` when missing. */
  expire?: number;
  /** The clock, in milliseconds. */
  now?: () => number;
}

/** How long generated parameters stay valid when no expiry is given, as in the SDKs: 30 minutes. */
export const DEFAULT_AUTH_EXPIRY_SECONDS = 1800;
/** The upload API refuses an `expire` further ahead than this. */
export const MAX_AUTH_EXPIRY_SECONDS = 3600;

/**
 * The token, expiry and signature a browser or app needs for a client-side upload:
 * signature = lowercase hex HMAC-SHA1(private key, token + expire).
 */
export function getAuthenticationParameters(options: AuthenticationOptions): AuthenticationParameters {
  if (!options.privateKey) {
    throw new ConfigError('auth params need the private key: set IMAGEKIT_PRIVATE_KEY, or privateKey in the config file');
  }
  const token = options.token || randomUuid();
  const nowSeconds = Math.floor((options.now ? options.now() : Date.now()) / 1000);
  const expire = options.expire ?? nowSeconds + DEFAULT_AUTH_EXPIRY_SECONDS;
  if (!Number.isInteger(expire) || expire <= 0) {
    throw new InvalidInputError(`expire must be a positive whole number of Unix seconds, got ${expire}`);
  }
  return { token, expire, signature: hmacSha1Hex(options.privateKey, token + String(expire)) };
}
