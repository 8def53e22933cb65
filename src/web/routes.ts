/**
 * Routes of the `web` operations: the share page (content-negotiated: the page, or the
 * credential itself), its downloads, the verifier page and its form, and the pages' assets.
 * A share link that is unknown, withdrawn or erased answers an HTML page to browsers and
 * problem+json to other clients.
 */
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

import type {Request, Response} from 'express';

import {AppError, NotFound} from '../platform/errors.js';
import {defineHandlers} from '../platform/http/handler.js';
import {NotAcceptable} from './errors.js';
import {chooseLanguage, messagesFor, textPreference, type UiLanguage} from './i18n.js';
import {type PageFrame, type PageName, renderPage} from './render.js';
import {type OpenedShare, shareIdOf, type WebService} from './service.js';
import {verdictOnly} from './views.js';

const ASSETS_DIR = fileURLToPath(new URL('./assets', import.meta.url));
const ASSET_TYPES: Record<string, string> = {
  'carecred.css': 'text/css', 'verify.js': 'text/javascript', 'favicon.svg': 'image/svg+xml'
};
const ASSETS = new Map(Object.entries(ASSET_TYPES).map(([name, type]) =>
  [name, {type, body: readFileSync(`${ASSETS_DIR}/${name}`)}]));

/** Media types of a share link by format; the first is the page itself. */
const CREDENTIAL_MEDIA_TYPES = {di: ['application/vc', 'application/vc+ld+json'], jwt: ['application/vc+jwt']};

/** The reader's page language and the order for the credential's own texts. */
function readerOf(req: Request, lang?: string) {
  const options = {lang: lang ?? (req.query.lang as string | undefined),
    acceptLanguage: req.headers['accept-language']};
  const language = chooseLanguage(options);
  return {language, preference: textPreference({language, ...options})};
}

function sendPage(res: Response, {name, frame, data, status = 200}: {
  name: PageName; frame: PageFrame; data: Record<string, unknown>; status?: number;
}): void {
  // Every view verifies anew, and share pages hold a learner's name: nothing is stored by caches.
  res.status(status).type('html').set({'Cache-Control': 'no-store', 'Content-Language': frame.language,
    'X-Robots-Tag': 'noindex'}).vary('Accept-Language').send(renderPage(name, frame, data));
}

function prefersHtml(req: Request): boolean {
  return req.accepts(['text/html', 'application/problem+json', 'application/json']) === 'text/html';
}

/** Answers a browser's 404/410 with a page; other clients get the problem (problem.ts). */
function withErrorPages<R extends Request>(handler: (req: R, res: Response) => Promise<void>, root: string) {
  return async (req: R, res: Response): Promise<void> => {
    try {
      await handler(req, res);
    } catch(error) {
      if(!(error instanceof AppError) || ![404, 410].includes(error.status) || !prefersHtml(req)) {
        throw error;
      }
      const {language} = readerOf(req);
      const t = messagesFor(language);
      const [heading, text] = error.status === 404 ? [t.notFoundTitle, t.notFoundText] :
        [t.goneTitle, t.goneText];
      sendPage(res, {name: 'error', status: error.status, frame: {language, root, title: `${heading} · carecred`},
        data: {heading, text}});
    }
  };
}

function availableMediaTypes(opened: OpenedShare): string[] {
  return ['text/html', ...(['di', 'jwt'] as const).filter(format => opened.documents[format] !== undefined)
    .flatMap(format => CREDENTIAL_MEDIA_TYPES[format])];
}

function sendCredential(res: Response, {document, mediaType, filename}: {
  document: string; mediaType: string; filename?: string;
}): void {
  if(filename) {
    res.attachment(filename);
  }
  res.type(mediaType).set({'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex'}).send(document);
}

async function sharePage(web: WebService, req: Request, res: Response): Promise<void> {
  const opened = await web.openShare(String(req.params.shareId));
  const available = availableMediaTypes(opened);
  const mediaType = req.accepts(available);
  res.vary('Accept');
  if(!mediaType) {
    throw new NotAcceptable(available);
  }
  if(mediaType !== 'text/html') {
    const format = CREDENTIAL_MEDIA_TYPES.jwt.includes(mediaType) ? 'jwt' : 'di';
    return sendCredential(res, {document: opened.documents[format]!, mediaType});
  }
  const {language, preference} = readerOf(req);
  const page = await web.sharePage({opened, language, preference});
  const title = messagesFor(language).sharePageTitle(page.title.text, page.learnerName ?? '');
  const alternates = page.formats.map(format => ({type: CREDENTIAL_MEDIA_TYPES[format][0],
    href: `${page.shareId}/credential.${format === 'di' ? 'json' : 'jwt'}`}));
  sendPage(res, {name: 'share', data: {page, alternates},
    frame: {language, root: '../', title: `${title} · carecred`}});
}

function verifierPage(res: Response, {language, result, input, keepQuery}: {
  language: UiLanguage; result?: Awaited<ReturnType<WebService['verifyText']>>; input?: string;
  keepQuery?: Record<string, string>;
}): void {
  const t = messagesFor(language);
  const title = `${result ? `${result.verdict.title} — ` : ''}${t.verifyTitle} · carecred`;
  sendPage(res, {name: 'verify', frame: {language, root: '', title, keepQuery},
    data: {result, input, script: 'verify.js'}});
}

/** Handlers of the `web` operations. */
export function webHandlers({web}: {web: WebService}) {
  return defineHandlers({
    getSharePage: withErrorPages((req, res) => sharePage(web, req, res), '../'),
    getSharedCredentialJson: withErrorPages(async (req, res) => {
      const document = await web.sharedDocument({shareId: req.params.shareId, format: 'di'});
      sendCredential(res, {document, mediaType: 'application/vc', filename: 'credential.json'});
    }, '../../'),
    getSharedCredentialJwt: withErrorPages(async (req, res) => {
      const document = await web.sharedDocument({shareId: req.params.shareId, format: 'jwt'});
      sendCredential(res, {document, mediaType: 'application/vc+jwt', filename: 'credential.jwt'});
    }, '../../'),
    getVerifierPage: async (req, res) => {
      const {language, preference} = readerOf(req);
      const {share} = req.query;
      const shareId = share === undefined ? undefined : shareIdOf(share);
      const result = share === undefined ? undefined : shareId ?
        await web.verifyShared({shareId, language, preference}) : verdictOnly({kind: 'unsupported-link', language});
      verifierPage(res, {language, result, keepQuery: share === undefined ? {} : {share}});
    },
    submitVerifierForm: async (req, res) => {
      const {credential, lang} = req.body ?? {};
      const {language, preference} = readerOf(req, lang);
      const result = await web.verifyText({text: credential, language, preference});
      verifierPage(res, {language, result, input: credential});
    },
    getWebAsset: (req, res) => {
      const asset = ASSETS.get(req.params.asset);
      if(!asset) {
        throw new NotFound('Asset', req.params.asset);
      }
      res.type(asset.type).set('Cache-Control', 'public, max-age=3600').send(asset.body);
    }
  });
}
