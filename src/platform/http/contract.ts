/**
 * The OpenAPI contract at run time: the bundled document (`src/generated/openapi.json`, made by
 * `npm run gen:api` from `openapi/openapi.yaml`), an index of its operations, and the ajv
 * validators compiled from it. This is the one validation path: requests are checked here
 * before any handler runs, and the contract tests check responses with the same validators.
 */
import {readFileSync} from 'node:fs';

import {Ajv2020, type ErrorObject, type ValidateFunction} from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

import type {FieldError} from '../errors.js';
import {projectPath} from '../paths.js';

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
export type HttpMethod = typeof HTTP_METHODS[number];

/** A parameter as written in the contract. */
export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: object;
}

/** The part of an OpenAPI operation object that the router uses. */
export interface OperationObject {
  operationId: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: ParameterObject[];
  requestBody?: {required?: boolean; content: Record<string, {schema?: object}>};
  responses: Record<string, {content?: Record<string, {schema?: object}>}>;
  'x-body-limit'?: number;
  'x-stream-body'?: boolean;
  'x-allow-unknown-query'?: boolean;
  'x-rate-limit'?: 'public' | 'none';
}

/** One operation of the contract, located. */
export interface Operation {
  id: string;
  method: HttpMethod;
  /** Path template as in the contract: `/v1/units/{id}`. */
  path: string;
  /** `#/paths/...` pointer of the operation. */
  pointer: string;
  object: OperationObject;
  parameters: ParameterObject[];
  security: Record<string, string[]>[];
}

/** The loaded contract. */
export interface Contract {
  document: Record<string, unknown> & {paths: Record<string, Record<string, unknown>>};
  operations: Map<string, Operation>;
  /** Validator for a request body of an operation and media type (compiled once). */
  bodyValidator(operationId: string, mediaType: string): ValidateFunction | undefined;
  /** Validator for the path/query/header parameters, which coerces strings to their types. */
  parameterValidator(operationId: string): ValidateFunction;
  /** Validator for a response body; undefined when the contract has no schema for it. */
  responseValidator(operationId: string, status: number, mediaType: string):
    ValidateFunction | undefined;
}

const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function createAjv(coerceTypes: boolean | 'array'): Ajv2020 {
  // multipleOfPrecision: `multipleOf: 0.01` must accept 2.3 (2.3 / 0.01 is 229.99999999999997 in
  // binary floating point); a quotient within 1e-9 of an integer counts as one.
  const ajv = new Ajv2020({
    strict: false, allErrors: true, coerceTypes, useDefaults: true, discriminator: false,
    multipleOfPrecision: 9
  });
  addFormats(ajv);
  for(const keyword of OPENAPI_KEYWORDS) {
    ajv.addKeyword({keyword});
  }
  return ajv;
}

/** Follows a local `$ref` to a shared parameter (the bundler keeps them in components). */
function resolveParameter(document: Contract['document'], parameter: ParameterObject | {$ref: string}):
  ParameterObject {
  if(!('$ref' in parameter)) {
    return parameter;
  }
  const target = parameter.$ref.startsWith('#/') ? parameter.$ref.slice(2).split('/')
    .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document) :
    undefined;
  if(!target) {
    throw new Error(`contract: cannot resolve parameter ${parameter.$ref}`);
  }
  return resolveParameter(document, target as ParameterObject);
}

/** Lists the operations of a document, parameters of the path item merged into each. */
function indexOperations(document: Contract['document']): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  const globalSecurity = (document.security ?? []) as Record<string, string[]>[];
  const resolve = (parameters: unknown) =>
    ((parameters ?? []) as ParameterObject[]).map(parameter => resolveParameter(document, parameter));
  for(const [path, item] of Object.entries(document.paths)) {
    const shared = resolve(item.parameters);
    for(const method of HTTP_METHODS) {
      const object = item[method] as OperationObject | undefined;
      if(!object) {
        continue;
      }
      if(operations.has(object.operationId)) {
        throw new Error(`contract: duplicate operationId ${object.operationId}`);
      }
      const own = resolve(object.parameters);
      const parameters = [...shared.filter(p => !own.some(o => o.name === p.name && o.in === p.in)),
        ...own];
      operations.set(object.operationId, {
        id: object.operationId, method, path, object, parameters,
        pointer: `#/paths/${escapePointer(path)}/${method}`,
        security: object.security ?? globalSecurity
      });
    }
  }
  return operations;
}

