#!/usr/bin/env node
// After `tsc`: copies the non-TypeScript files that modules read next to their code
// (JSON-LD contexts, page templates and assets) into dist/.
import {cpSync, existsSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ASSET_DIRS = ['src/platform/jsonld/contexts', 'src/web/assets', 'src/web/templates',
  'src/credentials/profiles/fonts'];
for(const dir of ASSET_DIRS) {
  const from = join(root, dir);
  if(existsSync(from)) {
    cpSync(from, join(root, 'dist', dir), {recursive: true});
  }
}
