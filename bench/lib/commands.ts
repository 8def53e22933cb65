/**
 * Database time per command: listens to the driver's command monitoring (the connection must be
 * opened with `monitorCommands: true`) and adds up, per `<command> <collection>`, how many ran and
 * how long they took as the client saw it.
 */
import type mongoose from 'mongoose';

/** Count and total milliseconds per `<command> <collection>`. */
export type CommandTotals = Map<string, {count: number; ms: number}>;

/**
 * Starts adding up the connection's commands.
 *
 * @returns `take()`: the totals since the last take (or the start), and a fresh window after it.
 */
export function monitorCommands(db: mongoose.Connection): {take: () => CommandTotals} {
  let totals: CommandTotals = new Map();
  const names = new Map<number, string>();
  const client = db.getClient();
  client.on('commandStarted', event => {
    const collection = (event.command as Record<string, unknown>)[event.commandName];
    names.set(event.requestId, `${event.commandName} ${typeof collection === 'string' ? collection : ''}`);
  });
  client.on('commandSucceeded', event => {
    const name = names.get(event.requestId) ?? event.commandName;
    names.delete(event.requestId);
    const total = totals.get(name) ?? {count: 0, ms: 0};
    total.count++;
    total.ms += event.duration;
    totals.set(name, total);
  });
  return {take: () => {
    const taken = totals;
    totals = new Map();
    return taken;
  }};
}
