/**
 * carecred's JSON-LD extension context for the EU micro-credential elements that Open Badges 3.0
 * has no term for (documented in docs/microcredential-context.md). It is served by every
 * deployment at `<PUBLIC_BASE_URL>/contexts/microcredential/v1` and bundled in the document loader,
 * so issuing and verifying never fetch it.
 */
import {ownContextUrl, readOwnContext} from '../../platform/jsonld/document-loader.js';

/** The context's path under PUBLIC_BASE_URL (a key of `OWN_CONTEXTS`). */
export const MICROCREDENTIAL_CONTEXT_PATH = '/contexts/microcredential/v1';

/**
 * The context URL in a deployment.
 *
 * @returns `<publicBaseUrl>/contexts/microcredential/v1`.
 */
export function microCredentialContextUrl(publicBaseUrl: string): string {
  return ownContextUrl({publicBaseUrl, path: MICROCREDENTIAL_CONTEXT_PATH});
}

/**
 * The context document as this deployment serves it (vocabulary IRIs under its base URL).
 *
 * @returns the frozen document.
 */
export function microCredentialContext(publicBaseUrl: string): unknown {
  return readOwnContext(MICROCREDENTIAL_CONTEXT_PATH, publicBaseUrl);
}
