import QRCode from 'qrcode';

import {linkedInAddToProfileUrl, qrCodeSvg} from './share-links.js';

describe('linkedInAddToProfileUrl', () => {
  test('when a credential has an end of validity, then the URL carries every certification field', () => {
    const url = new URL(linkedInAddToProfileUrl({name: 'Beeldzorg in de praktijk', organizationName: 'Zorgcollege Noord',
      issuedAt: new Date('2026-05-01T10:00:00Z'), validUntil: new Date('2029-05-01T10:00:00Z'),
      certUrl: 'https://carecred.example/c/abc', certId: 'urn:uuid:1'}));

    expect(url.origin + url.pathname).toBe('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(url.searchParams)).toEqual({startTask: 'CERTIFICATION_NAME',
      name: 'Beeldzorg in de praktijk', organizationName: 'Zorgcollege Noord', issueYear: '2026', issueMonth: '5',
      expirationYear: '2029', expirationMonth: '5', certUrl: 'https://carecred.example/c/abc', certId: 'urn:uuid:1'});
  });

  test('when a credential does not expire, then there is no expiration', () => {
    const url = new URL(linkedInAddToProfileUrl({name: 'x', organizationName: 'y', issuedAt: new Date('2026-12-31T23:00:00Z'),
      certUrl: 'https://carecred.example/c/abc', certId: 'urn:uuid:1'}));

    expect([url.searchParams.get('issueMonth'), url.searchParams.has('expirationYear')]).toEqual(['12', false]);
  });
});

describe('qrCodeSvg', () => {
  test('when rendered, then it is the library\'s code of the text, as an image named by its caption', async () => {
    const text = 'https://carecred.example/c/QcF59wrEsoI0ERaU5MtFCg';
    const expected = await QRCode.toString(text, {type: 'svg', errorCorrectionLevel: 'M', margin: 2});

    const svg = await qrCodeSvg({text, labelledBy: 'qr-caption'});

    expect(svg.startsWith('<svg role="img" aria-labelledby="qr-caption" class="qr" ')).toBe(true);
    expect(svg.replace('role="img" aria-labelledby="qr-caption" class="qr" ', '')).toBe(expected);
  });

  test('when the label id is not an id, then it refuses', async () => {
    await expect(qrCodeSvg({text: 'x', labelledBy: '"><script>'})).rejects.toThrow(TypeError);
  });
});
