#!/usr/bin/env node
// Builds the embedded database (FerretDB v1.24.2, SQLite backend) into .tools/bin/ferretdb.
//
// Why not plain `go install ...@v1.24.2`: the binary it produces panics at start
// ("Invalid build/version/version.txt") because the module zip has no version.txt,
// which FerretDB's own build writes from `git describe`. So we fetch the same module
// through the Go proxy, add the version file and build it from that copy.
//
// One patch (PATCHES below): FerretDB v1's SQLite backend looks `_id` up with the SQL expression
// `_ferretdb_sjson->'$._id'`, while the unique `_id` index is on `_ferretdb_sjson->"_id"`. SQLite
// uses an index on an expression only for the identical expression, so every find, update and
// delete by `_id` scanned the whole table (EXPLAIN QUERY PLAN: `SCAN`; ~180 ms at 20,000 × 3 KB
// documents, ~1-4 ms patched). The patch writes the lookup as `->'_id'` (the same member; it is
// what the PostgreSQL backend uses), which SQLite answers from the index (`SEARCH ... USING INDEX`).
// The version gets a `-carecred.N` suffix, so an unpatched binary is rebuilt.
import {execFileSync} from 'node:child_process';
import {chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync,
  writeFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const VERSION = 'v1.24.2';
const BUILD = `${VERSION}-carecred.1`;
const PATCHES = [{
  file: 'internal/backends/sqlite/metadata/metadata.go',
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: `IDColumn = DefaultColumn + "->'_id'"`
}];
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

/** Applies the patches to the copied source; fails when one no longer matches. */
function applyPatches(source) {
  for(const {file, from, to} of PATCHES) {
    const path = join(source, file);
    const text = readFileSync(path, 'utf8');
    if(!text.includes(from)) {
      throw new Error(`FerretDB patch does not apply to ${file}`);
    }
    writeFileSync(path, text.replace(from, to));
  }
}

if(installedVersion() === BUILD) {
  process.exit(0);
}
console.log(`carecred: building FerretDB ${BUILD} into ${binary} (first run only)`);
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
writeFileSync(join(source, 'build', 'version', 'version.txt'), `${BUILD}\n`);
applyPatches(source);
mkdirSync(dirname(binary), {recursive: true});
execFileSync('go', ['build', '-trimpath', '-o', binary, './cmd/ferretdb'], {cwd: source, stdio: 'inherit'});
rmSync(source, {recursive: true, force: true});
if(installedVersion() !== BUILD) {
  throw new Error(`FerretDB build did not produce ${BUILD}`);
}
console.log(`carecred: FerretDB ${BUILD} ready`);
