/**
 * Typed errors of the core library. The library never prints or exits: it throws these, and the
 * command layer decides how they are shown and which exit code they map to.
 */
export class ImageKitError extends Error {
  /** A stable identifier, safe to compare in scripts and tests. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    // Every subclass is named after itself in stack traces and logs, with no line of its own.
    this.name = new.target.name;
  }
}

/** Input that can never succeed: a bad transformation, an invalid pHash, an unparsable URL. */
export class InvalidInputError extends ImageKitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_INVALID_INPUT', message, options);
  }
}

/**
 * A local file (the config file, an upload manifest, the emulator's state) could not be written. The
 * message names the path and the system's error code, never what was being written.
 */
export class FileWriteError extends ImageKitError {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super('ERR_FILE_WRITE', `cannot write ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
}

/** A missing credential or an unreadable or invalid config file. */
export class ConfigError extends ImageKitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CONFIG', message, options);
  }
}

/** What the API said, kept on every ApiError. */
export interface ApiErrorDetails {
  status: number;
  message: string;
  help?: string;
  headers: Record<string, string | string[] | undefined>;
  requestId?: string;
  /** The raw response body. */
  body: string;
  /** The parsed body, when it was JSON. */
  data?: unknown;
}

/** An HTTP error answer from ImageKit (after retries, where they apply). */
export class ApiError extends ImageKitError {
  readonly status: number;
  readonly help?: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly requestId?: string;
  readonly body: string;
  readonly data?: unknown;

  constructor(code: string, details: ApiErrorDetails) {
    super(code, details.message);
    this.status = details.status;
    this.help = details.help;
    this.headers = details.headers;
    this.requestId = details.requestId;
    this.body = details.body;
    this.data = details.data;
  }
}

export class BadRequestError extends ApiError {}
export class UnauthorizedError extends ApiError {}
export class ForbiddenError extends ApiError {}
export class NotFoundError extends ApiError {}
export class ConflictError extends ApiError {}
export class TooManyRequestsError extends ApiError {}
export class InternalServerError extends ApiError {}
/** A 207 answer to a bulk call: some items succeeded, the others are in `data.errors`. */
export class PartialSuccessError extends ApiError {}
export class UnknownApiError extends ApiError {}
/**
 * A success status whose body is not what the call needs (an HTML page from a proxy, an empty body,
 * JSON of the wrong shape): failing here, naming the call, beats a TypeError further on.
 */
export class UnexpectedResponseError extends ApiError {
  constructor(details: ApiErrorDetails) {
    super('ERR_UNEXPECTED_RESPONSE', details);
  }
}

/** The network failed (refused, reset, timed out) on every try. */
export class NetworkError extends ImageKitError {
  constructor(
    code: string,
    message: string,
    readonly method: string,
    readonly url: string,
  ) {
    super(code, message);
  }
}

/** The ApiError class for a status. */
export function apiErrorFor(details: ApiErrorDetails): ApiError {
  const { status } = details;
  const [Type, code] =
    status === 400 ? [BadRequestError, 'ERR_BAD_REQUEST']
    : status === 401 ? [UnauthorizedError, 'ERR_UNAUTHORIZED']
    : status === 403 ? [ForbiddenError, 'ERR_FORBIDDEN']
    : status === 404 ? [NotFoundError, 'ERR_NOT_FOUND']
    : status === 409 ? [ConflictError, 'ERR_CONFLICT']
    : status === 429 ? [TooManyRequestsError, 'ERR_TOO_MANY_REQUESTS']
    : status === 207 ? [PartialSuccessError, 'ERR_PARTIAL_SUCCESS']
    : status >= 500 ? [InternalServerError, 'ERR_INTERNAL_SERVER']
    : [UnknownApiError, 'ERR_UNKNOWN'];
  return new Type(code, details);
}