/** Builds the object schema for an operation's parameters, grouped by location. */
function parameterSchema(operation: Operation): object {
  const groups: Record<string, {properties: Record<string, object>; required: string[]}> = {
    path: {properties: {}, required: []}, query: {properties: {}, required: []},
    header: {properties: {}, required: []}
  };
  for(const parameter of operation.parameters) {
    const group = groups[parameter.in];
    if(!group) {
      continue;
    }
    const name = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
    group.properties[name] = parameter.schema ?? {};
    if(parameter.required) {
      group.required.push(name);
    }
  }
  const strictQuery = !operation.object['x-allow-unknown-query'];
  return {
    type: 'object',
    properties: {
      path: {type: 'object', ...groups.path},
      query: {type: 'object', ...groups.query, ...(strictQuery ? {additionalProperties: false} : {})},
      header: {type: 'object', ...groups.header}
    }
  };
}

/**
 * Loads the contract.
 *
 * @param document - the bundled OpenAPI document; read from src/generated when omitted.
 * @returns the contract with lazily compiled validators.
 */
export function loadContract(document?: Contract['document']): Contract {
  const doc = document ?? JSON.parse(
    readFileSync(projectPath('src', 'generated', 'openapi.json'), 'utf8')) as Contract['document'];
  const operations = indexOperations(doc);
  const bodyAjv = createAjv(false);
  bodyAjv.addSchema(doc, 'openapi');
  const parameterAjv = createAjv('array');
  parameterAjv.addSchema(doc, 'openapi');
  const cache = new Map<string, ValidateFunction | undefined>();

  function operation(operationId: string): Operation {
    const found = operations.get(operationId);
    if(!found) {
      throw new Error(`contract: unknown operationId ${operationId}`);
    }
    return found;
  }
  function cached(key: string, make: () => ValidateFunction | undefined) {
    if(!cache.has(key)) {
      cache.set(key, make());
    }
    return cache.get(key);
  }
  return {
    document: doc,
    operations,
    bodyValidator(operationId, mediaType) {
      const op = operation(operationId);
      return cached(`body ${operationId} ${mediaType}`, () =>
        op.object.requestBody?.content[mediaType]?.schema ? bodyAjv.compile({
          $ref: `openapi${op.pointer}/requestBody/content/${escapePointer(mediaType)}/schema`
        }) : undefined);
    },
    parameterValidator(operationId) {
      const op = operation(operationId);
      return cached(`params ${operationId}`, () => parameterAjv.compile(
        JSON.parse(JSON.stringify(parameterSchema(op)).replaceAll('"$ref":"#/', '"$ref":"openapi#/'))
      ))!;
    },
    responseValidator(operationId, status, mediaType) {
      const op = operation(operationId);
      const key = op.object.responses[String(status)] ? String(status) : 'default';
      return cached(`response ${operationId} ${key} ${mediaType}`, () => {
        const content = op.object.responses[key]?.content;
        return content?.[mediaType]?.schema ? bodyAjv.compile({
          $ref: `openapi${op.pointer}/responses/${key}/content/${escapePointer(mediaType)}/schema`
        }) : undefined;
      });
    }
  };
}

/**
 * Turns ajv errors into field errors with JSON pointers into the request.
 *
 * @param errors - ajv errors of one validation.
 * @param prefix - pointer prefix, such as `/body`.
 * @returns one entry per failing field.
 */
export function toFieldErrors(errors: ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  const seen = new Set<string>();
  const fieldErrors: FieldError[] = [];
  for(const error of errors ?? []) {
    let pointer = prefix + error.instancePath;
    let message = error.message ?? 'is invalid';
    if(error.keyword === 'required') {
      pointer += `/${escapePointer(String(error.params.missingProperty))}`;
      message = 'is required';
    } else if(error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
      pointer += `/${escapePointer(String(error.params.additionalProperty ?? error.params.unevaluatedProperty))}`;
      message = 'is not allowed here';
    } else if(error.keyword === 'enum') {
      message = `must be one of ${(error.params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}`;
    }
    const key = `${pointer} ${message}`;
    if(!seen.has(key)) {
      seen.add(key);
      fieldErrors.push({pointer: pointer || '/', message});
    }
  }
  return fieldErrors;
}
