/**
 * The MUSTs of the W3C Verifiable Credentials Data Model that a verifier can check on the
 * document itself, for VC DM 2.0 and — for documents whose first context is the v1 context —
 * VC DM 1.1. @digitalbazaar/vc checks only part of them (context, type, issuer, subject, dates,
 * typed status/evidence/termsOfUse); this table is the complete list carecred applies, each rule
 * cited to its section. A conforming verifier "MUST produce errors when non-conforming documents
 * are detected" (VC DM 2.0 §2.1), so every violation fails the `format` check.
 *
 * Related resources (VC DM 2.0 §5.3): the shape is checked (id URL, unique, a digest present and
 * well-formed). A digest must match only when the resource is retrieved; carecred never
 * retrieves related resources (contexts are pinned), so the only digest compared is that of the
 * base context, whose SHA2-256 the specification publishes (§B.1 "as already retrieved").
 */
const V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
const V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
/** SHA2-256 of the VC DM 2.0 base context file, as published in the specification (§B.1). */
const V2_CONTEXT_SHA256_HEX = '24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9';

/** XML Schema dateTime; the offset is optional because §5.8 says to read a missing one as UTC. */
export const DATE_TIME = new RegExp('^-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])' +
  'T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?|(24:00:00(\\.0+)?))' +
  '(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$');

export type DocumentKind = 'credential' | 'presentation';
export type DataModelVersion = 1 | 2;

/** What a rule sees. */
export interface RuleContext {
  document: Record<string, unknown>;
  version: DataModelVersion | undefined;
  /** The document is secured by an embedded proof (Data Integrity), not by an envelope (JOSE). */
  embeddedProof: boolean;
}

/** One MUST of the data model. */
export interface DataModelRule {
  id: string;
  kind: DocumentKind;
  /** Versions the rule applies to; a document whose version is unknown gets the 2.0 rules. */
  versions: DataModelVersion[];
  /** Where the MUST is written. */
  section: string;
  /** Returns a plain English message per violation (empty when the rule holds). */
  check(context: RuleContext): string[];
}

