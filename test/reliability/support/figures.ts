/**
 * The figures of a reliability run (processes, credentials, outage timings ...), printed to
 * stdout as one line per scenario so that a CI log shows them.
 */

/**
 * Prints a scenario's figures: `[reliability] <scenario>: name=value, ...`.
 *
 * @param scenario - the scenario's name.
 * @param figures - named values; numbers are rounded to whole units.
 */
export function printFigures(scenario: string, figures: Record<string, string | number>): void {
  const values = Object.entries(figures)
    .map(([name, value]) => `${name}=${typeof value === 'number' ? Math.round(value) : value}`).join(', ');
  process.stdout.write(`\n[reliability] ${scenario}: ${values}\n`);
}
