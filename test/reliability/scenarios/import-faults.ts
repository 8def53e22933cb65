/**
 * Scenario: a bulk import (`POST /v1/imports`, a CSV with some bad rows) is interrupted by a
 * fault in the middle — the database killed and started again, or the carecred process that runs
 * the job killed (SIGKILL) and started again. The job goes on by itself, or is resumed by a
 * process, and ends `completed` with exact counts: every good row issued exactly once (one
 * achievement per learner, with its credentials), exactly the bad rows reported failed with a
 * problem, nothing held twice; a retry of the upload with its Idempotency-Key answers the same job.
 * While the database is down, reading the job is a bounded 503 problem.
 */
import {Types} from 'mongoose';

import type {Cluster} from '../support/cluster.js';
import {printFigures} from '../support/figures.js';
import {type Reply, send, sleep} from '../support/http.js';
import {achievementsPerLearnerNumber, auditIssuance, type IssuanceAudit} from '../support/invariants.js';
import {anOrganisationOn, aPublishedUnitOn, type ClusterOrganisation} from '../support/tenants.js';

/** The fault injected in the middle of the import. */
export type ImportFault = 'database-killed' | 'process-killed';

/** Options of the scenario. */
export interface ImportFaultOptions {
  cluster: () => Cluster;
  fault: ImportFault;
  /** Rows of the CSV. */
  rows: number;
  /** Every `badEvery`-th row has an invalid e-mail address and must be reported failed. */
  badEvery: number;
  /** How long the database stays down (database-killed). */
  outageMs?: number;
  /** The bound of a 503 answer while the database is down (ms). */
  maxAnswerMs: number;
  /** How long the job may take to complete after the fault (ms). */
  completionDeadlineMs: number;
}

type Job = {id: string; state: string; rowsTotal: number; rowsDone: number; rowsIssued: number;
  rowsFailed: number; rows?: {items: RowResult[]; nextCursor?: number}};
type RowResult = {row: number; status: 'issued' | 'failed'; achievementId?: string;
  credentials?: {id: string}[]; problem?: {type: string}};

const HEADER = 'externalId,givenName,familyName,email,unit,achievedAt,grade';

function aCsv({rows, badEvery, unitId, prefix}: {
  rows: number; badEvery: number; unitId: string; prefix: string;
}): {csv: string; bad: number[]} {
  const bad: number[] = [];
  const lines = Array.from({length: rows}, (_, i) => {
    const row = i + 1;
    const isBad = row % badEvery === 0;
    if(isBad) {
      bad.push(row);
    }
    return `${prefix}${row},Sem,Bakker ${row},${isBad ? 'not-an-address' : `sem.${row}@example.nl`},` +
      `${unitId},2026-04-01T12:00:00Z,8`;
  });
  return {csv: [HEADER, ...lines].join('\n'), bad};
}

async function uploadCsv(target: string, organisation: ClusterOrganisation, {csv, unitId, key}: {
  csv: string; unitId: string; key: string;
}): Promise<Reply> {
  const started = performance.now();
  const response = await fetch(`${target}/v1/imports?issue=ob3,edc&unitId=${unitId}`, {method: 'POST',
    headers: {...organisation.auth, 'content-type': 'text/csv', 'Idempotency-Key': key}, body: csv,
    signal: AbortSignal.timeout(120_000)});
  const text = await response.text();
  const endedAt = performance.now();
  return {status: response.status, contentType: response.headers.get('content-type') ?? '',
    headers: response.headers, body: text ? JSON.parse(text) : undefined, text, startedAt: started, endedAt,
    ms: endedAt - started};
}

/** How long a process may still answer 503 after the fault has passed (it reconnects on its own). */
const RECONNECT_GRACE_MS = 15_000;

/**
 * Reads the whole per-row report of a job, page by page. A 503 (this process has not reconnected
 * to the restarted database yet) is read again until RECONNECT_GRACE_MS; any other answer than 200
 * fails the scenario with what it was.
 */
