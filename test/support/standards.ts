/**
 * Where the shared standards folder is: `CARECRED_STANDARDS_DIR` if set, else
 * `<projectRoot>/../shared/standards` (the repository checked out next to `shared/`, as in CI),
 * looking further up for worktrees nested one level deeper.
 */
import {existsSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';

import {PROJECT_ROOT} from '../../src/platform/paths.js';

/**
 * The standards folder.
 *
 * @returns its absolute path.
 * @throws Error if it cannot be found.
 */
export function standardsDir(): string {
  if(process.env.CARECRED_STANDARDS_DIR) {
    return resolve(process.env.CARECRED_STANDARDS_DIR);
  }
  for(let dir = dirname(PROJECT_ROOT); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'standards');
    if(existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error('shared/standards not found beside the project; set CARECRED_STANDARDS_DIR');
}
