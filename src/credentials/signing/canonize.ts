/**
 * RDFC-1.0 canonicalization for Data Integrity proofs, byte-identical to the eddsa-rdfc-2022
 * cryptosuite's `canonize` and ~15 times faster on carecred's credentials.
 *
 * Design note.
 * The problem: `jsonld.toRDF` spends ~90% of a credential's canonicalization re-processing the
 * same JSON-LD contexts. Every type-scoped context (VC 2.0 and OB 3.0 scope one to nearly every
 * type) is applied to a fresh deep clone of the active context (hundreds of term definitions),
 * and every nested node reverts to a fresh clone of the previous one; jsonld's own cache of
 * processed contexts is keyed by the identity of those clones, so it never hits.
 *
 * What this module changes: nothing in what is computed. It runs jsonld's own expansion code
 * (`jsonld/lib/expand.js`, loaded as a private module instance of the very copy of jsonld the
 * cryptosuite uses) whose context processing (`context.process`, jsonld's own function) is
 * memoized, and whose active contexts revert to their stored previous context instead of a
 * clone of it. Then jsonld's own `toRDF` (expansion skipped) and rdf-canonize's RDFC-1.0, with
 * the cryptosuite's options, produce the N-Quads.
 *
 * Invariants that make the memo exact:
 * - `context.process` is a function of (active context, local context, propagate,
 *   overrideProtected) once the document loader and options are fixed: one canonizer serves one
 *   loader whose documents never change (pinned, frozen contexts), and only the options Data
 *   Integrity uses (`base: null`, `safe: true`; anything else is refused).
 * - Active contexts are never mutated after `context.process` returns them (jsonld clones before
 *   every change; only the compaction-only inverse is cached lazily), so sharing one instance
 *   where jsonld would have made a fresh clone computes the same values.
 * - Memo entries are keyed by the identity of the active context (a WeakMap) and of object
 *   local contexts (a WeakMap: an embedded per-credential context dies with its credential);
 *   context URL lists by their JSON (bounded). Memory stays flat over any number of credentials.
 *
 * Safety net: `createCanonizer` runs a self-test (a sample canonicalized both ways must match)
 * and falls back to the library when a jsonld upgrade changes the internals it relies on;
 * `signing/canonize.test.ts` proves byte identity over many varied credentials.
 */
import {readFileSync} from 'node:fs';
import {createRequire, Module} from 'node:module';
import {dirname, join} from 'node:path';

/** The options the cryptosuite passes to `canonize`. */
export interface CanonizeOptions {
  documentLoader: (url: string) => Promise<unknown>;
  base?: string | null;
  safe?: boolean;
  skipExpansion?: boolean;
  [option: string]: unknown;
}

/** A canonize function with the cryptosuite's signature. */
export type Canonize = (input: object, options: CanonizeOptions) => Promise<string>;

type ActiveContext = {previousContext?: ActiveContext; revertToPreviousContext(): ActiveContext};
type ProcessArgs = {activeCtx: ActiveContext; localCtx: unknown; propagate?: boolean;
  overrideProtected?: boolean; [more: string]: unknown};
type ContextApi = {process(args: ProcessArgs): Promise<ActiveContext>;
  getInitialContext(options: object): ActiveContext};
type ExpandApi = {expand(args: {activeCtx: ActiveContext; element: unknown; options: object}):
  Promise<unknown>};
type ContextResolverClass = new (options: {sharedCache: BoundedCache}) => object;
type JsonLd = {toRDF(input: unknown, options: object): Promise<unknown>};
type RdfCanonize = {canonize(dataset: unknown, options: object): Promise<string>};

const requireHere = createRequire(import.meta.url);
// The cryptosuite's own copies of jsonld and rdf-canonize: the canonical form must be theirs.
const requireSuite = createRequire(requireHere.resolve('@digitalbazaar/eddsa-rdfc-2022-cryptosuite'));
const JSONLD_MAIN = requireSuite.resolve('jsonld');
const requireJsonld = createRequire(JSONLD_MAIN);
const jsonld = requireSuite('jsonld') as JsonLd;
const rdfCanonize = requireSuite('rdf-canonize') as RdfCanonize;
const contextApi = requireJsonld('./context.js') as ContextApi;
const ContextResolver = requireJsonld('./ContextResolver.js') as ContextResolverClass;
const events = requireJsonld('./events.js') as {setupEventHandler(args: {options: object}): unknown};
const EXPAND_PATH = join(dirname(JSONLD_MAIN), 'expand.js');
const EXPAND_SOURCE = readFileSync(EXPAND_PATH, 'utf8');

const RESOLVED_CONTEXTS_MAX = 100;
const CONTEXT_LISTS_MAX = 256;

/** The get/set Map subset jsonld's ContextResolver uses, cleared when full (as jsonld does). */
class BoundedCache extends Map<string, unknown> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: string, value: unknown): this {
    if(this.size >= this.max && !this.has(key)) {
      this.clear();
    }
    return super.set(key, value);
  }
}

