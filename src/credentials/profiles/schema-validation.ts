/**
 * Validation of credentials against the official schema of their profile, and carecred's Annex I
 * completeness check layered on top.
 *
 * The official schemas are byte-identical copies of `shared/standards/` in `schemas/official/`
 * (the service needs them at run time, for verification too). Each needs its own ajv class:
 * the EDC schema and the EBSI attestation schema it `$ref`s are draft 2020-12, the 1EdTech OB3
 * schema is draft 2019-09. `strict: false` because the OB3 schema has a 2-tuple `items` that
 * strict mode rejects; formats are checked (ajv-formats: uri, date-time, duration...). The EDC
 * schema `$ref`s `./vcdm2.0-attestation-schema/schema.json`, resolved against its own `$id`, so
 * the attestation schema is registered under exactly that resolved id.
 *
 * Validators are compiled on first use and kept (compiling the EDC schema takes ~100 ms).
 */
import {readFileSync} from 'node:fs';

import {Ajv2019} from 'ajv/dist/2019.js';
import {Ajv2020, type ErrorObject, type ValidateFunction} from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

import {projectPath} from '../../platform/paths.js';
import type {CredentialProfile} from './types.js';

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The official schema files, in `schemas/official/`. */
export const OFFICIAL_SCHEMA_FILES = {
  edc: 'europass-edc-schema.json',
  attestation: 'ebsi-attestation-schema.json',
  ob3: 'ob3-achievementcredential-schema.json'
} as const;

/** One reason a credential does not match a schema. */
export interface SchemaError {
  /** JSON pointer into the credential. */
  pointer: string;
  message: string;
}

/** The outcome of a schema check. */
export interface SchemaValidationResult {
  valid: boolean;
  errors: SchemaError[];
}

const AJV_OPTIONS = {strict: false, allErrors: true} as const;

function readSchema(...segments: string[]): {$id?: string} & Record<string, unknown> {
  return JSON.parse(readFileSync(projectPath(...segments), 'utf8')) as {$id?: string};
}

function compileEdc(): ValidateFunction {
  const ajv = new Ajv2020(AJV_OPTIONS);
  addFormats(ajv);
  const edc = readSchema('schemas', 'official', OFFICIAL_SCHEMA_FILES.edc);
  const attestation = readSchema('schemas', 'official', OFFICIAL_SCHEMA_FILES.attestation);
  ajv.addSchema(attestation, new URL('./vcdm2.0-attestation-schema/schema.json', edc.$id).href);
  return ajv.compile(edc);
}

function compileOb3(): ValidateFunction {
  const ajv = new Ajv2019(AJV_OPTIONS);
  addFormats(ajv);
  return ajv.compile(readSchema('schemas', 'official', OFFICIAL_SCHEMA_FILES.ob3));
}

function compileAnnexI(profile: CredentialProfile): ValidateFunction {
  const ajv = new Ajv2020(AJV_OPTIONS);
  addFormats(ajv);
  return ajv.compile(readSchema('schemas', 'credentials', `annex-i-${profile}.json`));
}

const COMPILERS = {
  official: {ob3: compileOb3, edc: compileEdc},
  annexI: {ob3: () => compileAnnexI('ob3'), edc: () => compileAnnexI('edc')}
} satisfies Record<string, Record<CredentialProfile, () => ValidateFunction>>;

const compiled = new Map<string, ValidateFunction>();

function validatorFor(kind: keyof typeof COMPILERS, profile: CredentialProfile): ValidateFunction {
  const key = `${kind}:${profile}`;
  let validate = compiled.get(key);
  if(!validate) {
    validate = COMPILERS[kind][profile]();
    compiled.set(key, validate);
  }
  return validate;
}

function toSchemaErrors(errors: ErrorObject[] | null | undefined): SchemaError[] {
  return (errors ?? []).map(error => ({
    pointer: error.instancePath || '/',
    message: `${error.message ?? 'is invalid'}${error.keyword === 'additionalProperties' ?
      ` (${String(error.params.additionalProperty)})` : ''}`
  }));
}

function run(kind: keyof typeof COMPILERS, profile: CredentialProfile, credential: unknown):
  SchemaValidationResult {
  if(!(profile in COMPILERS[kind])) {
    throw new TypeError(`"profile" must be ob3 or edc, got ${String(profile)}`);
  }
  const validate = validatorFor(kind, profile);
  const valid = validate(credential);
  return {valid, errors: valid ? [] : toSchemaErrors(validate.errors)};
}

/**
 * Validates a credential against the official JSON Schema of its profile (1EdTech OB 3.0
 * AchievementCredential, or Europass EDC with the EBSI attestation schema).
 *
 * @param profile - `ob3` or `edc`.
 * @param credential - the credential (unsigned, or with its Data Integrity proof).
 * @returns `valid` and, when invalid, every error with a JSON pointer.
 * @throws TypeError for an unknown profile.
 */
export function validateAgainstProfileSchema(profile: CredentialProfile, credential: unknown):
  SchemaValidationResult {
  return run('official', profile, credential);
}

/**
 * Checks that a credential carries every mandatory element of Annex I of the EU Council
 * Recommendation on micro-credentials where carecred puts it (the official schemas do not
 * require the learning fields). Meant for carecred's own credentials.
 *
 * @param profile - `ob3` or `edc`.
 * @param credential - the credential.
 * @returns `valid` and the missing elements.
 * @throws TypeError for an unknown profile.
 */
export function checkAnnexICompleteness(profile: CredentialProfile, credential: unknown):
  SchemaValidationResult {
  return run('annexI', profile, credential);
}
