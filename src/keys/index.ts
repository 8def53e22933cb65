/** The keys module: issuer DIDs, signing keys (encrypted at rest) and DID documents. */
export {buildDidDocument, DID_CONTEXT_URL, didKeyFor, didWebDocumentUrl, didWebFor,
  JSON_WEB_KEY_CONTEXT, MULTIKEY_CONTEXT_URL} from './did.js';
export {decodeKeyEncryptionKey, decryptSecret, type EncryptedSecret} from './encryption.js';
export {keyModels, type KeyRecord} from './model.js';
export {keyHandlers} from './routes.js';
export {createKeyService, type IssuerKey, type KeyService} from './service.js';