async function fullReport(target: string, organisation: ClusterOrganisation, id: string):
  Promise<{items: RowResult[]; answered503: number}> {
  const items: RowResult[] = [];
  const graceEnds = performance.now() + RECONNECT_GRACE_MS;
  let answered503 = 0;
  for(let cursor: number | undefined = 0; cursor !== undefined;) {
    const page = await send(target, {path: `/v1/imports/${id}?cursor=${cursor}&limit=500`,
      headers: organisation.auth});
    if(page.status === 503 && performance.now() < graceEnds) {
      answered503++;
      await sleep(250);
      continue;
    }
    if(page.status !== 200) {
      throw new Error(`reading the report of import ${id} answered ${page.status}: ${page.text}`);
    }
    items.push(...(page.body as Job).rows!.items);
    cursor = (page.body as Job).rows!.nextCursor;
  }
  return {items, answered503};
}

/** Polls the job on every process in turn until `done(job)`, keeping what each read answered. */
async function pollJob({cluster, organisation, id, until, deadlineMs, seen}: {
  cluster: Cluster; organisation: ClusterOrganisation; id: string; until: (job: Job) => boolean;
  deadlineMs: number; seen: Reply[];
}): Promise<Job> {
  const deadline = performance.now() + deadlineMs;
  for(let i = 0; performance.now() < deadline; i++) {
    const reply = await send(cluster.processes[i % cluster.processes.length]!.url,
      {path: `/v1/imports/${id}?limit=1`, headers: organisation.auth, timeoutMs: 30_000});
    seen.push(reply);
    if(reply.status === 200 && until(reply.body as Job)) {
      return reply.body as Job;
    }
    await sleep(250);
  }
  throw new Error(`import ${id} did not reach the expected state within ${deadlineMs} ms`);
}

/** Reads the job from the `targets` processes in turn for `ms`, keeping every answer. */
async function readFor({cluster, organisation, id, ms, targets, seen}: {
  cluster: Cluster; organisation: ClusterOrganisation; id: string; ms: number; targets: number[];
  seen: Reply[];
}): Promise<void> {
  const end = performance.now() + ms;
  for(let i = 0; performance.now() < end; i++) {
    seen.push(await send(cluster.processes[targets[i % targets.length]!]!.url,
      {path: `/v1/imports/${id}?limit=1`, headers: organisation.auth, timeoutMs: 30_000}));
    await sleep(100);
  }
}

/**
 * Declares the scenario's tests.
 *
 * @param options - the cluster, the fault, the import's size and the bounds.
 */
