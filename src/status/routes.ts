/** Routes of credential status: the public status lists, revoke/suspend/reinstate, the audit trail. */
import {toCredentialResource} from '../credentials/index.js';
import {defineHandlers, type OperationHandler} from '../platform/http/handler.js';
import {orgOf} from '../platform/http/principal.js';
import type {AuditEventRecord} from './audit-model.js';
import type {StatusAction, StatusService} from './service.js';

function toAuditEvent(event: AuditEventRecord) {
  return {
    id: event._id.toHexString(), at: event.at.toISOString(), action: event.action, actor: event.actor,
    target: {type: event.targetType, id: event.targetId},
    ...(event.reason ? {reason: event.reason} : {}),
    ...(event.fromStatus ? {fromStatus: event.fromStatus} : {}),
    ...(event.toStatus ? {toStatus: event.toStatus} : {})
  };
}

/** Handlers of the `status` operations. */
export function statusHandlers({status, publicBaseUrl}: {status: StatusService; publicBaseUrl: string}) {
  type ChangeOperation = 'revokeCredential' | 'suspendCredential' | 'reinstateCredential';
  const change = <Id extends ChangeOperation>(action: StatusAction): OperationHandler<Id> =>
    async (req, res) => {
    const {orgId, keyId} = orgOf(req);
    const record = await status.changeStatus({orgId, credentialId: String(req.params.id), action,
      reason: (req.body as {reason?: string} | undefined)?.reason, actor: keyId});
    res.json(toCredentialResource(record, publicBaseUrl));
  };
  return defineHandlers({
    getStatusList: async (req, res) => {
      const list = await status.getStatusList({orgSlug: req.params.orgSlug, listRef: req.params.listRef});
      res.set({'ETag': list.etag, 'Cache-Control': 'public, max-age=30, must-revalidate', 'Vary': 'Accept'});
      if(req.headers['if-none-match'] === list.etag) {
        res.status(304).end();
        return;
      }
      res.type(req.accepts(['application/vc', 'application/json']) || 'application/vc').send(list.document);
    },
    revokeCredential: change('revoke'),
    suspendCredential: change('suspend'),
    reinstateCredential: change('reinstate'),
    listAuditEvents: async (req, res) => {
      const {items, next} = await status.listAudit({orgId: orgOf(req).orgId, ...req.query});
      res.json({items: items.map(toAuditEvent), ...(next ? {next} : {})});
    }
  });
}
