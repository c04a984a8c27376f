// The core library: everything here works without the command line, never prints and never exits.
export { ImageKitError, InvalidInputError, ConfigError } from './errors.js';
export {
  buildTransformationString,
  buildTransformationFromEntries,
  parseStepArgument,
  explainTransformationString,
  transformationCode,
  TRANSFORMATION_CODES,
  TRANSFORMATION_NAMES,
  type StepEntries,
  type ExplainedParameter,
} from './transformation.js';
export {
  buildUrl,
  signUrl,
  explainUrl,
  encodePath,
  formEncode,
  NEVER_EXPIRES,
  type UrlOptions,
  type ExplainedUrl,
  type TransformationPosition,
} from './url.js';
export {
  getAuthenticationParameters,
  DEFAULT_AUTH_EXPIRY_SECONDS,
  MAX_AUTH_EXPIRY_SECONDS,
  type AuthenticationParameters,
  type AuthenticationOptions,
} from './auth.js';
export { phashDistance, assertPhash } from './phash.js';
export {
  resolveSettings,
  findConfigFile,
  requireSetting,
  maskSecret,
  describeSource,
  SETTING_KEYS,
  SETTING_ENV,
  DEFAULT_SETTINGS,
  type ResolvedSettings,
  type SettingKey,
  type SettingSource,
  type SettingValues,
} from './config.js';
export { ImageKitClient, LIST_PAGE_LIMIT, type ClientOptions, type FileDetails, type FolderDetails, type Asset, type UploadResult, type UploadSource, type UploadFields, type Metadata, type CustomMetadataField, type ListParams } from './client.js';
export {
  ApiCollection,
  type SavedExtension,
  type SavedExtensionInput,
  type NamedTransformation,
  type NamedTransformationInput,
  type Origin,
  type OriginInput,
  type UrlEndpoint,
  type UrlEndpointInput,
  type UrlRewriter,
  type Usage,
  type UsageAnalytics,
} from './account-api.js';
export { ORIGIN_TYPES, ORIGIN_SPECS, ORIGIN_SECRET_FIELDS, type OriginType, type OriginTypeSpec } from './origins.js';
export { verifyWebhook, webhookSignature, MalformedWebhookError, InvalidWebhookSignatureError, WEBHOOK_TOLERANCE_SECONDS, type WebhookHeaders } from './webhooks.js';
export { sha256File, sha256Files } from './hash.js';
export { type RetryInfo } from './http.js';
export { DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, DEFAULT_CONCURRENCY, MAX_RETRIES, MAX_TIMEOUT_MS, MAX_CONCURRENCY, MAX_RATE_LIMIT_WAIT_MS } from './limits.js';
export {
  ApiError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  TooManyRequestsError,
  InternalServerError,
  PartialSuccessError,
  UnknownApiError,
  UnexpectedResponseError,
  NetworkError,
} from './errors.js';
