import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';

import {projectPath} from '../../platform/paths.js';
import {microCredentialContext, microCredentialContextUrl} from './context.js';

// Pinned: signed credentials depend on what v1 means. A change is a new version (/v2), never an
// edit of this file.
const V1_SHA256_PREFIX = 'f1440d1324c88d29';

describe('micro-credential context v1', () => {
  test('when the context file is hashed, then it matches the pinned v1', () => {
    const file = readFileSync(projectPath('src', 'platform', 'jsonld', 'contexts', 'microcredential-v1.jsonld'));

    expect(createHash('sha256').update(file).digest('hex').slice(0, 16)).toBe(V1_SHA256_PREFIX);
  });

  test('when it is read for a deployment, then every IRI is under that deployment\'s vocabulary', () => {
    const text = JSON.stringify(microCredentialContext('https://carecred.example'));

    const iris = [...text.matchAll(/"(https?:\/\/[^"]+)"/g)].map(match => match[1]!)
      .filter(iri => !iri.startsWith('http://www.w3.org/2001/XMLSchema#'));
    expect(iris.length).toBeGreaterThan(30);
    expect(iris.every(iri => iri.startsWith('https://carecred.example/vocab/microcredential#'))).toBe(true);
    expect(microCredentialContextUrl('https://carecred.example'))
      .toBe('https://carecred.example/contexts/microcredential/v1');
  });
});
