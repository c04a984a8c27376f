/**
 * The client's defaults and bounds, in a module of their own so that the command line's flag parsers
 * (on the quick path of `imagekit url`) check the same numbers without loading the HTTP code.
 */
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRIES = 4;
export const DEFAULT_CONCURRENCY = 8;
/** 24 h: beyond it a timeout is a mistake, and past 2^31-1 ms Node would fire the timer at once. */
export const MAX_TIMEOUT_MS = 24 * 60 * 60 * 1000;
export const MAX_RETRIES = 20;
export const MAX_CONCURRENCY = 64;
/** The longest a 429 makes a call wait (less when the call's timeout is shorter), whatever the API says. */
export const MAX_RATE_LIMIT_WAIT_MS = 60_000;
