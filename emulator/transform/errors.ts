/**
 * The one error the transformation engine throws: an HTTP status and message the delivery route sends
 * as ImageKit would, and for limit errors the `ik-error` header value the service adds.
 */
export class TransformError extends Error {
  readonly status: number;
  /** `ERROR_CODE - message`, as ImageKit's `ik-error` response header (only for limit errors). */
  readonly ikError?: string;

  constructor(status: number, message: string, ikErrorCode?: string) {
    super(message);
    this.status = status;
    if (ikErrorCode) this.ikError = `${ikErrorCode} - ${message}`;
  }
}
TransformError.prototype.name = 'TransformError';
