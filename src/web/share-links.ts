/**
 * What a share page offers for passing a credential on: a QR code of the share URL (rendered on
 * the server as inline SVG, so no script and no third party is involved) and LinkedIn's
 * "add to profile" link for a certification.
 */
import QRCode from 'qrcode';

/** LinkedIn's add-to-profile entry point (certifications). */
export const LINKEDIN_ADD_TO_PROFILE = 'https://www.linkedin.com/profile/add';

/**
 * Renders a QR code as an SVG element labelled by another element of the page.
 *
 * @param options.text - what the code holds (the share URL).
 * @param options.labelledBy - id of the element that names the image (its caption).
 * @returns the `<svg>` markup (from the qrcode library; the text is not in it as markup).
 */
export async function qrCodeSvg({text, labelledBy}: {text: string; labelledBy: string}): Promise<string> {
  if(!/^[A-Za-z][A-Za-z0-9_-]*$/.test(labelledBy)) {
    throw new TypeError('"labelledBy" must be an element id.');
  }
  const svg = await QRCode.toString(text, {type: 'svg', errorCorrectionLevel: 'M', margin: 2});
  return svg.replace('<svg ', `<svg role="img" aria-labelledby="${labelledBy}" class="qr" `);
}

/**
 * LinkedIn's "add to profile" URL for a certification.
 *
 * @param options.name - the certification's name (the unit title).
 * @param options.organizationName - the issuer's registered name.
 * @param options.issuedAt - date of issue.
 * @param options.validUntil - end of validity, if any.
 * @param options.certUrl - where LinkedIn links to (the share URL).
 * @param options.certId - the credential's id.
 * @returns the URL.
 */
export function linkedInAddToProfileUrl({name, organizationName, issuedAt, validUntil, certUrl, certId}: {
  name: string; organizationName: string; issuedAt: Date; validUntil?: Date; certUrl: string; certId: string;
}): string {
  const url = new URL(LINKEDIN_ADD_TO_PROFILE);
  const parameters: [string, string][] = [
    ['startTask', 'CERTIFICATION_NAME'], ['name', name], ['organizationName', organizationName],
    ['issueYear', String(issuedAt.getUTCFullYear())], ['issueMonth', String(issuedAt.getUTCMonth() + 1)],
    ...(validUntil ? [['expirationYear', String(validUntil.getUTCFullYear())],
      ['expirationMonth', String(validUntil.getUTCMonth() + 1)]] as [string, string][] : []),
    ['certUrl', certUrl], ['certId', certId]
  ];
  for(const [key, value] of parameters) {
    url.searchParams.set(key, value);
  }
  return url.toString();
}
