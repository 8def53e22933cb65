#!/usr/bin/env node
// Prepares a running carecred for the API fuzzer (scripts/fuzz.sh): through the public API only,
// creates an organisation (admin token), a published unit, a learner and an achievement with an
// issued credential of each profile, so that authenticated operations meet real data. Prints the
// organisation's API key as a `NAME=value` line for the shell, and writes schemathesis dictionaries
// of the real ids (`[dictionaries.<name>] values = [...]`) to the given TOML file: the fuzzer
// draws path parameters from them half of the time (scripts/fuzz/schemathesis.toml).
import {writeFileSync} from 'node:fs';

const [baseUrl, adminToken, dictionariesFile] = process.argv.slice(2);
if(!baseUrl || !adminToken || !dictionariesFile) {
  console.error('usage: fuzz-fixtures.mjs <baseUrl> <adminToken> <dictionaries.toml>');
  process.exit(2);
}

async function call(method, path, {token, body, expect = [200, 201]} = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? {authorization: `Bearer ${token}`} : {}),
      ...(body ? {'content-type': 'application/json'} : {})
    },
    body: body ? JSON.stringify(body) : undefined
  });
  const text = await response.text();
  if(!expect.includes(response.status)) {
    throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
  }
  return text ? JSON.parse(text) : undefined;
}

const {organisation, apiKey} = await call('POST', '/v1/admin/organisations', {token: adminToken, body: {
  slug: 'fuzz-college', name: {nl: 'Fuzz College', en: 'Fuzz College'}, country: 'NL', region: 'NL-UT',
  type: 'vocational-college'
}});
const unit = await call('POST', '/v1/units', {token: apiKey, body: {
  title: {nl: 'Beeldzorg in de praktijk', en: 'Video care in practice'},
  description: {nl: 'Zorg op afstand via beeldbellen.', en: 'Remote care by video call.'},
  learningOutcomes: [{text: {nl: 'Voert een beeldzorgcontact veilig uit.', en: 'Carries out a video care contact safely.'}}],
  workloadHours: 28, ectsCredits: 1, assessmentType: 'practical',
  participationForm: {mode: 'blended'},
  qualityAssurance: {nl: 'Interne examencommissie.', en: 'Internal examination board.'},
  eqfLevel: 4, tags: ['beeldzorg']
}});
await call('POST', `/v1/units/${unit.id}/publish`, {token: apiKey});
const achievement = await call('POST', '/v1/achievements', {token: apiKey, body: {
  learner: {givenName: 'Sanne', familyName: 'de Vries', email: 'sanne@example.nl', externalId: 'F1'},
  unitId: unit.id, achievedAt: '2026-01-15T10:00:00Z', issue: ['ob3', 'edc']
}});
const keys = await call('GET', '/v1/keys', {token: apiKey});
const dictionaries = {
  organisations: [organisation.id],
  slugs: [organisation.slug],
  units: [unit.id],
  versions: [1],
  learners: [achievement.learnerId],
  achievements: [achievement.id],
  credentials: achievement.credentials.map(credential => credential.id),
  issuerKeys: keys.items.map(key => key.id),
  statusLists: ['revocation-1', 'suspension-1'],
  problems: ['not-found', 'validation-failed', 'unauthenticated', 'learner-erased'],
  docsAssets: ['swagger-ui.css', 'swagger-ui-bundle.js', 'init.js', 'favicon-32x32.png'],
  shares: achievement.credentials.map(credential => new URL(credential.shareUrl).pathname.split('/').pop()),
  webAssets: ['carecred.css', 'favicon.svg', 'verify.js']
};
writeFileSync(dictionariesFile, Object.entries(dictionaries).map(([name, values]) =>
  `[dictionaries.${name}]\nvalues = ${JSON.stringify(values)}\n`).join('\n'));
console.log(`FUZZ_API_KEY=${apiKey}`);
