/** `imagekit files`: the noun; each group of verbs lives in a module of its own beside this one. */
import type { Command } from 'commander';
import type { Registrar } from '../cli/command.js';
import * as bulk from './bulk.js';
import * as download from './download.js';
import * as get from './get.js';
import * as ls from './ls.js';
import * as move from './move.js';
import * as update from './update.js';
import * as versions from './versions.js';

const EXAMPLES = `
Examples:
  $ imagekit files ls /products --query 'size > "1mb" AND format = "png"'
  $ imagekit files ls --all --ndjson --fields fileId,path,size > inventory.ndjson
  $ imagekit files get /products/shoe.jpg
  $ imagekit files update /products/shoe.jpg --tags sale,summer --meta price=49.5
  $ imagekit files update 6553ab1f2c8a --publish false --include-versions
  $ imagekit files tag /a.jpg /b.jpg --add sale --remove winter
  $ imagekit files rm /tmp/a.jpg /tmp/b.jpg --yes
  $ imagekit files mv /inbox/a.jpg /products
  $ imagekit files rename /products/a.jpg shoe.jpg --purge
  $ imagekit files metadata /products/shoe.jpg --json
  $ imagekit files download /products/shoe.jpg /brand/logo.png -o originals/

A file is named by its id or by its path (one list call to find it); a path that names no file exits 4.`;

export function register(program: Command, registrar: Registrar): void {
  const files = program.command('files').summary('list, inspect, update, tag, move and delete files').addHelpText('after', EXAMPLES);
  for (const verbs of [ls, get, versions, update, bulk, move, download]) verbs.register(files, registrar);
}
