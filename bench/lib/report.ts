/**
 * Prints benchmark results as an aligned table: ops/s, latency percentiles, how busy the main
 * thread's event loop was (what is left for HTTP and the database when signing runs on workers),
 * and the ratio of each row's ops/s to a baseline series.
 */
import type {Measurement} from './measure.js';

function pad(value: string, width: number, right = false): string {
  return right ? value.padStart(width) : value.padEnd(width);
}

/**
 * Prints one table: ops/s, p50/p99 (ms) and the ratio of each row's ops/s to the baseline's.
 *
 * @param options.title - the table heading.
 * @param options.baseline - name of the row the ratios divide by.
 */
export function printTable({title, rows, baseline}: {title: string; rows: Measurement[];
  baseline?: string}): void {
  const base = rows.find(row => row.name === baseline);
  const width = Math.max(...rows.map(row => row.name.length), 10);
  console.log(`\n${title}`);
  console.log(`${pad('', width)}  ${pad('ops', 7, true)} ${pad('conc', 4, true)} ` +
    `${pad('ops/s', 9, true)} ${pad('p50 ms', 8, true)} ${pad('p99 ms', 8, true)} ${pad('main', 5, true)}` +
    `${base ? ` ${pad(`× ${base.name.split(' ')[0]}`, 12, true)}` : ''}`);
  for(const row of rows) {
    const ratio = base ? ` ${pad(`${(row.opsPerSecond / base.opsPerSecond).toFixed(2)}×`, 12, true)}` : '';
    console.log(`${pad(row.name, width)}  ${pad(String(row.operations), 7, true)} ` +
      `${pad(String(row.concurrency), 4, true)} ${pad(row.opsPerSecond.toFixed(0), 9, true)} ` +
      `${pad(row.p50.toFixed(3), 8, true)} ${pad(row.p99.toFixed(3), 8, true)} ` +
      `${pad(`${(row.mainThreadBusy * 100).toFixed(0)}%`, 5, true)}${ratio}`);
  }
}
