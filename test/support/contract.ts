/**
 * Checks responses against the OpenAPI contract with the same validators the app uses for
 * requests: status documented, media type documented, body valid against its schema.
 */
import type {Response} from 'supertest';

import {loadContract} from '../../src/platform/http/contract.js';

const contract = loadContract();

/**
 * Asserts that a response is one the contract documents for the operation.
 *
 * @param response - a supertest response.
 * @param operationId - the operation that was called.
 */
export function expectContract(response: Response, operationId: string): void {
  const operation = contract.operations.get(operationId);
  if(!operation) {
    throw new Error(`unknown operationId ${operationId}`);
  }
  const status = String(response.status);
  const documented = operation.object.responses[status] ?? operation.object.responses.default;
  if(!documented) {
    throw new Error(`${operationId}: status ${status} is not documented ` +
      `(body: ${JSON.stringify(response.body).slice(0, 300)})`);
  }
  const mediaType = String(response.headers['content-type'] ?? '').split(';')[0]!.trim();
  if(!documented.content) {
    return;
  }
  if(!documented.content[mediaType]) {
    throw new Error(`${operationId} ${status}: media type ${mediaType} is not documented`);
  }
  const validate = contract.responseValidator(operationId, response.status, mediaType);
  // `application/vc` is a JSON media type (VC Data Model 2.0 §6.3) that supertest does not parse.
  const body = mediaType === 'application/vc' ? JSON.parse(response.text) :
    mediaType.endsWith('json') ? response.body : response.text;
  if(validate && !validate(body)) {
    throw new Error(`${operationId} ${status}: response does not match the contract: ` +
      JSON.stringify(validate.errors?.slice(0, 5), null, 1));
  }
}
