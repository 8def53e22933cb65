/**
 * A carecred process for crash tests: builds the app on the database named in the environment,
 * starts a bulk import of CARECRED_CHILD_ROWS rows, and prints `job <id>` and then `done <n>`
 * whenever the number of stored row results grows, until its parent kills it.
 */
import {Readable} from 'node:stream';

import {buildApp} from '../../src/app.js';
import {loadConfig} from '../../src/platform/config.js';
import {connectDatabase} from '../../src/platform/db.js';
import {createLogger} from '../../src/platform/logger.js';

const {CARECRED_CHILD_URI: uri, CARECRED_CHILD_DB: dbName, CARECRED_CHILD_KEK: kek, CARECRED_CHILD_ORG: orgId,
  CARECRED_CHILD_UNIT: unitId, CARECRED_CHILD_ROWS: rows} = process.env;
const config = loadConfig({MONGODB_URI: uri, MONGODB_DATABASE: dbName, LOG_LEVEL: 'silent', SIGNING_WORKERS: '0',
  ADMIN_TOKEN: 'child-admin-token-0123456789abcdef'});
const db = await connectDatabase({uri: uri!, dbName: dbName!});
const carecred = await buildApp({config, db, logger: createLogger({level: 'silent'}),
  keyEncryptionKey: Buffer.from(kek!, 'hex')});
const csv = ['externalId,givenName,familyName,unit,achievedAt',
  ...Array.from({length: Number(rows)}, (_, i) => `KILL${i + 1},Sanne,de Vries,${unitId},2026-06-30T14:00:00Z`)].join('\n');
const {job} = await carecred.services.imports.createImport({orgId: orgId!, body: Readable.from([csv]),
  mediaType: 'text/csv', defaults: {issue: ['ob3', 'edc']}, requestPath: '/v1/imports'});
console.log(`job ${job.id}`);
let reported = 0;
setInterval(async () => {
  const done = await db.collection('importresults').countDocuments({_id: {$gt: `${job.id}:`, $lt: `${job.id};`}} as never);
  if(done > reported) {
    reported = done;
    console.log(`done ${done}`);
  }
}, 50);
