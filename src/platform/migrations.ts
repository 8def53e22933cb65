/**
 * One-time data migrations. Each is recorded by name in `migrations` once it has completed, and
 * a later start skips it. A migration must be idempotent: a crash before its record makes the
 * next start run it again, whole.
 */
import type {Connection} from 'mongoose';

import {isDuplicateKeyError} from './db.js';

/**
 * Runs `migrate` unless a migration of that name completed before.
 *
 * @returns true when it ran now.
 */
export async function runOnce(db: Connection, name: string, migrate: () => Promise<void>): Promise<boolean> {
  const migrations = db.collection<{_id: string; at: Date}>('migrations');
  if(await migrations.findOne({_id: name})) {
    return false;
  }
  await migrate();
  try {
    await migrations.insertOne({_id: name, at: new Date()});
  } catch(error) {
    // Another process finished the same migration first.
    if(!isDuplicateKeyError(error)) {
      throw error;
    }
  }
  return true;
}
