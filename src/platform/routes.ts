/**
 * Platform routes: liveness, readiness, the contract and its human documentation, and the
 * descriptions behind every problem `type`.
 */
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';

import type {Connection} from './db.js';
import {pingDatabase} from './db.js';
import {NotFound, ServiceUnavailable} from './errors.js';
import type {Contract} from './http/contract.js';
import {defineHandlers} from './http/handler.js';
import {PROBLEM_TYPES} from './http/problem-types.js';

const require = createRequire(import.meta.url);
const SWAGGER_UI_DIR = require('swagger-ui-dist/absolute-path.js')() as string;
const DOCS_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'text/javascript',
  'swagger-ui-standalone-preset.js': 'text/javascript',
  'favicon-32x32.png': 'image/png'
};
const DOCS_INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({url: '../openapi.json', dom_id: '#swagger-ui', deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout'});
});`;
const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>carecred API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="docs/swagger-ui.css"><link rel="icon" href="docs/favicon-32x32.png">
</head><body><div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/swagger-ui-standalone-preset.js"></script>
<script src="docs/init.js"></script></body></html>`;

/**
 * Handlers of the platform operations.
 *
 * @param options.db - the database connection (for `/ready`).
 * @param options.contract - the loaded contract (served at `/openapi.json`).
 * @param options.version - service version reported by `/health`.
 * @returns the handler map.
 */
export function platformHandlers({db, contract, version}: {
  db: Connection; contract: Contract; version: string;
}) {
  const openapiJson = JSON.stringify(contract.document);
  return defineHandlers({
    getHealth: (_req, res) => {
      res.json({status: 'ok', version});
    },
    getReady: async (_req, res) => {
      if(!await pingDatabase(db)) {
        throw new ServiceUnavailable('The database does not answer a ping.');
      }
      res.json({status: 'ok', database: 'up'});
    },
    getOpenApiDocument: (_req, res) => {
      res.type('application/json').set('Cache-Control', 'public, max-age=300').send(openapiJson);
    },
    getApiDocs: (_req, res) => {
      res.type('html').send(DOCS_PAGE);
    },
    getApiDocsAsset: (req, res) => {
      const {asset} = req.params;
      if(asset === 'init.js') {
        res.type('text/javascript').send(DOCS_INIT);
        return;
      }
      const contentType = DOCS_ASSETS[asset];
      if(!contentType) {
        throw new NotFound('Documentation asset', asset);
      }
      res.type(contentType).set('Cache-Control', 'public, max-age=86400')
        .send(readFileSync(join(SWAGGER_UI_DIR, asset)));
    },
    getProblemType: (req, res) => {
      const type = PROBLEM_TYPES[req.params.code];
      if(!type) {
        throw new NotFound('Problem type', req.params.code);
      }
      res.json({code: req.params.code, ...type});
    }
  });
}
