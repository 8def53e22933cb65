/**
 * The verification use cases behind the HTTP routes: unwrap the request (carecred's own shape or
 * the VC-API's), run the engine, answer with the report or the VC-API result.
 */
import {UnparseableInput} from './errors.js';
import {assertConforming, toVcApiCredentialResult, toVcApiPresentationResult} from './vc-api.js';
import type {Verifier} from './verify-credential.js';

type Json = Record<string, unknown>;

/** What POST /v1/verify received: the body, and the query for raw bodies. */
export interface VerifyRequest {
  body: unknown;
  query: {challenge?: string; domain?: string; lang?: string};
  /** Language from Accept-Language, when neither body nor query names one. */
  acceptLanguage?: string;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function baseLanguage(lang: string | undefined): string {
  return (lang ?? 'en').split('-')[0]!.toLowerCase();
}

/**
 * Creates the verification service.
 *
 * @param options.verifier - the engine.
 * @param options.publicBaseUrl - base of carecred's problem type URLs.
 */
export function createVerificationService({verifier, publicBaseUrl}: {
  verifier: Verifier; publicBaseUrl: string;
}) {
  /**
   * POST /v1/verify: a raw credential/presentation/JWS, or `{credential | presentation | jwt, ...}`.
   *
   * @throws {UnparseableInput} when nothing verifiable is in the body.
   */
  async function verifyRequest({body, query, acceptLanguage}: VerifyRequest) {
    if(body === undefined || body === null || body === '') {
      throw new UnparseableInput('The body is empty.');
    }
    const wrapped = isObject(body) && !('@context' in body) ? body : undefined;
    const options = {
      challenge: (wrapped?.challenge as string | undefined) ?? query.challenge,
      domain: (wrapped?.domain as string | undefined) ?? query.domain,
      language: baseLanguage((wrapped?.lang as string | undefined) ?? query.lang ?? acceptLanguage)
    };
    if(wrapped?.credential !== undefined) {
      return verifier.verifyCredential({...options, input: wrapped.credential});
    }
    if(wrapped?.presentation !== undefined) {
      return verifier.verifyPresentation({...options, input: wrapped.presentation});
    }
    return verifier.verify({...options, input: wrapped?.jwt ?? body});
  }

  /**
   * VC-API POST /credentials/verify.
   *
   * @throws {UnparseableInput} for an unreadable credential.
   * @throws {NonConformingDocument} for one that breaks the data model.
   */
  async function vcApiVerifyCredential({verifiableCredential, options = {}}: {
    verifiableCredential: Json; options?: Json;
  }) {
    const report = await verifier.verifyCredential({input: verifiableCredential});
    assertConforming(report.checks, {pointer: '/body/verifiableCredential', what: 'credential'});
    return toVcApiCredentialResult(report, {...options, publicBaseUrl});
  }

  /**
   * VC-API POST /presentations/verify.
   *
   * @throws {UnparseableInput} for an unreadable presentation.
   * @throws {NonConformingDocument} for one that breaks the data model.
   */
  async function vcApiVerifyPresentation({verifiablePresentation, options = {}}: {
    verifiablePresentation: Json; options?: Json;
  }) {
    const report = await verifier.verifyPresentation({input: verifiablePresentation,
      challenge: options.challenge as string | undefined, domain: options.domain as string | undefined});
    assertConforming(report.checks, {pointer: '/body/verifiablePresentation', what: 'presentation'});
    return toVcApiPresentationResult(report, {...options, publicBaseUrl});
  }

  return {verifyRequest, vcApiVerifyCredential, vcApiVerifyPresentation};
}

export type VerificationService = ReturnType<typeof createVerificationService>;
