/**
 * One import row → the input of `recordAchievement`. A row is either in the flat shape of the
 * CSV columns (`import-row` in the contract) or, in a JSON upload, in the shape of
 * `AchievementInput`; the query's defaults fill what the row leaves out. Rows are checked with
 * the contract's own schemas (the one validation path); errors point into the row (`/email`).
 */
import {Ajv2020, type ValidateFunction} from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

import type {AchievementInput} from '../achievements/index.js';
import type {components} from '../generated/openapi.js';
import {ValidationFailed} from '../platform/errors.js';
import {loadContract, toFieldErrors} from '../platform/http/contract.js';
import type {ImportDefaults, ImportProfile} from './model.js';

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** A row in the flat (CSV) shape. */
export type ImportRow = components['schemas']['import-row'];

const ROW_SCHEMAS = 'openapi#/paths/~1v1~1imports/post/requestBody/content/application~1json/schema/items/anyOf';
let validators: {flat: ValidateFunction; achievement: ValidateFunction} | undefined;

/** The row validators, compiled once per process from the bundled contract. */
function rowValidators(): NonNullable<typeof validators> {
  if(!validators) {
    const ajv = new Ajv2020({strict: false, allErrors: true, discriminator: false});
    addFormats(ajv);
    for(const keyword of ['example', 'discriminator', 'xml', 'externalDocs']) {
      ajv.addKeyword({keyword});
    }
    ajv.addSchema(loadContract().document, 'openapi');
    validators = {flat: ajv.compile({$ref: `${ROW_SCHEMAS}/0`}),
      achievement: ajv.compile({$ref: `${ROW_SCHEMAS}/1`})};
  }
  return validators;
}

function check(validate: ValidateFunction, row: unknown): void {
  if(!validate(row)) {
    throw new ValidationFailed(toFieldErrors(validate.errors), 'The row is not valid.');
  }
}

/** CSV cells are text: `unitVersion` "2" is the number 2, `issue` "ob3|edc" the list. */
function normaliseCells(row: Record<string, unknown>): Record<string, unknown> {
  const normalised = {...row};
  if(typeof row.unitVersion === 'string' && /^[0-9]{1,9}$/.test(row.unitVersion)) {
    normalised.unitVersion = Number(row.unitVersion);
  }
  if(typeof row.issue === 'string') {
    normalised.issue = row.issue.split(/[|,;\s]+/).filter(Boolean);
  }
  return normalised;
}

/** Fills what a row leaves out from the defaults; the default version goes with the default unit. */
function withDefaults<T extends Record<string, unknown>>(row: T, unitKey: 'unit' | 'unitId',
  defaults: ImportDefaults): T {
  const unit = row[unitKey] ?? defaults.unitId;
  return {
    ...row,
    ...(unit === undefined ? {} : {[unitKey]: unit}),
    ...(row.unitVersion === undefined && defaults.unitVersion !== undefined && unit === defaults.unitId ?
      {unitVersion: defaults.unitVersion} : {}),
    ...(row.issue === undefined && defaults.issue ? {issue: defaults.issue} : {}),
    ...(row.language === undefined && defaults.language ? {language: defaults.language} : {})
  };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

function fromFlatRow(row: ImportRow): AchievementInput {
  return dropUndefined({
    learner: dropUndefined({givenName: row.givenName, familyName: row.familyName, email: row.email,
      birthDate: row.birthDate, externalId: row.externalId, did: row.did}),
    unitId: row.unit, unitVersion: row.unitVersion, achievedAt: row.achievedAt, grade: row.grade,
    evidenceUrl: row.evidenceUrl, assessor: row.assessor, language: row.language,
    issue: row.issue as ImportProfile[] | undefined
  });
}

/**
 * Turns a stored row into the input of `recordAchievement`.
 *
 * @param options.raw - the row as stored (JSON text).
 * @param options.defaults - the job's defaults.
 * @returns the achievement input, and whether the row was in the flat (CSV) shape.
 * @throws {ValidationFailed} with pointers into the row when it is not a valid row.
 */
export function toAchievementInput({raw, defaults}: {raw: string; defaults: ImportDefaults}):
  {input: AchievementInput; flat: boolean} {
  const value: unknown = JSON.parse(raw);
  if(!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationFailed([{pointer: '/', message: 'must be an object'}], 'The row is not valid.');
  }
  const row = value as Record<string, unknown>;
  if('learner' in row || 'learnerId' in row || 'unitId' in row) {
    const input = withDefaults(row, 'unitId', defaults);
    check(rowValidators().achievement, input);
    return {input: input as unknown as AchievementInput, flat: false};
  }
  const flat = withDefaults(normaliseCells(row), 'unit', defaults);
  check(rowValidators().flat, flat);
  return {input: fromFlatRow(flat as unknown as ImportRow), flat: true};
}

/**
 * Reads the defaults from the query of `POST /v1/imports`.
 *
 * @returns the defaults (only the members given).
 */
export function importDefaultsOf(query: {issue?: string; unitId?: string; unitVersion?: number;
  language?: string}): ImportDefaults {
  return dropUndefined({
    issue: query.issue === undefined ? undefined :
      [...new Set(query.issue.split(/[,|]/))] as ImportProfile[],
    unitId: query.unitId, unitVersion: query.unitVersion, language: query.language
  });
}
