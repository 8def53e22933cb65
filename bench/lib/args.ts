/** Command-line flags of the bench scripts (`--name=value`, `--flag`). */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/**
 * Parses `process.argv`.
 *
 * @returns flag name → value (undefined for a flag without value).
 */
export function parseArgs(argv: string[] = process.argv.slice(2)): Map<string, string | undefined> {
  return new Map(argv.map(arg => {
    const [name, value] = arg.replace(/^--/, '').split('=');
    return [name!, value] as [string, string | undefined];
  }));
}

/**
 * A fresh directory for the server's `--cpu-prof` files when `--cpu-prof` is given.
 *
 * @returns the directory, or undefined without the flag.
 */
export function profileDirFor(args: Map<string, string | undefined>): string | undefined {
  return args.has('cpu-prof') ? mkdtempSync(join(tmpdir(), 'carecred-prof-')) : undefined;
}
