import type { CommandModule } from './command.js';

/**
 * Every top-level command with its one-line summary. A module is loaded only when its command runs,
 * so `imagekit url` never loads what `upload` or `config` need.
 */
export const COMMANDS: ReadonlyArray<{ name: string; summary: string; load: () => Promise<CommandModule> }> = [
  { name: 'url', summary: 'build (and sign) a delivery URL, or explain one', load: () => import('../url.js') },
  { name: 'upload', summary: 'upload files, folders, globs, stdin or URLs', load: () => import('../upload/index.js') },
  { name: 'auth-params', summary: 'token, expiry and signature for client-side uploads', load: () => import('../auth-params.js') },
  { name: 'phash', summary: 'distance between perceptual hashes (pHash)', load: () => import('../phash.js') },
  { name: 'config', summary: 'show the resolved settings, or write a config file', load: () => import('../config.js') },
  { name: 'sync', summary: 'make a remote folder exactly like a local directory, or the other way round', load: () => import('../sync/index.js') },
  { name: 'files', summary: 'list, inspect, update, tag, move and delete files', load: () => import('../files/index.js') },
  { name: 'metadata', summary: 'image metadata (dimensions, format, EXIF, pHash) of a URL', load: () => import('../metadata.js') },
  { name: 'custom-metadata', summary: 'define the custom metadata fields of the account', load: () => import('../custom-metadata.js') },
  { name: 'folder', summary: 'create, delete, copy, move and rename folders', load: () => import('../folder.js') },
  { name: 'job', summary: 'status of a bulk job (folder copy, move, rename)', load: () => import('../job.js') },
  { name: 'transformation', summary: 'named transformations: names for transformations in URLs (tr:n-<name>)', load: () => import('../transformation.js') },
  { name: 'extension', summary: 'saved extensions, run by upload --extensions <id>', load: () => import('../extension.js') },
  { name: 'origin', summary: 'origins (S3, GCS, Azure, web folders...) that files outside the media library come from', load: () => import('../origin.js') },
  { name: 'endpoint', summary: 'URL endpoints: URL prefixes, their origins in order, URL rewriters', load: () => import('../endpoint.js') },
  { name: 'usage', summary: 'account usage and delivery analytics over a range of days', load: () => import('../usage.js') },
  { name: 'webhook', summary: 'verify the signature of a webhook request', load: () => import('../webhook.js') },
  { name: 'purge', summary: 'purge CDN cache for URLs, and wait until done', load: () => import('../purge.js') },
  { name: 'completion', summary: 'print a shell completion script (bash, zsh, fish)', load: () => import('../completion.js') },
  { name: 'version', summary: 'print the version', load: () => import('../version.js') },
  { name: 'emulator', summary: 'run a local ImageKit emulator for tests and CI rehearsals', load: () => import('../emulator.js') },
];