export function importFaultScenario(options: ImportFaultOptions): void {
  const {cluster, fault, rows, badEvery, outageMs = 5000, maxAnswerMs, completionDeadlineMs} = options;
  describe(`a bulk import of ${rows} rows interrupted: ${fault}`, () => {
    let organisation: ClusterOrganisation;
    let bad: number[];
    let job: Job;
    let report: RowResult[];
    let retry: Reply;
    let accepted: Reply;
    let audit: IssuanceAudit;
    const seen: Reply[] = [];
    let faultAt = 0;
    let doneAtFault = 0;

    beforeAll(async () => {
      const {processes, database, db} = cluster();
      organisation = await anOrganisationOn(processes[0]!, `import-${fault}`);
      const unitId = await aPublishedUnitOn(processes[0]!, organisation);
      const upload = aCsv({rows, badEvery, unitId, prefix: `${fault}-`});
      bad = upload.bad;
      const key = `import-${new Types.ObjectId().toHexString()}`;
      accepted = await uploadCsv(processes[0]!.url, organisation, {csv: upload.csv, unitId, key});
      if(accepted.status !== 202) {
        throw new Error(`the import was not accepted: ${accepted.status} ${accepted.text}`);
      }
      const {id} = accepted.body as Job;
      doneAtFault = (await pollJob({cluster: cluster(), organisation, id, seen,
        deadlineMs: completionDeadlineMs, until: current => current.rowsDone >= rows / 4})).rowsDone;

      faultAt = performance.now();
      const others = processes.map((_, i) => i).filter(i => i > 0);
      if(fault === 'database-killed') {
        await database.kill();
        await readFor({cluster: cluster(), organisation, id, ms: outageMs, seen, targets: [0, ...others]});
        await database.restart();
      } else {
        await processes[0]!.kill('SIGKILL');
        await Promise.all([cluster().restartProcess(0),
          readFor({cluster: cluster(), organisation, id, ms: 2000, seen, targets: others})]);
      }
      job = await pollJob({cluster: cluster(), organisation, id, seen, deadlineMs: completionDeadlineMs,
        until: current => current.state === 'completed' || current.state === 'failed'});
      const completedMs = performance.now() - faultAt;
      retry = await uploadCsv(processes[1 % processes.length]!.url, organisation,
        {csv: upload.csv, unitId, key});
      const read = await fullReport(processes[0]!.url, organisation, id);
      report = read.items;
      audit = await auditIssuance(db, organisation.id);
      printFigures(`bulk import interrupted (${fault})`, {processes: processes.length, rows,
        badRows: bad.length, rowsDoneAtFault: doneAtFault, completedAfterFaultMs: completedMs,
        readsDuringFault: seen.filter(reply => reply.startedAt >= faultAt).length,
        readsAnswered503: seen.filter(reply => reply.status === 503).length,
        longestRead503Ms: Math.max(0, ...seen.filter(reply => reply.status === 503).map(reply => reply.ms)),
        reportReads503AfterCompletion: read.answered503, rowsIssued: job.rowsIssued,
        rowsFailed: job.rowsFailed, credentials: audit.credentials,
        burnedAllocations: audit.burned});
    }, 900_000);

    test('when the fault has passed, then the job completes with exact counts', () => {
      expect(job).toMatchObject({state: 'completed', rowsTotal: rows, rowsDone: rows,
        rowsIssued: rows - bad.length, rowsFailed: bad.length});
    });

    test('when the report is read, then it names exactly the bad rows as failed, each with a problem', () => {
      expect(report.map(result => result.row)).toEqual(Array.from({length: rows}, (_, i) => i + 1));
      expect(report.filter(result => result.status === 'failed').map(result => result.row)).toEqual(bad);
      expect(report.filter(result => result.status === 'failed' && !result.problem?.type)).toEqual([]);
      expect(report.filter(result => result.status === 'issued' &&
        (!result.achievementId || result.credentials?.length !== 2))).toEqual([]);
    });

    test('when the database is read, then every good row has exactly one complete achievement', async () => {
      const perLearner = await achievementsPerLearnerNumber(cluster().db, organisation.id);
      const good = Array.from({length: rows}, (_, i) => i + 1).filter(row => !bad.includes(row));

      expect(good.map(row => perLearner.get(`${fault}-${row}`) ?? 0).filter(count => count !== 1)).toEqual([]);
      expect(audit.achievements).toBe(good.length);
      expect(audit.credentials).toBe(2 * good.length);
      expect(audit.incomplete).toEqual([]);
      expect(audit.violations).toEqual([]);
    });

    test('when the upload is retried with its Idempotency-Key, then it answers the same job', async () => {
      expect(retry.status).toBe(202);
      expect(retry.body.id).toBe((accepted.body as Job).id);
      expect(await cluster().db.collection('imports').countDocuments(
        {orgId: new Types.ObjectId(organisation.id)})).toBe(1);
    });

    test('when the job was read during the fault, then every answer was the job or a bounded 503 problem', () => {
      const readsAfterFault = seen.filter(reply => reply.startedAt >= faultAt);

      expect(readsAfterFault.filter(reply => reply.status !== 200 && !(reply.status === 503 &&
        reply.contentType.startsWith('application/problem+json'))).map(reply => `${reply.status} ${reply.text}`))
        .toEqual([]);
      expect(Math.max(0, ...readsAfterFault.filter(reply => reply.status === 503).map(reply => reply.ms)))
        .toBeLessThan(maxAnswerMs);
      expect(readsAfterFault.filter(reply => reply.status === 200).map(reply => (reply.body as Job).rowsDone)
        .every((done, i, all) => done >= doneAtFault && done <= rows && (i === 0 || done >= all[i - 1]!)))
        .toBe(true);
      expect(cluster().unexpectedErrors()).toEqual([]);
    });
  });
}
