import {aCredential, aDidKeyIdentity, aDocumentLoader, envelope, signDataIntegrity, signJwt,
  signPresentationDataIntegrity, type TestIdentity, V2} from '../../test/support/credentials.js';
import {aTestVerifier} from '../../test/support/verifier.js';
import type {PresentationReport} from './types.js';

type Json = Record<string, unknown>;

let issuer: TestIdentity;
let holder: TestIdentity;
let stranger: TestIdentity;
const CHALLENGE = 'c0ffee-4b1d';
const DOMAIN = 'employer.example';

beforeAll(async () => {
  [issuer, holder, stranger] = await Promise.all([aDidKeyIdentity(), aDidKeyIdentity(), aDidKeyIdentity()]);
});

async function aPresentation(kind: 'di' | 'jwt', {signer = holder, challenge = CHALLENGE,
  domain = DOMAIN}: {signer?: TestIdentity; challenge?: string; domain?: string} = {}): Promise<unknown> {
  const documentLoader = aDocumentLoader([issuer, holder, stranger]);
  const diCredential = await signDataIntegrity({credential: aCredential(issuer.did), identity: issuer,
    documentLoader});
  const jwtCredential = await signJwt({payload: aCredential(issuer.did), identity: issuer});
  const presentation = {'@context': [V2], type: ['VerifiablePresentation'], holder: holder.did,
    verifiableCredential: [diCredential, envelope(jwtCredential)]};
  if(kind === 'di') {
    return signPresentationDataIntegrity({presentation, identity: signer, documentLoader, challenge, domain});
  }
  return signJwt({payload: {...presentation, nonce: challenge, aud: domain}, identity: signer, typ: 'vp+jwt'});
}

function codes(report: PresentationReport): Record<string, string> {
  return Object.fromEntries(report.checks.map(check => [check.id, check.code]));
}

describe.each(['di', 'jwt'] as const)('verifyPresentation (%s)', kind => {
  test('when the challenge and domain are the expected ones, then it and its credentials are verified', async () => {
    const input = await aPresentation(kind);

    const report = await aTestVerifier().verifyPresentation({input, challenge: CHALLENGE, domain: DOMAIN});

    expect(report).toMatchObject({verified: true, format: kind === 'di' ? 'vp-di' : 'vp-jwt', holder: holder.did});
    expect(codes(report)).toEqual({'presentation.format': 'conforming', 'presentation.proof': 'proof-valid',
      'presentation.challenge': 'challenge-matches', 'presentation.domain': 'domain-matches'});
    expect(report.credentials.map(credential => [credential.format, credential.verified]))
      .toEqual([['vc-di', true], ['vc-jwt', true]]);
  });

  test.each([
    ['a wrong challenge', {challenge: 'other'}, 'presentation.challenge', 'challenge-mismatch'],
    ['a wrong domain', {domain: 'attacker.example'}, 'presentation.domain', 'domain-mismatch']
  ])('when the presentation was made for %s, then that check fails', async (_what, made, id, code) => {
    const input = await aPresentation(kind, made);

    const report = await aTestVerifier().verifyPresentation({input, challenge: CHALLENGE, domain: DOMAIN});

    expect(report.verified).toBe(false);
    expect(codes(report)[id]).toBe(code);
  });

  test('when someone other than the holder signed it, then the proof fails', async () => {
    const input = await aPresentation(kind, {signer: stranger});

    const report = await aTestVerifier().verifyPresentation({input, challenge: CHALLENGE, domain: DOMAIN});

    expect(report.verified).toBe(false);
    expect(report.checks[1]).toMatchObject({id: 'presentation.proof', passed: false});
  });

  test('when no challenge is expected, then the challenge check is a warning only', async () => {
    const input = await aPresentation(kind);

    const report = await aTestVerifier().verifyPresentation({input, domain: DOMAIN});

    expect(report.verified).toBe(true);
    expect(report.checks[2]).toMatchObject({code: 'challenge-not-checked', severity: 'warning'});
  });
});

describe('verifyPresentation with a bad credential inside', () => {
  test('when one credential inside was tampered with, then the presentation is not verified', async () => {
    const documentLoader = aDocumentLoader([issuer, holder]);
    const credential = await signDataIntegrity({credential: aCredential(issuer.did), identity: issuer,
      documentLoader});
    const presentation = {'@context': [V2], type: ['VerifiablePresentation'], holder: holder.did,
      verifiableCredential: [{...credential, name: 'Changed'} as Json]};
    const input = await signPresentationDataIntegrity({presentation, identity: holder, documentLoader,
      challenge: CHALLENGE});

    const report = await aTestVerifier().verifyPresentation({input, challenge: CHALLENGE});

    expect(report.checks[1]).toMatchObject({passed: true});
    expect(report.credentials[0]!.checks[1]).toMatchObject({id: 'signature', code: 'signature-invalid'});
    expect(report.verified).toBe(false);
  });

  test('when the presentation has no VerifiablePresentation type, then its format fails', async () => {
    const report = await aTestVerifier().verifyPresentation({input: {'@context': [V2],
      type: ['Presentation'], verifiableCredential: []}, challenge: CHALLENGE});

    expect(report.verified).toBe(false);
    expect(report.checks[0]).toMatchObject({id: 'presentation.format', passed: false});
    expect(report.checks.slice(1).every(check => check.skipped)).toBe(true);
  });
});
