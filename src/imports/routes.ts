/** Routes of bulk imports: upload (streamed, idempotent by Idempotency-Key), progress and report, list. */
import {defineHandlers} from '../platform/http/handler.js';
import {orgOf} from '../platform/http/principal.js';
import type {ImportMediaType} from './model.js';
import {importDefaultsOf} from './rows.js';
import type {ImportService} from './service.js';

/** Handlers of the `imports` operations. */
export function importHandlers({imports}: {imports: ImportService}) {
  return defineHandlers({
    createImport: async (req, res) => {
      const declared = req.headers['content-length'];
      const {job, replayed} = await imports.createImport({orgId: orgOf(req).orgId, body: req,
        mediaType: res.locals.mediaType as ImportMediaType | undefined,
        contentLength: declared === undefined ? undefined : Number(declared),
        defaults: importDefaultsOf(req.query), idempotencyKey: req.get('idempotency-key'),
        requestPath: req.originalUrl});
      res.status(202).location(`/v1/imports/${job.id}`).set(replayed ? {'Idempotent-Replayed': 'true'} : {})
        .json(job);
    },
    getImport: async (req, res) => {
      res.json(await imports.getImport({orgId: orgOf(req).orgId, importId: req.params.id, ...req.query}));
    },
    listImports: async (req, res) => {
      res.json(await imports.listImports({orgId: orgOf(req).orgId, ...req.query}));
    }
  });
}
