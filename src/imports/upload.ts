/**
 * Reading an upload as a stream: the request body passes a byte counter (IMPORT_LIMIT_BYTES,
 * and the SHA-256 that the Idempotency-Key compares), then a streaming parser — csv-parse for
 * CSV, stream-json's array streamer for JSON — that yields one row at a time. Nothing holds more
 * than one row (and a parser's buffer) in memory, whatever the size of the file.
 */
import {createHash, type Hash} from 'node:crypto';
import {type Readable, Transform, type TransformCallback} from 'node:stream';
import {pipeline} from 'node:stream/promises';

import {CsvError, parse as parseCsv} from 'csv-parse';
import {streamArray} from 'stream-json/streamers/stream-array.js';

import {AppError, MalformedBody, ValidationFailed} from '../platform/errors.js';
import type {ImportMediaType} from './model.js';

/** Columns a CSV file may have (the members of the flat import row). */
export const CSV_COLUMNS = ['externalId', 'givenName', 'familyName', 'email', 'birthDate', 'did', 'unit',
  'unitVersion', 'achievedAt', 'grade', 'evidenceUrl', 'assessor', 'language', 'issue'] as const;
/** `unit` may be left out when the query names the unit of every row (checked per row). */
const REQUIRED_COLUMNS = ['givenName', 'familyName', 'achievedAt'];
/** One CSV record may not be longer than this (characters); longer means a broken file. */
const MAX_RECORD_CHARS = 64 * 1024;

/** A parsed row: its JSON text, or why it cannot be used (a CSV row with too few/many cells). */
export interface UploadedRow {
  raw: string;
  invalid?: string;
}

/** 413 while streaming: the connection is closed, the rest of the body is not read. */
export class UploadTooLarge extends AppError {
  constructor(limit: number) {
    super('payload-too-large', 413, 'Payload too large', {
      detail: `The request body exceeds the import limit of ${limit} bytes.`,
      headers: {Connection: 'close'}
    });
  }
}

/** Counts and hashes the bytes that pass; fails with 413 beyond the limit. */
class ByteLimit extends Transform {
  bytes = 0;
  readonly hash: Hash = createHash('sha256');

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if(this.bytes > this.limit) {
      done(new UploadTooLarge(this.limit));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }
}

/** Checks the header row: known columns, the required ones present, none twice. */
function checkHeader(header: string[]): string[] {
  const errors = [];
  const known = new Set<string>(CSV_COLUMNS);
  for(const [index, name] of header.entries()) {
    if(!known.has(name)) {
      errors.push({pointer: `/body/header/${index}`, message: `unknown column '${name}'; the columns are ${CSV_COLUMNS.join(', ')}`});
    } else if(header.indexOf(name) !== index) {
      errors.push({pointer: `/body/header/${index}`, message: `column '${name}' appears twice`});
    }
  }
  for(const name of REQUIRED_COLUMNS) {
    if(!header.includes(name)) {
      errors.push({pointer: '/body/header', message: `column '${name}' is required`});
    }
  }
  if(errors.length > 0) {
    throw new ValidationFailed(errors, 'The CSV header row does not name the import columns.');
  }
  return header;
}

/** A CSV record as a row: empty cells are absent; a record with another cell count is invalid. */
function csvRow({record, info}: {record: Record<string, string>; info: {error?: {code?: string};
  lines: number}}): UploadedRow {
  const row = Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ''));
  const raw = JSON.stringify(row);
  return info.error?.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' ?
    {raw, invalid: `the record ending on line ${info.lines} does not have one cell per column of the header`} :
    {raw};
}

function parserFor(mediaType: ImportMediaType): Transform {
  return mediaType === 'text/csv' ?
    parseCsv({columns: checkHeader, bom: true, trim: true, skip_empty_lines: true,
      relax_column_count: true, max_record_size: MAX_RECORD_CHARS, info: true}) :
    streamArray.withParserAsStream() as unknown as Transform;
}

/** Carries what `onRow` threw through the pipeline, so it is not taken for a parse error. */
class ConsumerFailure extends Error {
  constructor(cause: unknown) {
    super('storing an uploaded row failed', {cause});
  }
}

/** Turns what a parser throws into a 400 (the uploader's mistake), keeping typed errors. */
function classifyParseError(error: unknown, mediaType: ImportMediaType): unknown {
  if(error instanceof AppError) {
    return error;
  }
  const {code, message} = (error ?? {}) as {code?: string; message?: string};
  if(code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET') {
    return new MalformedBody('The upload was aborted by the client.', error);
  }
  // By class: csv-parse's codes are not all prefixed (INVALID_OPENING_QUOTE is not).
  if(mediaType === 'text/csv' && (error instanceof CsvError || code?.startsWith('CSV_'))) {
    return new MalformedBody(`The body is not well-formed CSV: ${message}`, error);
  }
  if(mediaType === 'application/json' && error instanceof Error) {
    return new MalformedBody(`The body is not a JSON array: ${message}`, error);
  }
  return error;
}

/**
 * Streams the rows of an upload to `onRow` (awaited: a slow consumer slows the reading).
 *
 * @param options.body - the request stream.
 * @param options.limitBytes - the upload limit (IMPORT_LIMIT_BYTES).
 * @param options.onRow - receives each row with its 1-based number.
 * @returns the number of bytes and their SHA-256 (hex).
 * @throws {UploadTooLarge} beyond the limit; {MalformedBody} for a body that does not parse;
 *   {ValidationFailed} for a CSV header row with unknown or missing columns.
 */
export async function readUpload({body, mediaType, limitBytes, onRow}: {
  body: Readable; mediaType: ImportMediaType; limitBytes: number;
  onRow: (row: UploadedRow, rowNumber: number) => Promise<void>;
}): Promise<{bytes: number; sha256: string}> {
  const limit = new ByteLimit(limitBytes);
  // The request is piped by hand, not given to pipeline(): on an error pipeline() would destroy
  // it, and with it the socket the 413/400 answer has to go out on. The rest is discarded.
  body.once('error', error => limit.destroy(error));
  body.once('aborted', () => limit.destroy(Object.assign(new Error('aborted'), {code: 'ECONNRESET'})));
  body.pipe(limit);
  let rowNumber = 0;
  try {
    await pipeline(limit, parserFor(mediaType), async (rows: AsyncIterable<unknown>) => {
      for await (const item of rows) {
        rowNumber++;
        const row = mediaType === 'text/csv' ? csvRow(item as Parameters<typeof csvRow>[0]) :
          {raw: JSON.stringify((item as {value: unknown}).value)};
        await onRow(row, rowNumber).catch((error: unknown) => {
          throw new ConsumerFailure(error);
        });
      }
    });
  } catch(error) {
    body.unpipe(limit);
    body.resume();
    // What storing a row threw (the database is away: a 503) is not a fault of the upload.
    throw error instanceof ConsumerFailure ? error.cause : classifyParseError(error, mediaType);
  }
  return {bytes: limit.bytes, sha256: limit.hash.digest('hex')};
}
