/**
 * Secrets that the embedded (single-machine) mode generates for itself when the environment does
 * not provide them: kept in DATA_DIR with mode 0600, created once, reused on every start.
 */
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';

/**
 * Reads a secret file, creating it with a fresh value when missing.
 *
 * @param options.dataDir - DATA_DIR.
 * @param options.name - file name inside DATA_DIR.
 * @param options.generate - makes a new secret value.
 * @returns the secret, the file path and whether it was just created.
 */
export function readOrCreateSecretFile({dataDir, name, generate}: {
  dataDir: string; name: string; generate: () => string;
}): {value: string; path: string; created: boolean} {
  const dir = resolve(dataDir);
  const path = join(dir, name);
  if(existsSync(path)) {
    chmodSync(path, 0o600);
    return {value: readFileSync(path, 'utf8').trim(), path, created: false};
  }
  mkdirSync(dir, {recursive: true});
  const value = generate();
  writeFileSync(path, `${value}\n`, {mode: 0o600, flag: 'wx'});
  return {value, path, created: true};
}
