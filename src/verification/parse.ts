/**
 * Turns what a caller sent into one of four shapes: a Data Integrity credential or presentation
 * (a JSON object), or a VC-JOSE credential or presentation (a compact JWS whose payload is the
 * credential or presentation). Input that is none of these is an `UnparseableInput` (a 400);
 * anything that can be read is returned, however invalid, so that it is verified and reported.
 */
import {UnparseableInput} from './errors.js';

type Json = Record<string, unknown>;

/** The protected header of a compact JWS. */
export interface JwsHeader {
  alg?: unknown;
  typ?: unknown;
  kid?: unknown;
  cty?: unknown;
  [member: string]: unknown;
}

/** A readable input. */
export type ParsedInput =
  | {kind: 'credential'; format: 'vc-di'; document: Json}
  | {kind: 'credential'; format: 'vc-jwt'; document: Json; jwt: string; header: JwsHeader}
  | {kind: 'presentation'; format: 'vp-di'; document: Json}
  | {kind: 'presentation'; format: 'vp-jwt'; document: Json; jwt: string; header: JwsHeader};

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const CREDENTIAL_TYPS = new Set(['vc+jwt', 'vc+ld+json+jwt', 'application/vc+jwt',
  'application/vc+ld+json+jwt', 'vc-ld+jwt', 'application/vc-ld+jwt']);
const PRESENTATION_TYPS = new Set(['vp+jwt', 'vp+ld+json+jwt', 'application/vp+jwt',
  'application/vp+ld+json+jwt', 'vp-ld+jwt', 'application/vp-ld+jwt']);
const ENVELOPE_MEDIA_TYPES = new Set(['application/vc+jwt', 'application/vc-ld+jwt',
  'application/vc+ld+json+jwt', 'application/vp+jwt', 'application/vp-ld+jwt',
  'application/vp+ld+json+jwt']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typesOf(value: Json): unknown[] {
  return Array.isArray(value.type) ? value.type : [value.type];
}

function decodeJsonPart(part: string, what: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch(error) {
    throw new UnparseableInput(`The JWS ${what} is not base64url-encoded JSON.`, error);
  }
  if(!isObject(value)) {
    throw new UnparseableInput(`The JWS ${what} is not a JSON object.`);
  }
  return value;
}

/** Reads a compact JWS; the kind comes from `typ`, else from the payload's `type`. */
function parseCompactJws(jwt: string): ParsedInput {
  const [headerPart, payloadPart] = jwt.split('.');
  const header = decodeJsonPart(headerPart!, 'header');
  const document = decodeJsonPart(payloadPart!, 'payload');
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : undefined;
  const isPresentation = typ ? PRESENTATION_TYPS.has(typ) :
    typesOf(document).includes('VerifiablePresentation') || isObject(document.vp);
  return isPresentation ? {kind: 'presentation', format: 'vp-jwt', document, jwt, header} :
    {kind: 'credential', format: 'vc-jwt', document, jwt, header};
}

/**
 * Reads the compact JWS out of a `data:` URL of an enveloped credential or presentation.
 *
 * @throws {UnparseableInput} for another media type or a malformed URL.
 */
export function unwrapDataUrl(url: string): string {
  const match = /^data:([^,;]+)((?:;[^,]*)*),(.*)$/s.exec(url);
  if(!match || !ENVELOPE_MEDIA_TYPES.has(match[1]!.toLowerCase())) {
    throw new UnparseableInput('The enveloped credential is not a data: URL of a VC-JOSE media type.');
  }
  const body = decodeURIComponent(match[3]!);
  return (match[2] ?? '').includes(';base64') ? Buffer.from(body, 'base64').toString('utf8').trim() :
    body.trim();
}

function parseObject(document: Json): ParsedInput {
  const types = typesOf(document);
  if(types.includes('EnvelopedVerifiableCredential') || types.includes('EnvelopedVerifiablePresentation')) {
    if(typeof document.id !== 'string') {
      throw new UnparseableInput('An enveloped credential needs a data: URL as "id".');
    }
    return parseString(unwrapDataUrl(document.id));
  }
  return types.includes('VerifiablePresentation') ?
    {kind: 'presentation', format: 'vp-di', document} : {kind: 'credential', format: 'vc-di', document};
}

function parseString(text: string): ParsedInput {
  const value = text.trim();
  if(value.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch(error) {
      throw new UnparseableInput('The text is not valid JSON.', error);
    }
    return parseInput(parsed);
  }
  if(value.startsWith('data:')) {
    return parseString(unwrapDataUrl(value));
  }
  if(COMPACT_JWS.test(value)) {
    return parseCompactJws(value);
  }
  throw new UnparseableInput('The text is neither JSON nor a compact JWS (header.payload.signature).');
}

/**
 * Classifies an input.
 *
 * @param input - a JSON object, or a string holding JSON, a compact JWS or a data: URL.
 * @returns the parsed input.
 * @throws {UnparseableInput} when it is none of these.
 */
export function parseInput(input: unknown): ParsedInput {
  if(typeof input === 'string') {
    return parseString(input);
  }
  if(isObject(input)) {
    return parseObject(input);
  }
  throw new UnparseableInput('Expected a credential or presentation (a JSON object or a compact JWS).');
}

/** True when a JWS `typ` is acceptable for the expected kind (absent is accepted: it is a SHOULD). */
export function isExpectedTyp(typ: unknown, kind: 'credential' | 'presentation'): boolean {
  if(typ === undefined) {
    return true;
  }
  const set = kind === 'credential' ? CREDENTIAL_TYPS : PRESENTATION_TYPS;
  return typeof typ === 'string' && set.has(typ.toLowerCase());
}
