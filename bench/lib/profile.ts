/**
 * Reads the V8 CPU profiles a server wrote with `--cpu-prof` (one file per thread: the main
 * thread has thread id 0 in the file name, the signing workers others) and prints where the
 * time went: self time by package or carecred module, and the hottest functions.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {loadavg} from 'node:os';
import {join} from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: {functionName: string; url: string; lineNumber: number};
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time in ms by key. */
type Tally = Map<string, number>;

/** The package, carecred module or runtime part a function belongs to. */
function categoryOf({functionName, url}: ProfileNode['callFrame']): string {
  if(!url) {
    return functionName.startsWith('(') ? functionName : '(native)';
  }
  const modules = url.lastIndexOf('/node_modules/');
  if(modules >= 0) {
    const [first, second] = url.slice(modules + '/node_modules/'.length).split('/');
    return first!.startsWith('@') ? `${first}/${second}` : first!;
  }
  const source = /\/(?:dist\/)?src\/(.+?)\/[^/]+$/.exec(url) ?? /\/(?:dist\/)?(src)\/[^/]+$/.exec(url);
  if(source) {
    return `carecred ${source[1]}`;
  }
  return url.startsWith('node:') ? `node ${url.slice(5).split('/').slice(0, 2).join('/')}` : url;
}

function isCarecred(node: ProfileNode): boolean {
  return /\/(?:dist\/)?src\//.test(node.callFrame.url) && !node.callFrame.url.includes('/node_modules/');
}

function tally(profile: CpuProfile, {byCategory, byFunction, inclusive}: Tallies): number {
  const nodes = new Map(profile.nodes.map(node => [node.id, node]));
  const parents = new Map<number, number>();
  for(const node of profile.nodes) {
    for(const child of node.children ?? []) {
      parents.set(child, node.id);
    }
  }
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id)!;
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const category = categoryOf(node.callFrame);
    // An idle worker thread waits in piscina's atomicsWaitLoop: idle, not work.
    if(category === '(idle)' || node.callFrame.functionName === 'atomicsWaitLoop') {
      return;
    }
    total += ms;
    byCategory.set(category, (byCategory.get(category) ?? 0) + ms);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${category}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const onStack = new Set<string>();
    for(let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = nodes.get(at)!;
      if(isCarecred(frame) && frame.callFrame.functionName) {
        onStack.add(`${frame.callFrame.functionName} ${categoryOf(frame.callFrame)}`);
      }
    }
    for(const frame of onStack) {
      inclusive.set(frame, (inclusive.get(frame) ?? 0) + ms);
    }
  });
  return total;
}

interface Tallies {
  byCategory: Tally;
  byFunction: Tally;
  /** Time with a carecred function on the stack (each synchronous stretch of an async function). */
  inclusive: Tally;
}

function top(entries: Tally, total: number, count: number): string[] {
  return [...entries].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, ms]) =>
    `  ${(ms / total * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
}

/**
 * Prints a summary of every profile in a directory.
 *
 * @param options.dir - where `--cpu-prof-dir` pointed.
 * @param options.operations - operations done in the profiled span (for ms per operation).
 * @param options.categories - how many categories to list; functions: twice as many.
 */
export function printProfileSummary({dir, operations, categories = 18}: {
  dir: string; operations: number; categories?: number;
}): void {
  const files = readdirSync(dir).filter(file => file.endsWith('.cpuprofile'));
  const groups = new Map<string, Tallies & {total: number; threads: number}>();
  for(const file of files) {
    // CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile
    const threadId = file.split('.').at(-3);
    const group = threadId === '0' ? 'main thread' : 'worker threads';
    const entry = groups.get(group) ??
      {byCategory: new Map(), byFunction: new Map(), inclusive: new Map(), total: 0, threads: 0};
    entry.total += tally(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, entry);
    entry.threads++;
    groups.set(group, entry);
  }
  for(const [group, {byCategory, byFunction, inclusive, total, threads}] of groups) {
    console.log(`\nCPU profile, ${group} (${threads} thread${threads > 1 ? 's' : ''}): ${total.toFixed(0)} ms busy, ` +
      `${(total / operations).toFixed(2)} ms per operation (whole run, set-up included)`);
    console.log(' by package / carecred module (self time):');
    console.log(top(byCategory, total, categories).join('\n'));
    console.log(' hottest functions (self time):');
    console.log(top(byFunction, total, categories * 2).join('\n'));
    console.log(' carecred functions (time with the function on the stack; async functions: their synchronous parts):');
    console.log(top(inclusive, total, categories * 2).join('\n'));
  }
  if(files.length === 0) {
    console.log(`\nno CPU profiles were written to ${dir}`);
  }
}

/**
 * Ends an HTTP bench run: the CPU profile summary when the server was profiled, and the load
 * average (the figures above are only as good as the machine was quiet).
 */
export function printRunEnd({profileDir, operations}: {profileDir: string | undefined; operations: number}):
  void {
  if(profileDir) {
    printProfileSummary({dir: profileDir, operations});
  }
  console.log(`load average at the end: ${loadavg()[0]!.toFixed(1)}`);
}
