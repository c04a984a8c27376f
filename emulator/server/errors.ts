/**
 * The API errors the emulator answers with. Each builds its own answer, `{message, help}` plus any
 * extra fields, as ImageKit's API shapes its errors, so routes only throw and the server writes.
 */
import type { JsonAnswer } from './answer.js';

export const HELP = 'For support kindly contact us at support@imagekit.io.';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The API's 404 for a method and path it has no route for. */
  static noRoute(method: string, path: string): ApiFailure {
    return new ApiFailure(404, `No route for ${method} ${path}.`);
  }

  toAnswer(): JsonAnswer {
    return { status: this.status, body: { message: this.message, help: HELP, ...this.extra } };
  }
}

/** The answer to an error nobody expected: a 500 that says what went wrong. */
export function internalErrorAnswer(error: unknown): JsonAnswer {
  return { status: 500, body: { message: `Internal error in the emulator: ${(error as Error).message}`, help: HELP } };
}
