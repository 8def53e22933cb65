/**
 * A small HTTP client for the reliability suites: every call has a deadline and is timed, and a
 * failure to get an answer (refused, reset, deadline passed) is a result (`status` 0 with
 * `error`), not an exception, so a suite can count what happened to each request.
 */

/** What happened to one request. */
export interface Reply {
  /** HTTP status; 0 when no answer came. */
  status: number;
  /** Why no answer came: `timeout` (the deadline passed) or `network` (refused, reset). */
  error?: 'timeout' | 'network';
  contentType: string;
  headers: Headers;
  /** Parsed JSON body (JSON and problem+json), else undefined. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  /** When the request was sent and answered (ms, `performance.now()` clock). */
  startedAt: number;
  endedAt: number;
  ms: number;
}

/** A request. */
export interface Call {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Deadline of the whole call (ms). */
  timeoutMs?: number;
}

/**
 * Sends a request to one carecred process.
 *
 * @param baseUrl - the process's `http://127.0.0.1:<port>`.
 * @returns the reply (never throws for a network failure or a passed deadline).
 */
export async function send(baseUrl: string, {method = 'GET', path, headers = {}, body, timeoutMs = 30_000}: Call):
  Promise<Reply> {
  const startedAt = performance.now();
  const done = (reply: Omit<Reply, 'startedAt' | 'endedAt' | 'ms'>): Reply => {
    const endedAt = performance.now();
    return {...reply, startedAt, endedAt, ms: endedAt - startedAt};
  };
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method, signal: AbortSignal.timeout(timeoutMs),
      headers: body === undefined ? headers : {'content-type': 'application/json', ...headers},
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    let parsed: unknown;
    if(/json/.test(contentType) && text) {
      parsed = JSON.parse(text);
    }
    return done({status: response.status, contentType, headers: response.headers, body: parsed, text});
  } catch(error) {
    const name = (error as {name?: string}).name;
    return done({status: 0, error: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network',
      contentType: '', headers: new Headers(), body: undefined, text: String(error)});
  }
}

/**
 * Runs `task` over `items` with at most `concurrency` running at once.
 *
 * @returns the results in the order of `items`.
 */
export async function runConcurrently<T, R>(items: readonly T[], concurrency: number,
  task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while(next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  }
  await Promise.all(Array.from({length: Math.min(concurrency, items.length)}, worker));
  return results;
}

/** Percentile (nearest rank) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if(values.length === 0) {
    return 0;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Waits. */
export function sleep(ms: number): Promise<void> {
  return new Promise(wake => setTimeout(wake, ms));
}
