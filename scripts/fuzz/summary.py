"""Summarises schemathesis NDJSON reports: cases run (requests answered) per operation and status.

Exits 1 when a 5xx was answered or when so few cases ran that the fuzzing proved nothing.
"""
import collections
import json
import sys

MIN_CASES = 1000

by_operation = collections.defaultdict(collections.Counter)
for path in sys.argv[1:]:
    with open(path, encoding='utf-8') as report:
        for line in report:
            event = json.loads(line)
            finished = event.get('ScenarioFinished')
            if not finished:
                continue
            recorder = finished.get('recorder') or {}
            for interaction in (recorder.get('interactions') or {}).values():
                response = interaction.get('response')
                if response:
                    label = recorder.get('label', '?')
                    by_operation[label][response['status_code']] += 1

total = sum(sum(counts.values()) for counts in by_operation.values())
server_errors = sum(count for counts in by_operation.values() for status, count in counts.items() if status >= 500)
for label in sorted(by_operation):
    counts = by_operation[label]
    print(f'  {label}: ' + ', '.join(f'{status}×{count}' for status, count in sorted(counts.items())))
print(f'fuzz cases run: {total} requests over {len(by_operation)} operations/scenarios; 5xx answers: {server_errors}')
if server_errors or total < MIN_CASES:
    print(f'fuzzing failed: {server_errors} 5xx answers; {total} cases (at least {MIN_CASES} expected)')
    sys.exit(1)
