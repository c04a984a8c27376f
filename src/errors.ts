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
  }
}
ImageKitError.prototype.name = 'ImageKitError';

/** Input that can never succeed: a bad transformation, an invalid pHash, an unparsable URL. */
export class InvalidInputError extends ImageKitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_INVALID_INPUT', message, options);
  }
}
InvalidInputError.prototype.name = 'InvalidInputError';

/** A missing credential or an unreadable or invalid config file. */
export class ConfigError extends ImageKitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CONFIG', message, options);
  }
}
ConfigError.prototype.name = 'ConfigError';
