/**
 * Verifies a webhook request the way @imagekit/nodejs 7.11 does (`client.webhooks.unwrap`, which
 * uses the Standard Webhooks scheme): headers `webhook-id`, `webhook-timestamp` (Unix seconds) and
 * `webhook-signature` (space-separated `v1,<base64>` entries); the signature is
 * base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")), where the key is the UTF-8 bytes of the
 * whole webhook secret (the SDK base64-encodes the secret and the scheme decodes it again), and the
 * timestamp must be within five minutes of now.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a webhook's timestamp may be from now, as the SDK allows. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** A request that cannot be checked at all: a header missing, a timestamp that is no number, a body that is no JSON. */
export class MalformedWebhookError extends Error {}

/** A request whose signature does not hold: wrong, or signed too long ago (or in the future). */
export class InvalidWebhookSignatureError extends Error {}

export interface WebhookHeaders {
  [name: string]: string | undefined;
}

/** The signature of a webhook body, as the `webhook-signature` header carries it. */
export function webhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64')}`;
}

/**
 * The event a webhook request carries, once its signature is checked: throws MalformedWebhookError
 * or InvalidWebhookSignatureError otherwise. `nowMs` is the clock the timestamp is checked against.
 */
export function verifyWebhook(body: string, headers: WebhookHeaders, secret: string, nowMs: number): unknown {
  if (secret === '') throw new MalformedWebhookError('the webhook secret is empty');
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const [id, timestampText, signatures] = [lower['webhook-id'], lower['webhook-timestamp'], lower['webhook-signature']];
  if (!id || !timestampText || !signatures) throw new MalformedWebhookError('missing header: webhook-id, webhook-timestamp and webhook-signature are all needed');
  // As the SDK reads it: the leading digits of the header.
  const timestamp = parseInt(timestampText, 10);
  if (Number.isNaN(timestamp)) throw new MalformedWebhookError(`webhook-timestamp is not a Unix time in seconds: "${timestampText}"`);
  const now = Math.floor(nowMs / 1000);
  if (now - timestamp > WEBHOOK_TOLERANCE_SECONDS) throw new InvalidWebhookSignatureError('the timestamp is more than five minutes old');
  if (timestamp - now > WEBHOOK_TOLERANCE_SECONDS) throw new InvalidWebhookSignatureError('the timestamp is more than five minutes in the future');
  const expected = Buffer.from(webhookSignature(secret, id, timestamp, body).slice('v1,'.length));
  const matches = signatures.split(' ').some((entry) => {
    const [version, signature = ''] = entry.split(',');
    const given = Buffer.from(signature);
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new InvalidWebhookSignatureError('no matching signature');
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new MalformedWebhookError(`the body is not JSON: ${(error as Error).message}`);
  }
}
