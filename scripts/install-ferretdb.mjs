#!/usr/bin/env node
// Builds the embedded database (FerretDB v1.24.2, SQLite backend) into .tools/bin/ferretdb.
//
// Why not plain `go install ...@v1.24.2`: the binary it produces panics at start
// ("Invalid build/version/version.txt") because the module zip has no version.txt,
// which FerretDB's own build writes from `git describe`. So we fetch the same module
// through the Go proxy, add the version file and build it from that copy.
import {execFileSync} from 'node:child_process';
import {chmodSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, '.tools');
const binary = join(toolsDir, 'bin', 'ferretdb');

function installedVersion() {
  if(!existsSync(binary)) {
    return null;
  }
  try {
    const out = execFileSync(binary, ['--version'], {encoding: 'utf8'});
    return /^version: (\S+)/m.exec(out)?.[1] ?? null;
  } catch {
    return null;
  }
}

function makeWritable(dir) {
  for(const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path);
    chmodSync(path, stat.isDirectory() ? 0o755 : 0o644);
    if(stat.isDirectory()) {
      makeWritable(path);
    }
  }
}

if(installedVersion() === VERSION) {
  process.exit(0);
}
console.log(`carecred: building FerretDB ${VERSION} into ${binary} (first run only)`);
mkdirSync(toolsDir, {recursive: true});
const download = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `${MODULE}@${VERSION}`], {
  encoding: 'utf8', cwd: toolsDir, env: {...process.env, GOFLAGS: '-mod=mod'}
}));
if(download.Error) {
  throw new Error(`go mod download failed: ${download.Error}`);
}
const source = join(toolsDir, 'src', 'ferretdb');
rmSync(source, {recursive: true, force: true});
cpSync(download.Dir, source, {recursive: true});
makeWritable(source);
writeFileSync(join(source, 'build', 'version', 'version.txt'), `${VERSION}\n`);
mkdirSync(dirname(binary), {recursive: true});
execFileSync('go', ['build', '-trimpath', '-o', binary, './cmd/ferretdb'], {cwd: source, stdio: 'inherit'});
rmSync(source, {recursive: true, force: true});
if(installedVersion() !== VERSION) {
  throw new Error(`FerretDB build did not produce ${VERSION}`);
}
console.log(`carecred: FerretDB ${VERSION} ready`);
