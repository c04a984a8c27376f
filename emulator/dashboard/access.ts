/**
 * Who may see the dashboard. On a loopback address (the default) it answers without a key, but only
 * to requests that name a loopback host, so that a web page cannot read it by pointing a name of its
 * own at 127.0.0.1 (DNS rebinding). On any other address it asks for the emulator's private key, as
 * the user of HTTP Basic auth, as the API does.
 */
import type { IncomingMessage } from 'node:http';
import { authenticate } from '../server/auth.js';

/** Whether a host (an address or a name, IPv6 with or without brackets) is this machine's loopback. */
export const isLoopback = (host: string) => /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i.test(host);

/** The host a request names, without its port. */
function requestedHost(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
}

export interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/** Why a request may not see the dashboard, or undefined when it may. */
export function refusal(req: IncomingMessage, access: { requireKey: boolean; privateKey: string }): Refusal | undefined {
  if (!access.requireKey) {
    return isLoopback(requestedHost(req)) ? undefined : { status: 403, message: 'The dashboard answers only requests for a loopback host (127.0.0.1, localhost, [::1]).' };
  }
  try {
    authenticate(req.headers.authorization, access.privateKey);
    return undefined;
  } catch {
    return {
      status: 401,
      message: "The dashboard wants the emulator's private key as the user name (HTTP Basic auth).",
      headers: { 'www-authenticate': 'Basic realm="ImageKit emulator dashboard", charset="UTF-8"' },
    };
  }
}
