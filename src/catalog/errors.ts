/** Typed errors of the catalogue. */
import {Conflict} from '../platform/errors.js';

/** 409: the unit is not in a state that allows this transition (e.g. publishing an archived unit). */
export class LifecycleConflict extends Conflict {
  constructor(detail: string) {
    super(detail, 'lifecycle-conflict');
  }
}

/** 409: credentials cannot be issued for this unit version (a draft, or an archived unit). */
export class UnitNotIssuable extends Conflict {
  constructor(detail: string) {
    super(detail, 'unit-not-issuable');
  }
}
