/**
 * How each profile carries the credential's status list positions.
 *
 * carecred allocates two W3C Bitstring Status List positions per credential (revocation and
 * suspension). Neither official profile schema accepts two `BitstringStatusListEntry` entries:
 *
 * - Open Badges 3.0: the 1EdTech schema types `credentialStatus` as ONE object (OB 3.0 gives it
 *   cardinality 0..1), though any status type is allowed. The OB3 credential therefore carries
 *   the revocation entry only, as a standard `BitstringStatusListEntry` any BSL verifier checks.
 *   A suspension cannot be expressed in a schema-valid OB3 credential (a 2-bit `message` entry
 *   could, but no verifier would then treat "revoked" as a failure).
 * - Europass EDC: the ELM schema's `CredentialStatusType` allows only `id` and `type` ∈
 *   {`CredentialStatus`, `TrustedCredentialStatus2021`} (no other properties). The EDC credential
 *   therefore carries both positions as `{"id": "<statusListCredential>#<index>", "type":
 *   "CredentialStatus"}`: the id holds the list URL and the index (`parseStatusEntryId`), and the
 *   list credential found there states its own `statusPurpose`.
 *
 * Both are deliberate, to keep every issued credential valid against its official schema; the
 * status entry shape of a profile is decided here and nowhere else.
 */
import type {CredentialStatusPositions, StatusListPosition} from './types.js';

/** A W3C `BitstringStatusListEntry`. */
export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation' | 'suspension';
  /** A base-10 integer as a string, as the spec requires. */
  statusListIndex: string;
  statusListCredential: string;
}

/** The ELM-schema-valid status entry of the EDC profile. */
export interface ElmStatusEntry {
  id: string;
  type: 'CredentialStatus';
}

/**
 * The id of a status entry: the list URL with the index as fragment (`<list>#<index>`).
 *
 * @returns the entry id.
 * @throws TypeError if the index is not a non-negative integer.
 */
export function statusEntryId({statusListCredential, statusListIndex}: StatusListPosition): string {
  if(!Number.isSafeInteger(statusListIndex) || statusListIndex < 0) {
    throw new TypeError(`"statusListIndex" must be a non-negative integer, got ${statusListIndex}`);
  }
  return `${statusListCredential}#${statusListIndex}`;
}

/**
 * Reads the list URL and index back from a status entry id made by `statusEntryId`.
 *
 * @returns the position, or undefined if the id has no numeric fragment.
 */
export function parseStatusEntryId(id: string): StatusListPosition | undefined {
  const match = /^([^#]+)#(0|[1-9][0-9]*)$/.exec(id);
  if(!match) {
    return undefined;
  }
  const statusListIndex = Number(match[2]);
  return Number.isSafeInteger(statusListIndex) ?
    {statusListCredential: match[1]!, statusListIndex} : undefined;
}

/**
 * One `BitstringStatusListEntry`.
 *
 * @returns the entry.
 */
export function bitstringStatusListEntry({position, purpose}: {
  position: StatusListPosition; purpose: 'revocation' | 'suspension';
}): BitstringStatusListEntry {
  return {
    id: statusEntryId(position),
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(position.statusListIndex),
    statusListCredential: position.statusListCredential
  };
}

/**
 * The `credentialStatus` of an OB3 credential: the revocation entry (see the module note).
 *
 * @returns one entry object.
 */
export function ob3CredentialStatus(status: CredentialStatusPositions): BitstringStatusListEntry {
  return bitstringStatusListEntry({position: status.revocation, purpose: 'revocation'});
}

/**
 * The `credentialStatus` of an EDC credential: revocation then suspension, in the shape the ELM
 * schema accepts (see the module note).
 *
 * @returns two entries.
 */
export function edcCredentialStatus(status: CredentialStatusPositions): ElmStatusEntry[] {
  return [status.revocation, status.suspension].map(position =>
    ({id: statusEntryId(position), type: 'CredentialStatus' as const}));
}
