/**
 * Routes of organisations and API keys (thin: validate is done by the contract, one service
 * call, answer).
 */
import {defineHandlers} from '../platform/http/handler.js';
import {orgOf} from '../platform/http/principal.js';
import type {OrgService} from './service.js';

/** Handlers of the `orgs` operations. */
export function orgHandlers({orgs}: {orgs: OrgService}) {
  return defineHandlers({
    createOrganisation: async (req, res) => {
      res.status(201).json(await orgs.createOrganisation(req.body));
    },
    listOrganisations: async (_req, res) => {
      res.json({items: await orgs.listOrganisations()});
    },
    adminCreateApiKey: async (req, res) => {
      res.status(201).json(await orgs.createApiKey({orgId: req.params.orgId, ...req.body}));
    },
    getOwnOrganisation: async (req, res) => {
      res.json(await orgs.getOrganisation(orgOf(req).orgId));
    },
    listApiKeys: async (req, res) => {
      res.json({items: await orgs.listApiKeys(orgOf(req).orgId)});
    },
    createApiKey: async (req, res) => {
      res.status(201).json(await orgs.createApiKey({orgId: orgOf(req).orgId, ...req.body}));
    },
    revokeApiKey: async (req, res) => {
      res.json(await orgs.revokeApiKey({orgId: orgOf(req).orgId, keyId: req.params.keyId}));
    }
  });
}
