/**
 * Faults on demand, to rehearse what clients do under stress: dropped connections and 500/503
 * answers at chosen rates (from a seeded random source, so a run can be repeated exactly), and
 * ImageKit's rate limit with its 429 and headers.
 */
import type { JsonAnswer } from './answer.js';
import { HELP } from './errors.js';

export interface FaultSettings {
  /** At most `limit` API calls per interval, then 429. */
  rateLimit?: { limit: number; intervalMs: number };
  /** Share of requests answered with a random 500 or 503. */
  failRate: number;
  /** Share of requests whose connection is dropped. */
  resetRate: number;
}

/** A small seeded PRNG (mulberry32), so fault injection can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What an injected fault does to a request: drop its connection, or answer it with an error. */
export type Fault = { kind: 'reset' } | { kind: 'fail'; answer: JsonAnswer };

export class FaultInjector {
  private rateWindow = { start: 0, count: 0 };

  /** `settings` is read at each request, so changes made while running apply at once. */
  constructor(
    private readonly settings: FaultSettings,
    private readonly random: () => number,
    private readonly now: () => number,
  ) {}

  /** The fault this request gets, if any. Draws from the random source in a fixed order, for repeatable runs. */
  chooseFault(): Fault | undefined {
    const { resetRate, failRate } = this.settings;
    if (resetRate > 0 && this.random() < resetRate) return { kind: 'reset' };
    if (failRate > 0 && this.random() < failRate) {
      const status = this.random() < 0.5 ? 500 : 503;
      return { kind: 'fail', answer: { status, body: { message: 'Internal server error (injected by the emulator).', help: HELP } } };
    }
    return undefined;
  }

  /** Counts an API call against the rate limit: the 429 answer once past it, else undefined. */
  overRateLimit(): JsonAnswer | undefined {
    if (!this.settings.rateLimit) return undefined;
    const { limit, intervalMs } = this.settings.rateLimit;
    const time = this.now();
    if (time - this.rateWindow.start >= intervalMs) this.rateWindow = { start: time, count: 0 };
    if (++this.rateWindow.count <= limit) return undefined;
    return {
      status: 429,
      body: { message: 'You have exceeded the rate limit. Please try after some time.', help: HELP },
      headers: {
        'X-RateLimit-Limit': limit,
        'X-RateLimit-Reset': Math.max(0, this.rateWindow.start + intervalMs - time),
        'X-RateLimit-Interval': intervalMs,
      },
    };
  }
}