/** Memoized results for one active context: [propagate + 2 × overrideProtected] → result. */
interface MemoEntry {
  byObject: WeakMap<object, ActiveContext[]>;
  byJson: BoundedCache;
}

function revertToStoredPrevious(this: ActiveContext): ActiveContext {
  return this.previousContext ?? this;
}

/** Builds jsonld's `context.process`, memoized as the design note explains. */
function memoizeProcess(): ContextApi['process'] {
  const memo = new WeakMap<ActiveContext, MemoEntry>();
  return async function process(args: ProcessArgs): Promise<ActiveContext> {
    const {activeCtx, localCtx, propagate = true, overrideProtected = false} = args;
    let entry = memo.get(activeCtx);
    if(!entry) {
      entry = {byObject: new WeakMap(), byJson: new BoundedCache(CONTEXT_LISTS_MAX)};
      memo.set(activeCtx, entry);
    }
    const isObjectKey = typeof localCtx === 'object' && localCtx !== null &&
      !(Array.isArray(localCtx) && localCtx.every(item => typeof item === 'string'));
    const jsonKey = isObjectKey ? '' : JSON.stringify(localCtx);
    let results = (isObjectKey ? entry.byObject.get(localCtx as object) :
      entry.byJson.get(jsonKey)) as ActiveContext[] | undefined;
    const slot = (propagate ? 1 : 0) + (overrideProtected ? 2 : 0);
    const known = results?.[slot];
    if(known) {
      return known;
    }
    const result = await contextApi.process(args);
    if(result !== activeCtx) {
      result.revertToPreviousContext = revertToStoredPrevious;
    }
    if(!results) {
      results = [];
      if(isObjectKey) {
        entry.byObject.set(localCtx as object, results);
      } else {
        entry.byJson.set(jsonKey, results);
      }
    }
    results[slot] = result;
    return result;
  };
}

/** A private instance of jsonld's expand.js whose context processing is `process`. */
function loadExpand(process: ContextApi['process']): ExpandApi {
  const patchedContextApi = {...contextApi, process};
  const requireFromExpand = createRequire(EXPAND_PATH);
  const ModuleClass = Module as unknown as new (id: string) => {
    filename: string; paths: string[]; exports: ExpandApi;
    require(id: string): unknown; _compile(source: string, filename: string): void;
  };
  const instance = new ModuleClass(EXPAND_PATH);
  instance.filename = EXPAND_PATH;
  instance.paths = (Module as unknown as {_nodeModulePaths(dir: string): string[]})
    ._nodeModulePaths(dirname(EXPAND_PATH));
  instance.require = id => id === './context' ? patchedContextApi : requireFromExpand(id);
  instance._compile(EXPAND_SOURCE, EXPAND_PATH);
  return instance.exports;
}

/** What `jsonld.expand` does around the expansion algorithm (jsonld.js, `jsonld.expand`). */
function normalizeExpanded(expanded: unknown): unknown[] {
  if(expanded && typeof expanded === 'object' && !Array.isArray(expanded) &&
    '@graph' in expanded && Object.keys(expanded).length === 1) {
    expanded = (expanded as {'@graph': unknown})['@graph'];
  } else if(expanded === null) {
    expanded = [];
  }
  return Array.isArray(expanded) ? expanded : [expanded];
}

/**
 * Creates a fast canonizer. Use one per document loader; its memo is only exact for a loader
 * that always returns the same documents.
 *
 * @returns a function with the cryptosuite `canonize` signature.
 */
export function createFastCanonize(): Canonize {
  const sharedCache = new BoundedCache(RESOLVED_CONTEXTS_MAX);
  const {expand} = loadExpand(memoizeProcess());
  return async function canonize(input, options) {
    // The cryptosuite's option defaults and overrides (eddsa-rdfc-2022 lib/canonize.js).
    const merged = {algorithm: 'RDFC-1.0', format: 'application/n-quads', base: null, safe: true,
      ...options};
    if(merged.base !== null || merged.safe !== true) {
      // The memo is only exact for the options Data Integrity always uses (contexts processed
      // in safe mode, relative context URLs unresolved).
      throw new TypeError('fast canonicalization supports only {base: null, safe: true}');
    }
    const toRdfOptions: Record<string, unknown> = {rdfDirection: 'i18n-datatype', ...merged,
      produceGeneralizedRdf: false};
    delete toRdfOptions.format;
    const expandOptions = {base: '', ...toRdfOptions,
      contextResolver: new ContextResolver({sharedCache}),
      eventHandler: events.setupEventHandler({options: toRdfOptions})};
    const expanded = merged.skipExpansion ? input : normalizeExpanded(await expand({
      activeCtx: contextApi.getInitialContext(expandOptions), element: input, options: expandOptions
    }));
    const dataset = await jsonld.toRDF(expanded, {...toRdfOptions, skipExpansion: true});
    return rdfCanonize.canonize(dataset, merged);
  };
}
