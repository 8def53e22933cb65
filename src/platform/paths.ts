/**
 * Where the project's non-code files are (contract, schemas, fixtures, contexts), the same from
 * `src/` under tsx/jest and from `dist/src/` after a build: the folder holding package.json.
 */
import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while(!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if(parent === dir) {
      throw new Error('carecred: package.json not found above ' + import.meta.url);
    }
    dir = parent;
  }
  return dir;
}

/** Absolute path of the project root. */
export const PROJECT_ROOT = findProjectRoot();

/**
 * Resolves a path relative to the project root.
 *
 * @param segments - path segments, e.g. `'openapi', 'openapi.yaml'`.
 * @returns the absolute path.
 */
export function projectPath(...segments: string[]): string {
  return join(PROJECT_ROOT, ...segments);
}
