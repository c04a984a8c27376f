/**
 * The account's API groups beyond the media library, in one table for the emulator's route list:
 * saved extensions, named transformations, origins, URL endpoints, usage and usage analytics.
 */
import type { EmulatorRoute } from './context.js';
import { namedTransformationRoutes } from './named-transformations.js';
import { originRoutes } from './origins.js';
import { savedExtensionRoutes } from './saved-extensions.js';
import { urlEndpointRoutes } from './url-endpoints.js';
import { usageRoutes } from './usage.js';

export const accountRoutes: EmulatorRoute[] = [...savedExtensionRoutes, ...namedTransformationRoutes, ...originRoutes, ...urlEndpointRoutes, ...usageRoutes];
