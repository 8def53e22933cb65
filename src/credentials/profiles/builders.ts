/** The builder of each profile, picked by profile name (a strategy map, not an if-chain). */
import {buildEdcCredential} from './edc.js';
import {buildOb3Credential} from './ob3.js';
import type {CredentialInput, CredentialProfile, JsonObject} from './types.js';

/** Builds one profile's unsigned credential. */
export type ProfileBuilder = (input: CredentialInput) => Promise<JsonObject>;

/** `ob3` → Open Badges 3.0, `edc` → Europass EDC. */
export const PROFILE_BUILDERS: Readonly<Record<CredentialProfile, ProfileBuilder>> = {
  ob3: async input => buildOb3Credential(input),
  edc: buildEdcCredential
};
