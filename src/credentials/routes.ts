/** Routes of issued credentials: list, read, withdraw a share link; the VC-API issuer. */
import {defineHandlers} from '../platform/http/handler.js';
import {orgOf} from '../platform/http/principal.js';
import type {StatusService} from '../status/service.js';
import type {CredentialService} from './service.js';
import {toCredentialResource} from './service.js';

/** Handlers of the `credentials` operations. */
export function credentialHandlers({credentials, status, recordShareWithdrawal, publicBaseUrl}: {
  credentials: CredentialService; status: StatusService; publicBaseUrl: string;
  recordShareWithdrawal: (options: {orgId: string; credentialId: string; actor: string}) => Promise<void>;
}) {
  return defineHandlers({
    listCredentials: async (req, res) => {
      const {items, next} = await credentials.listCredentials({orgId: orgOf(req).orgId, filter: req.query});
      res.json({items: items.map(record => toCredentialResource(record, publicBaseUrl)),
        ...(next ? {next} : {})});
    },
    getCredential: async (req, res) => {
      const record = await status.currentCredential({orgId: orgOf(req).orgId, credentialId: req.params.id});
      res.json(await credentials.withDetails(record));
    },
    vcApiIssueCredential: async (req, res) => {
      const verifiableCredential = await credentials.issueSuppliedCredential({orgId: orgOf(req).orgId,
        credential: req.body.credential, options: req.body.options});
      res.status(201).json({verifiableCredential});
    },
    withdrawShareLink: async (req, res) => {
      const {orgId, keyId} = orgOf(req);
      await credentials.withdrawShare({orgId, credentialId: req.params.id});
      await recordShareWithdrawal({orgId, credentialId: req.params.id, actor: keyId});
      res.status(204).end();
    }
  });
}
