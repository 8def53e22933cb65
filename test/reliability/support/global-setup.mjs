// Before the reliability suites: the FerretDB binary is there, and dist/ is built from the
// current sources (the suites start real carecred processes from dist/src/server.js, as
// `npm start` does). Each suite file starts its own FerretDB, since suites kill it.
import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export default async function globalSetup() {
  execFileSync(process.execPath, [join(root, 'scripts', 'install-ferretdb.mjs')], {stdio: 'inherit'});
  const started = Date.now();
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p',
    join(root, 'tsconfig.build.json')], {stdio: 'inherit', cwd: root});
  execFileSync(process.execPath, [join(root, 'scripts', 'copy-assets.mjs')], {stdio: 'inherit', cwd: root});
  process.stdout.write(`\n[reliability] built dist/ in ${Date.now() - started} ms\n`);
}
