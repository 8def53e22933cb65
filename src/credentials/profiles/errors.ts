/** Typed errors of the profile builders. */
import {AppError} from '../../platform/errors.js';
import type {CredentialProfile} from './types.js';

/** 422: the unit cannot be expressed in the requested profile (nothing was issued). */
export class ProfileNotApplicable extends AppError {
  constructor(readonly profile: CredentialProfile, detail: string) {
    super('profile-not-applicable', 422, 'Profile not applicable', {detail, extensions: {profile}});
  }
}