/** A broken rule. */
export interface Violation {
  rule: string;
  section: string;
  message: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A URL as the specifications mean it: parses, with a scheme (`urn:`, `did:` and `https:` all do). */
export function isUrl(value: unknown): value is string {
  if(typeof value !== 'string' || value.length === 0) {
    return false;
  }
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}

function values(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function typesOf(value: unknown): unknown[] {
  return isObject(value) ? values(value.type) : [];
}

/** Messages for a property whose values must be objects that have a `type` (and maybe an id). */
function typedEntries(document: Json, property: string, {requireId = false, idMustBeUrl = true} = {}):
  string[] {
  if(!(property in document)) {
    return [];
  }
  const entries = values(document[property]);
  if(entries.length === 0) {
    return [`"${property}" must hold at least one entry.`];
  }
  return entries.flatMap((entry, index) => {
    const where = `"${property}"${entries.length > 1 ? ` entry ${index + 1}` : ''}`;
    if(!isObject(entry)) {
      return [`${where} must be an object.`];
    }
    const problems: string[] = [];
    if(typesOf(entry).length === 0 || !typesOf(entry).every(type => typeof type === 'string')) {
      problems.push(`${where} must have a "type".`);
    }
    if(requireId && entry.id === undefined) {
      problems.push(`${where} must have an "id".`);
    }
    if(entry.id !== undefined && idMustBeUrl && !isUrl(entry.id)) {
      problems.push(`${where} has an "id" that is not a URL.`);
    }
    return problems;
  });
}

function isLanguageValue(value: unknown): boolean {
  if(typeof value === 'string') {
    return true;
  }
  return isObject(value) && typeof value['@value'] === 'string' &&
    Object.keys(value).every(key => ['@value', '@language', '@direction'].includes(key));
}

function textProperty(object: Json, property: string, where: string): string[] {
  if(!(property in object)) {
    return [];
  }
  const entries = values(object[property]);
  return entries.length > 0 && entries.every(isLanguageValue) ? [] :
    [`${where}"${property}" must be a string or a language value object.`];
}

function dateProblems(document: Json, property: string, {required = false} = {}): string[] {
  const value = document[property];
  if(value === undefined) {
    return required ? [`"${property}" is required.`] : [];
  }
  return typeof value === 'string' && DATE_TIME.test(value) ? [] :
    [`"${property}" must be a date and time such as 2024-05-01T12:00:00Z.`];
}

/** Parses an XML Schema dateTime; a value without offset is read as UTC (VC DM 2.0 §5.8). */
export function parseDateTime(value: unknown): Date | undefined {
  if(typeof value !== 'string' || !DATE_TIME.test(value)) {
    return undefined;
  }
  const hasOffset = /(Z|[+-]\d\d:\d\d)$/.test(value);
  const date = new Date(hasOffset ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function contextRules(kind: DocumentKind, label: string): DataModelRule[] {
  return [{
    id: `${kind}-context`, kind, versions: [1, 2], section: 'VC DM 2.0 §4.3 Contexts; VC DM 1.1 §4.1 Contexts',
    check: ({document}) => {
      const contexts = document['@context'];
      if(contexts === undefined) {
        return [`${label} must have an "@context".`];
      }
      if(!Array.isArray(contexts)) {
        return ['"@context" must be an ordered list whose first item is the credentials context URL.'];
      }
      const problems = contexts[0] === V2_CONTEXT || contexts[0] === V1_CONTEXT ? [] :
        [`The first "@context" must be ${V2_CONTEXT} (or ${V1_CONTEXT} for VC DM 1.1).`];
      if(!contexts.slice(1).every(context => isUrl(context) || isObject(context))) {
        problems.push('Every further "@context" item must be a URL or a context object.');
      }
      return problems;
    }
  }, {
    id: `${kind}-id`, kind, versions: [1, 2], section: 'VC DM 2.0 §4.4 Identifiers; VC DM 1.1 §4.2 Identifiers',
    check: ({document}) => document.id === undefined || isUrl(document.id) ? [] :
      ['"id" must be a single URL.']
  }];
}

function typeRule(kind: DocumentKind, required: string, sections: string): DataModelRule {
  return {
    id: `${kind}-type`, kind, versions: [1, 2], section: sections,
    check: ({document}) => {
      const types = values(document.type);
      if(types.length === 0) {
        return ['"type" is required.'];
      }
      if(!types.every(type => typeof type === 'string' && type.length > 0)) {
        return ['Every "type" must be a term or a URL (a string).'];
      }
      return types.includes(required) ? [] : [`"type" must include ${required}.`];
    }
  };
}

const CREDENTIAL_RULES: DataModelRule[] = [
  ...contextRules('credential', 'A verifiable credential'),
  typeRule('credential', 'VerifiableCredential', 'VC DM 2.0 §4.5 Types; VC DM 1.1 §4.3 Types'),
  {
    id: 'credential-names', kind: 'credential', versions: [2], section: 'VC DM 2.0 §4.6 Names and Descriptions; §11.1',
    check: ({document}) => [
      ...textProperty(document, 'name', ''), ...textProperty(document, 'description', ''),
      ...isObject(document.issuer) ? [...textProperty(document.issuer, 'name', 'issuer '),
        ...textProperty(document.issuer, 'description', 'issuer ')] : []
    ]
  }, {
    id: 'credential-issuer', kind: 'credential', versions: [1, 2], section: 'VC DM 2.0 §4.7 Issuer; VC DM 1.1 §4.5 Issuer',
    check: ({document}) => {
      const {issuer} = document;
      if(issuer === undefined) {
        return ['"issuer" is required.'];
      }
      const id = isObject(issuer) ? issuer.id : issuer;
      return isUrl(id) ? [] : ['"issuer" must be a URL or an object whose "id" is a URL.'];
    }
  }, {
    id: 'credential-subject', kind: 'credential', versions: [1, 2],
    section: 'VC DM 2.0 §4.8 Credential Subject; VC DM 1.1 §4.4 Credential Subject',
    check: ({document}) => {
      const subjects = values(document.credentialSubject);
      if(subjects.length === 0) {
        return ['"credentialSubject" is required.'];
      }
      return subjects.flatMap(subject => !isObject(subject) ?
        ['"credentialSubject" must be an object (or a list of objects).'] :
        Object.keys(subject).length === 0 ? ['Each "credentialSubject" must make at least one claim.'] :
          subject.id !== undefined && !isUrl(subject.id) ? ['"credentialSubject.id" must be a URL.'] : []);
    }
  }, {
    id: 'credential-validity-period', kind: 'credential', versions: [2], section: 'VC DM 2.0 §4.9 Validity Period',
    check: ({document}) => {
      const problems = [...dateProblems(document, 'validFrom'), ...dateProblems(document, 'validUntil')];
      const from = parseDateTime(document.validFrom);
      const until = parseDateTime(document.validUntil);
      if(from && until && from > until) {
        problems.push('"validFrom" must not be later than "validUntil".');
      }
      return problems;
    }
  }, {
    id: 'credential-issuance-date', kind: 'credential', versions: [1], section: 'VC DM 1.1 §4.6 Issuance Date; §4.8 Expiration',
    check: ({document}) => [
      ...dateProblems(document, 'issuanceDate', {required: true}), ...dateProblems(document, 'expirationDate')
    ]
  }, {
    id: 'credential-status', kind: 'credential', versions: [2], section: 'VC DM 2.0 §4.10 Status',
    check: ({document}) => typedEntries(document, 'credentialStatus')
  }, {
    id: 'credential-status-v1', kind: 'credential', versions: [1], section: 'VC DM 1.1 §4.9 Status',
    check: ({document}) => typedEntries(document, 'credentialStatus', {requireId: true})
  }, {
    id: 'credential-schema', kind: 'credential', versions: [1, 2], section: 'VC DM 2.0 §4.11 Data Schemas; VC DM 1.1 §5.4 Data Schemas',
    check: ({document}) => typedEntries(document, 'credentialSchema', {requireId: true})
  }, {
    id: 'credential-refresh-service', kind: 'credential', versions: [2], section: 'VC DM 2.0 §5.4 Refreshing',
    check: ({document}) => typedEntries(document, 'refreshService')
  }, {
    id: 'credential-refresh-service-v1', kind: 'credential', versions: [1], section: 'VC DM 1.1 §5.6 Refreshing',
    check: ({document}) => typedEntries(document, 'refreshService', {requireId: true})
  }, {
    id: 'credential-terms-of-use', kind: 'credential', versions: [1, 2], section: 'VC DM 2.0 §5.5 Terms of Use; VC DM 1.1 §5.7 Terms of Use',
    check: ({document}) => typedEntries(document, 'termsOfUse')
  }, {
    id: 'credential-evidence', kind: 'credential', versions: [1, 2], section: 'VC DM 2.0 §5.6 Evidence; VC DM 1.1 §5.8 Evidence',
    check: ({document}) => typedEntries(document, 'evidence')
  }, {
    id: 'credential-reserved-typed', kind: 'credential', versions: [2], section: 'VC DM 2.0 §4.5 Types (objects that MUST have a type)',
    check: ({document}) => [...typedEntries(document, 'confidenceMethod'), ...typedEntries(document, 'renderMethod')]
  }, {
    id: 'credential-related-resource', kind: 'credential', versions: [2], section: 'VC DM 2.0 §5.3 Integrity of Related Resources',
    check: ({document}) => relatedResourceProblems(document)
  }, {
    id: 'credential-proof', kind: 'credential', versions: [1, 2],
    section: 'VC DM 2.0 §4.12 Securing Mechanisms; VC DM 1.1 §4.7 Proofs (Signatures); VC Data Integrity §2.1 Proofs',
    check: ({document, embeddedProof}) => embeddedProof ? proofProblems(document) : []
  }
];

const PRESENTATION_RULES: DataModelRule[] = [
  ...contextRules('presentation', 'A verifiable presentation'),
  typeRule('presentation', 'VerifiablePresentation', 'VC DM 2.0 §4.13 Verifiable Presentations; VC DM 1.1 §4.10 Presentations'),
  {
    id: 'presentation-holder', kind: 'presentation', versions: [1, 2], section: 'VC DM 2.0 §4.13 Verifiable Presentations',
    check: ({document}) => {
      const {holder} = document;
      const id = isObject(holder) ? holder.id : holder;
      return holder === undefined || isUrl(id) ? [] : ['"holder" must be a URL or an object whose "id" is a URL.'];
    }
  }, {
    id: 'presentation-credentials', kind: 'presentation', versions: [1, 2],
    section: 'VC DM 2.0 §4.13 Verifiable Presentations; §4.13.1 Enveloped Verifiable Credentials',
    check: ({document}) => values(document.verifiableCredential).flatMap((entry, index) => {
      const where = `"verifiableCredential" entry ${index + 1}`;
      if(!isObject(entry)) {
        return [`${where} must be a credential object (not a string, number or URL).`];
      }
      return typesOf(entry).includes('EnvelopedVerifiableCredential') ? envelopeProblems(entry, where) : [];
    })
  }, {
    id: 'presentation-terms-of-use', kind: 'presentation', versions: [1, 2], section: 'VC DM 2.0 §5.5 Terms of Use',
    check: ({document}) => typedEntries(document, 'termsOfUse')
  }, {
    id: 'presentation-proof', kind: 'presentation', versions: [1, 2],
    section: 'VC DM 2.0 §4.12 Securing Mechanisms; VC Data Integrity §2.1 Proofs',
    check: ({document, embeddedProof}) => embeddedProof ? proofProblems(document) : []
  }
];

/** Every rule, for documentation and tests. */
export const DATA_MODEL_RULES: readonly DataModelRule[] = [...CREDENTIAL_RULES, ...PRESENTATION_RULES];

function envelopeProblems(entry: Json, where: string): string[] {
  const problems: string[] = [];
  if(entry['@context'] === undefined) {
    problems.push(`${where} (enveloped) must have an "@context".`);
  }
  if(typeof entry.id !== 'string' || !entry.id.startsWith('data:')) {
    problems.push(`${where} (enveloped) must have a data: URL as "id".`);
  }
  return problems;
}

/** Data Integrity §2.1: what every embedded proof must carry to be checked at all. */
function proofProblems(document: Json): string[] {
  const proofs = values(document.proof);
  if(proofs.length === 0) {
    return ['The document has no "proof": it is not secured.'];
  }
  return proofs.flatMap(proof => {
    if(!isObject(proof) || typeof proof.type !== 'string') {
      return ['Every "proof" must be an object with a "type".'];
    }
    const method = isObject(proof.verificationMethod) ? proof.verificationMethod.id :
      proof.verificationMethod;
    return [
      ...typeof proof.proofPurpose === 'string' ? [] : ['The "proof" must have a "proofPurpose".'],
      ...isUrl(method) ? [] : ['The "proof" must have a "verificationMethod" URL.'],
      ...typeof proof.proofValue === 'string' ? [] : ['The "proof" must have a "proofValue".'],
      ...proof.type !== 'DataIntegrityProof' || typeof proof.cryptosuite === 'string' ? [] :
        ['A DataIntegrityProof must name its "cryptosuite".']
    ];
  });
}

const SRI = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/;
/** Multihash code → digest length: sha2-256/512, sha2-384, sha3-256/384/512. */
const MULTIHASH_LENGTHS: Record<number, number> = {
  0x12: 32, 0x13: 64, 0x20: 48, 0x16: 32, 0x15: 48, 0x14: 64
};

/** Decodes a base64url (`u`) or base58btc (`z`) multibase multihash; undefined when malformed. */
function decodeMultihash(value: string): {code: number; digest: Buffer} | undefined {
  let bytes: Buffer | undefined;
  if(value.startsWith('u') && /^u[A-Za-z0-9_-]+$/.test(value)) {
    bytes = Buffer.from(value.slice(1), 'base64url');
  } else if(value.startsWith('z')) {
    bytes = decodeBase58(value.slice(1));
  }
  if(!bytes || bytes.length < 2) {
    return undefined;
  }
  const [code, length] = [bytes[0]!, bytes[1]!];
  return MULTIHASH_LENGTHS[code] === length && bytes.length === length + 2 ?
    {code, digest: bytes.subarray(2)} : undefined;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function decodeBase58(text: string): Buffer | undefined {
  let value = 0n;
  for(const char of text) {
    const digit = BASE58.indexOf(char);
    if(digit < 0) {
      return undefined;
    }
    value = value * 58n + BigInt(digit);
  }
  const hex = value === 0n ? '' : value.toString(16);
  const body = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  const zeros = /^1*/.exec(text)![0].length;
  return Buffer.concat([Buffer.alloc(zeros), body]);
}

function relatedResourceProblems(document: Json): string[] {
  if(!('relatedResource' in document)) {
    return [];
  }
  const entries = values(document.relatedResource);
  const seen = new Set<unknown>();
  return entries.flatMap((entry, index) => {
    const where = `"relatedResource" entry ${index + 1}`;
    if(!isObject(entry)) {
      return [`${where} must be an object.`];
    }
    const problems: string[] = [];
    if(!isUrl(entry.id)) {
      problems.push(`${where} must have an "id" that is a URL.`);
    } else if(seen.has(entry.id)) {
      problems.push(`${where} repeats the id ${entry.id}; ids must be unique.`);
    }
    seen.add(entry.id);
    if(entry.digestSRI === undefined && entry.digestMultibase === undefined) {
      problems.push(`${where} must have "digestSRI" or "digestMultibase".`);
    }
    if(entry.digestSRI !== undefined && !(typeof entry.digestSRI === 'string' && SRI.test(entry.digestSRI))) {
      problems.push(`${where} has a malformed "digestSRI".`);
    }
    if(entry.digestMultibase !== undefined &&
      !(typeof entry.digestMultibase === 'string' && decodeMultihash(entry.digestMultibase))) {
      problems.push(`${where} has a malformed "digestMultibase".`);
    }
    if(problems.length === 0 && entry.id === V2_CONTEXT && !baseContextDigestMatches(entry)) {
      problems.push(`${where} gives a digest of the base context that does not match the published one.`);
    }
    return problems;
  });
}

/** Compares a SHA2-256 digest of the base context with the value the specification publishes. */
function baseContextDigestMatches(entry: Json): boolean {
  const expected = Buffer.from(V2_CONTEXT_SHA256_HEX, 'hex');
  if(typeof entry.digestSRI === 'string' && entry.digestSRI.startsWith('sha256-') &&
    !Buffer.from(entry.digestSRI.slice(7), 'base64').equals(expected)) {
    return false;
  }
  const multihash = typeof entry.digestMultibase === 'string' ? decodeMultihash(entry.digestMultibase) :
    undefined;
  return !(multihash && multihash.code === 0x12 && !multihash.digest.equals(expected));
}

/** The data model version a document declares by its first context (undefined: neither). */
export function dataModelVersion(document: Record<string, unknown>): DataModelVersion | undefined {
  const first = values(document['@context'])[0];
  return first === V2_CONTEXT ? 2 : first === V1_CONTEXT ? 1 : undefined;
}

/**
 * Checks a credential or presentation against the data model rules of its version.
 *
 * @param options.document - the credential or presentation (a JSON object).
 * @param options.kind - which rules apply.
 * @param options.embeddedProof - true for Data Integrity (a `proof` is required), false when the
 *   document came out of a JOSE envelope.
 * @returns the version and every violation (empty when conforming).
 */
export function checkDataModel({document, kind, embeddedProof}: {
  document: Record<string, unknown>; kind: DocumentKind; embeddedProof: boolean;
}): {version: DataModelVersion | undefined; violations: Violation[]} {
  const version = dataModelVersion(document);
  const applicable = DATA_MODEL_RULES.filter(rule => rule.kind === kind &&
    rule.versions.includes(version ?? 2));
  const violations = applicable.flatMap(rule => rule.check({document, version, embeddedProof})
    .map(message => ({rule: rule.id, section: rule.section, message})));
  return {version, violations};
}
