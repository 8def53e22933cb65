/** The service version, from package.json. */
import {readFileSync} from 'node:fs';

import {projectPath} from './paths.js';

export const SERVICE_VERSION: string =
  (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as {version: string}).version;
