/**
 * The `schema` check: the credential against its profile's official schema, through the injected
 * validator (Open Badges 3.0 AchievementCredential schema, Europass EDC schema). A credential of
 * no known profile is not failed: the check is skipped and says so.
 */
import {fail, pass, skip} from './report.js';
import type {Check, Profile, ValidateSchema} from './types.js';

type Json = Record<string, unknown>;

const PROFILE_TYPES: [Profile, string[]][] = [
  ['edc', ['EuropeanDigitalCredential']],
  ['ob3', ['OpenBadgeCredential', 'AchievementCredential']]
];

/** The carecred profile a credential declares by its types; undefined for any other credential. */
export function detectProfile(credential: Json): Profile | undefined {
  const types = (Array.isArray(credential.type) ? credential.type : [credential.type]).map(String);
  return PROFILE_TYPES.find(([, names]) => names.some(name => types.includes(name)))?.[0];
}

const PROFILE_NAMES: Record<Profile, string> = {ob3: 'Open Badges 3.0', edc: 'Europass EDC'};

/**
 * Validates a credential against its profile's schema.
 *
 * @returns the `schema` check; a validator failure is a failed check, never an exception.
 */
export async function checkSchema({credential, validateSchema}: {
  credential: Json; validateSchema: ValidateSchema;
}): Promise<Check> {
  const profile = detectProfile(credential);
  if(!profile) {
    return skip('schema', 'schema-not-applicable', 'Not checked: the credential is of no profile whose ' +
      'schema carecred knows (Open Badges 3.0, Europass EDC).');
  }
  let result;
  try {
    result = await validateSchema({credential, profile});
  } catch {
    return fail('schema', 'schema-unavailable', 'The schema could not be checked.');
  }
  if(result.skipped) {
    return skip('schema', 'schema-skipped', `Not checked: ${result.skipped}.`);
  }
  return result.valid ? pass('schema', 'schema-valid', `The credential matches the ${PROFILE_NAMES[profile]} schema.`) :
    fail('schema', 'schema-invalid', `The credential does not match the ${PROFILE_NAMES[profile]} schema.`,
      (result.errors ?? []).slice(0, 20).map(error => error.path ? `${error.path}: ${error.message}` : error.message));
}
