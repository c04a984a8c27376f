/**
 * `imagekit endpoint`: the account's URL endpoints, each a URL prefix with the origins tried in
 * order for files not in the media library, and an optional URL rewriter (Cloudinary, Imgix,
 * Akamai). An endpoint is named by its id or its prefix; origins by their id or name.
 */
import type { Command } from 'commander';
import type { UrlEndpoint, UrlEndpointInput, UrlRewriter } from '../src/account-api.js';
import type { Registrar } from './cli/command.js';
import type { Context } from './cli/context.js';
import { UsageError } from './cli/errors.js';
import { collect, parseChoice } from './cli/flags.js';
import { changesOf, registerCollectionCommand, resolveItem } from './shared/collection-command.js';

const REWRITERS = ['CLOUDINARY', 'IMGIX', 'AKAMAI', 'none'] as const;

interface EndpointFlags {
  description?: string;
  prefix?: string;
  origin?: string[];
  clearOrigins?: boolean;
  rewriter?: (typeof REWRITERS)[number];
  preserveAssetDeliveryTypes?: boolean;
}

/** The endpoint to send: the existing one (on update) changed by the flags. */
async function endpointBody(flags: EndpointFlags, context: Context, existing: UrlEndpoint | undefined): Promise<UrlEndpointInput> {
  const { description, prefix, origin, clearOrigins, rewriter } = flags;
  if (existing) changesOf({ description, prefix, origin, clearOrigins, rewriter }, '--description, --prefix, --origin, --clear-origins or --rewriter');
  if (flags.origin && flags.clearOrigins) throw new UsageError('give --origin or --clear-origins, not both');
  if (flags.prefix !== undefined && !/^[A-Za-z0-9-]+$/.test(flags.prefix)) throw new UsageError(`--prefix takes letters, digits and hyphens, got "${flags.prefix}"`);
  const body: UrlEndpointInput = {
    description: flags.description ?? existing?.description ?? '',
    urlPrefix: flags.prefix ?? existing?.urlPrefix ?? '',
    origins: flags.clearOrigins ? [] : existing?.origins ?? [],
    ...(existing?.urlRewriter ? { urlRewriter: existing.urlRewriter } : {}),
  };
  if (flags.origin) {
    const origins = await (await context.client()).origins.list();
    body.origins = flags.origin.map((idOrName) => resolveItem(origins, idOrName, (o) => o.name, 'origin').id);
  }
  if (flags.rewriter === 'none') delete body.urlRewriter;
  else if (flags.rewriter) body.urlRewriter = (flags.rewriter === 'CLOUDINARY' ? { type: 'CLOUDINARY', preserveAssetDeliveryTypes: Boolean(flags.preserveAssetDeliveryTypes) } : { type: flags.rewriter }) as UrlRewriter;
  else if (flags.preserveAssetDeliveryTypes) throw new UsageError('--preserve-asset-delivery-types goes with --rewriter CLOUDINARY');
  return body;
}

function withEndpointOptions(command: Command, creating: boolean): Command {
  (creating ? command.requiredOption('--description <text>', 'what the endpoint is for') : command.option('--description <text>', 'the new description'))
    .addOption(command.createOption('--prefix <prefix>', 'the path segment after your ImageKit URL: letters, digits and hyphens').makeOptionMandatory(creating))
    .option('--origin <id|name>', 'an origin to try, by id or name; repeat it, in the order they are tried', collect)
    .addOption(command.createOption('--rewriter <type>', 'rewrite URLs of another service (none removes it)').argParser(parseChoice('--rewriter', REWRITERS)))
    .option('--preserve-asset-delivery-types', 'with --rewriter CLOUDINARY: keep <asset_type>/<delivery_type> in the URL');
  return creating ? command : command.option('--clear-origins', 'try no origin (the media library only)');
}

export function register(program: Command, registrar: Registrar): void {
  registerCollectionCommand<UrlEndpoint, UrlEndpointInput, UrlEndpointInput, EndpointFlags, EndpointFlags>(program, registrar, {
    command: 'endpoint',
    summary: 'URL endpoints: URL prefixes, their origins in order, URL rewriters',
    noun: 'URL endpoint',
    notes: 'An endpoint is named by its id or its prefix; the default endpoint (id "default", no prefix) cannot be deleted.',
    collection: (client) => client.urlEndpoints,
    nameOf: (e) => e.urlPrefix,
    columns: [
      { header: 'prefix', value: (e) => e.urlPrefix },
      { header: 'origins', value: (e) => e.origins.join(', ') },
      { header: 'rewriter', value: (e) => e.urlRewriter?.type ?? '' },
      { header: 'description', value: (e) => e.description },
    ],
    record: (e) => ({ id: e.id, prefix: e.urlPrefix, origins: e.origins.join(', '), rewriter: e.urlRewriter ? JSON.stringify(e.urlRewriter) : '', description: e.description }),
    jsonFields: ['id', 'description', 'urlPrefix', 'origins', 'urlRewriter'],
    create: {
      description: 'Create a URL endpoint.',
      examples: [
        'endpoint create --prefix legacy --description "old site images" --origin "Old site" --origin "US S3"',
        'endpoint create --prefix cld --description "moved from Cloudinary" --origin "Cloudinary backup" --rewriter CLOUDINARY',
      ],
      options: (command) => withEndpointOptions(command, true),
      body: endpointBody,
    },
    update: {
      description: 'Change a URL endpoint (by id or prefix): what is not given stays as it is.',
      examples: ['endpoint update legacy --origin "US S3" --origin "Old site"', 'endpoint update default --origin "US S3"', 'endpoint update cld --rewriter none'],
      options: (command) => withEndpointOptions(command, false),
      body: endpointBody,
    },
  });
}
