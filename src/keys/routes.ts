/** Routes of issuer identities: the public DID document and key management. */
import {defineHandlers} from '../platform/http/handler.js';
import {orgOf} from '../platform/http/principal.js';
import type {KeyService} from './service.js';

/** Handlers of the `keys` operations. */
export function keyHandlers({keys}: {keys: KeyService}) {
  return defineHandlers({
    getIssuerDidDocument: async (req, res) => {
      const document = await keys.getDidWebDocument(req.params.slug);
      res.type(req.accepts(['application/did+json', 'application/json']) || 'application/did+json')
        .set('Cache-Control', 'public, max-age=60').send(JSON.stringify(document));
    },
    listIssuerKeys: async (req, res) => {
      res.json({items: await keys.listKeys(orgOf(req).orgId)});
    },
    rotateIssuerKey: async (req, res) => {
      const {orgId, orgSlug} = orgOf(req);
      res.status(201).json(await keys.rotateKey({orgId, slug: orgSlug}));
    },
    revokeIssuerKey: async (req, res) => {
      const {orgId, orgSlug} = orgOf(req);
      res.json(await keys.revokeKey({orgId, slug: orgSlug, keyId: req.params.keyId}));
    }
  });
}
