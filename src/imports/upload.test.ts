import {createHash} from 'node:crypto';
import {Readable} from 'node:stream';

import mongoose from 'mongoose';

import {MalformedBody, ValidationFailed} from '../platform/errors.js';
import type {ImportMediaType} from './model.js';
import {readUpload, type UploadedRow, UploadTooLarge} from './upload.js';

async function rowsOf(text: string | string[], mediaType: ImportMediaType, limitBytes = 1_000_000) {
  const rows: [number, UploadedRow][] = [];
  const body = Readable.from(Array.isArray(text) ? text : [text]);
  const result = await readUpload({body, mediaType, limitBytes,
    onRow: async (row, number) => {
      rows.push([number, row]);
    }});
  return {rows, ...result};
}

describe('readUpload', () => {
  test('when a CSV has a header, quoted cells, empty cells and a BOM, then each record is a row of its non-empty cells', async () => {
    const csv = '\uFEFFexternalId,givenName,familyName,grade,achievedAt\r\nS1,"de Vries, Sanne",Jansen,,2026-01-01T00:00:00Z\r\n\r\nS2,Piet,"Line\nbreak",7,x\r\n';

    const {rows} = await rowsOf(csv, 'text/csv');

    expect(rows).toEqual([
      [1, {raw: JSON.stringify({externalId: 'S1', givenName: 'de Vries, Sanne', familyName: 'Jansen',
        achievedAt: '2026-01-01T00:00:00Z'})}],
      [2, {raw: JSON.stringify({externalId: 'S2', givenName: 'Piet', familyName: 'Line\nbreak', grade: '7',
        achievedAt: 'x'})}]
    ]);
  });

  test('when a CSV record has fewer or more cells than the header, then that row is marked invalid and reading goes on', async () => {
    const csv = 'givenName,familyName,achievedAt\nA,B\nC,D,E,F\nG,H,I\n';

    const {rows} = await rowsOf(csv, 'text/csv');

    expect(rows.map(([number, row]) => [number, Boolean(row.invalid)]))
      .toEqual([[1, true], [2, true], [3, false]]);
    expect(rows[0]![1].invalid).toMatch(/line 2/);
  });

  test('when the CSV header names unknown, repeated or too few columns, then ValidationFailed points at the header', async () => {
    const reading = rowsOf('givenName,givenName,shoeSize\nA,B,C\n', 'text/csv');

    await expect(reading).rejects.toBeInstanceOf(ValidationFailed);
    await expect(reading).rejects.toMatchObject({extensions: {errors: expect.arrayContaining([
      {pointer: '/body/header/1', message: "column 'givenName' appears twice"},
      {pointer: '/body/header/2', message: expect.stringMatching(/^unknown column 'shoeSize'/)},
      {pointer: '/body/header', message: "column 'familyName' is required"}
    ])}});
  });

  test('when a JSON array arrives in small chunks, then every element is a row, objects or not', async () => {
    const json = JSON.stringify([{givenName: 'A', n: 1}, 'text', [1, 2], {nested: {deep: true}}]);
    const chunks = json.match(/.{1,7}/gs)!;

    const {rows, bytes, sha256} = await rowsOf(chunks, 'application/json');

    expect(rows.map(([number, row]) => [number, JSON.parse(row.raw)])).toEqual([
      [1, {givenName: 'A', n: 1}], [2, 'text'], [3, [1, 2]], [4, {nested: {deep: true}}]]);
    expect(bytes).toBe(Buffer.byteLength(json));
    expect(sha256).toBe(createHash('sha256').update(json).digest('hex'));
  });

  test.each([
    ['JSON that is not an array', '{"a": 1}', 'application/json'],
    ['JSON cut off half-way', '[{"a": 1}, {"b"', 'application/json'],
    ['CSV with an unclosed quote', 'givenName,familyName,achievedAt\n"A,B,C\n', 'text/csv'],
    // Found by the fuzzer: JSON sent as text/csv was a 500 (csv-parse's code has no CSV_ prefix).
    ['JSON sent as CSV (a quote opening inside a field)', '{"givenName": "A"}', 'text/csv']
  ] as const)('when the body is %s, then MalformedBody', async (_case, body, mediaType) => {
    await expect(rowsOf(body, mediaType)).rejects.toBeInstanceOf(MalformedBody);
  });

  test('when the streamed body passes the limit, then UploadTooLarge after the rows before it', async () => {
    const line = 'Sanne,de Vries,2026-01-01T00:00:00Z\n';
    const chunks = ['givenName,familyName,achievedAt\n', ...Array.from({length: 100}, () => line)];
    const seen: number[] = [];

    const reading = readUpload({body: Readable.from(chunks), mediaType: 'text/csv', limitBytes: 1024,
      onRow: async (_row, number) => {
        seen.push(number);
      }});

    await expect(reading).rejects.toBeInstanceOf(UploadTooLarge);
    expect(seen.length).toBeLessThan(30);
  });

  test.each(['application/json', 'text/csv'] as const)(
    'when storing a row of a %s upload fails (the database is away), then that error, not a parse error',
    async mediaType => {
      const outage = new mongoose.mongo.MongoNetworkError('connection 3 to 127.0.0.1:1 closed');
      const body = mediaType === 'text/csv' ? 'givenName,familyName,achievedAt\nA,B,C\n' : '[{"givenName": "A"}]';

      const reading = readUpload({body: Readable.from([body]), mediaType, limitBytes: 1_000_000,
        onRow: async () => {
          throw outage;
        }});

      await expect(reading).rejects.toBe(outage);
    });
});
