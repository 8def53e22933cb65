/**
 * Handlers typed by operationId from the generated contract types, so that a handler's body,
 * path parameters and query are the ones the contract declares (checked at compile time; ajv
 * checks them at run time before the handler is called).
 */
import type {Request, RequestHandler, Response} from 'express';

import type {operations} from '../../generated/openapi.js';

export type OperationId = keyof operations;

type ContentOf<T> = T extends {content: infer C} ? C : never;
type JsonOf<C> = C extends {'application/json': infer B} ? B :
  C extends {'application/x-www-form-urlencoded': infer B} ? B : unknown;

/** The JSON (or HTML form) request body of an operation. */
export type RequestBody<Id extends OperationId> =
  operations[Id] extends {requestBody?: infer B} ? JsonOf<ContentOf<NonNullable<B>>> : never;

/** The path parameters of an operation. */
export type PathParams<Id extends OperationId> =
  operations[Id] extends {parameters: {path?: infer P}} ?
    (P extends Record<string, unknown> ? P : Record<string, never>) : Record<string, never>;

/** The query parameters of an operation (after coercion and defaults). */
export type QueryParams<Id extends OperationId> =
  operations[Id] extends {parameters: {query?: infer Q}} ?
    (Q extends Record<string, unknown> ? Q : Record<string, never>) : Record<string, never>;

/** The JSON body of a response of an operation. */
export type ResponseBody<Id extends OperationId, Status extends number> =
  operations[Id] extends {responses: infer R} ?
    (Status extends keyof R ? JsonOf<ContentOf<R[Status]>> : never) : never;

/** The express request of an operation. */
export type OperationRequest<Id extends OperationId> =
  Request<PathParams<Id> & Record<string, string>, unknown, RequestBody<Id>, QueryParams<Id>>;

/** A handler for one operation. */
export type OperationHandler<Id extends OperationId> =
  (req: OperationRequest<Id>, res: Response) => unknown;

/** A map of handlers by operationId. */
export type HandlerMap = {[Id in OperationId]?: OperationHandler<Id>};

/**
 * Declares a module's handlers; returns them as express handlers for the router.
 *
 * @param map - handlers keyed by operationId.
 * @returns the same handlers, typed for `mountContract`.
 */
export function defineHandlers(map: HandlerMap): Record<string, RequestHandler> {
  return map as unknown as Record<string, RequestHandler>;
}
