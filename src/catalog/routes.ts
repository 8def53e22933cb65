/**
 * Routes of the catalogue: units of the caller's organisation, and the public catalogue (thin:
 * the contract has validated the request; one service call; answer).
 */
import {defineHandlers} from '../platform/http/handler.js';
import {orgOf} from '../platform/http/principal.js';
import type {CatalogService} from './service.js';

const PUBLIC_LIST_CACHE = 'public, max-age=30';
const PUBLIC_VERSION_CACHE = 'public, max-age=300';

/** Handlers of the `catalog` operations. */
export function catalogHandlers({catalog}: {catalog: CatalogService}) {
  return defineHandlers({
    createUnit: async (req, res) => {
      const unit = await catalog.createUnit({orgId: orgOf(req).orgId, input: req.body});
      res.status(201).location(`/v1/units/${unit.id}`).json(unit);
    },
    listUnits: async (req, res) => {
      res.json(await catalog.listUnits({orgId: orgOf(req).orgId, ...req.query}));
    },
    getUnit: async (req, res) => {
      res.json(await catalog.getUnit({orgId: orgOf(req).orgId, unitId: req.params.id}));
    },
    updateUnit: async (req, res) => {
      res.json(await catalog.updateUnit({orgId: orgOf(req).orgId, unitId: req.params.id, patch: req.body}));
    },
    publishUnit: async (req, res) => {
      res.json(await catalog.publishUnit({orgId: orgOf(req).orgId, unitId: req.params.id}));
    },
    archiveUnit: async (req, res) => {
      res.json(await catalog.archiveUnit({orgId: orgOf(req).orgId, unitId: req.params.id}));
    },
    listUnitVersions: async (req, res) => {
      res.json({items: await catalog.listUnitVersions({orgId: orgOf(req).orgId, unitId: req.params.id})});
    },
    getUnitVersion: async (req, res) => {
      res.json(await catalog.getUnitVersion({
        orgId: orgOf(req).orgId, unitId: req.params.id, version: Number(req.params.n)
      }));
    },
    listCatalogue: async (req, res) => {
      const page = await catalog.listCatalogue({...req.query, acceptLanguage: req.headers['accept-language']});
      res.set({'Cache-Control': PUBLIC_LIST_CACHE, Vary: 'Accept-Language'}).json(page);
    },
    getCatalogueUnitVersion: async (req, res) => {
      const {orgSlug, unitId, n} = req.params;
      const version = await catalog.getCatalogueUnitVersion({orgSlug, unitId, version: Number(n)});
      res.set('Cache-Control', PUBLIC_VERSION_CACHE).json(version);
    }
  });
}
