/** Routes of the `verification` operations (thin: the contract validated the request). */
import {defineHandlers} from '../platform/http/handler.js';
import type {VerificationService} from './service.js';

/** Handlers of the `verification` operations. */
export function verificationHandlers({verification}: {verification: VerificationService}) {
  return defineHandlers({
    verify: async (req, res) => {
      res.json(await verification.verifyRequest({body: req.body, query: req.query,
        acceptLanguage: req.acceptsLanguages()[0]}));
    },
    vcApiVerifyCredential: async (req, res) => {
      res.json(await verification.vcApiVerifyCredential(req.body));
    },
    vcApiVerifyPresentation: async (req, res) => {
      res.json(await verification.vcApiVerifyPresentation(req.body));
    }
  });
}
