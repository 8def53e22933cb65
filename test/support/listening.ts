/**
 * Child carecred processes in the tests listen on PORT=0: the system picks a free port at bind
 * time, which no other process can take in between. (Picking a free port first and passing it on
 * races with the process's own embedded FerretDB, which picks its port the same way: seen on CI
 * as EADDRINUSE.) The bound port is read from the "carecred listening" log line.
 */

/**
 * The port in a "carecred listening" log line.
 *
 * @returns the port, or undefined when the line is not that line.
 */
export function listeningPort(logLine: string): number | undefined {
  if(!logLine.includes('carecred listening')) {
    return undefined;
  }
  try {
    const {msg, port} = JSON.parse(logLine) as {msg?: string; port?: number};
    return msg === 'carecred listening' && typeof port === 'number' ? port : undefined;
  } catch {
    return undefined;
  }
}
