/**
 * Every text of the public pages, in Dutch and English, in one place: the page chrome, the share
 * page, the verifier page, the verdicts, and the plain-word explanation of each verification
 * check (by check id and outcome code, see verification/types.ts). The Dutch table is typed as
 * the English one, so a text missing in either language does not compile.
 *
 * The page language follows the catalogue's rule (`lang`, else Accept-Language, then English,
 * then Dutch) over the two languages the pages have. Dates are shown in the Netherlands' time
 * zone, formatted per language.
 */
import {languagePreference, pickText} from '../catalog/index.js';

/** The languages the pages are written in. */
export const UI_LANGUAGES = ['nl', 'en'] as const;
export type UiLanguage = typeof UI_LANGUAGES[number];

/** The time zone dates are shown in (carecred's schools are Dutch). */
export const DISPLAY_TIME_ZONE = 'Europe/Amsterdam';

const LOCALES: Record<UiLanguage, string> = {nl: 'nl-NL', en: 'en-GB'};

/** What a check text may mention. */
export interface CheckTextContext {
  issuerName?: string;
  /** Formatted dates. */
  validFrom?: string;
  validUntil?: string;
  /** The profile's name (Open Badges 3.0, Europass). */
  profileName?: string;
}

type CheckText = string | ((context: CheckTextContext) => string);

/** The kinds of verdict a page shows. */
export type VerdictKind = 'valid' | 'revoked' | 'suspended' | 'expired' | 'not-yet-valid' |
  'invalid-signature' | 'status-unknown' | 'unknown-format' | 'invalid' | 'share-not-found' |
  'share-erased' | 'unsupported-link' | 'empty';

/** Names of standards and formats: the same in every language. */
const STANDARD_NAMES = {
  formats: {'vc-di': 'Data Integrity (JSON)', 'vc-jwt': 'JWT (VC-JOSE)'},
  profileNames: {ob3: 'Open Badges 3.0', edc: 'Europass Digital Credential'}
};

const en = {
  siteName: 'carecred',
  tagline: 'Verifiable micro-credentials in healthcare technology',
  skipToContent: 'Skip to content',
  languageNav: 'Language',
  languageNames: {nl: 'Nederlands', en: 'English'} as Record<UiLanguage, string>,
  footerVerify: 'Verify a credential',
  footerApi: 'API documentation',

  microCredential: 'Micro-credential',
  sharePageTitle: (unit: string, learner: string) => `${unit} — ${learner}`,
  learner: 'Learner',
  issuer: 'Issued by',
  issuedOn: 'Date of issue',
  achievedOn: 'Achieved on',
  validity: 'Validity',
  validUntilDate: (date: string) => `Valid until ${date}`,
  noExpiry: 'Does not expire',
  factsHeading: 'About this micro-credential',
  ects: 'ECTS credits',
  eqfLevel: 'EQF level',
  workload: 'Workload',
  hours: (hours: string) => `${hours} hours`,
  assessment: 'Assessment',
  participation: 'Form of participation',
  grade: 'Result',
  outcomes: 'Learning outcomes',
  profile: 'Kind of credential',
  securedAs: 'Secured as',
  ...STANDARD_NAMES,
  assessmentTypes: {
    exam: 'Written examination', oralExam: 'Oral examination', practical: 'Practical assessment',
    observation: 'Observation in practice', portfolio: 'Portfolio', project: 'Project work',
    assignment: 'Marked assignment', quiz: 'Quiz', peerAssessment: 'Peer assessment',
    selfAssessment: 'Self-assessment', continuousEvaluation: 'Continuous evaluation'
  },
  participationModes: {
    online: 'Online', onsite: 'On site', blended: 'Blended (online and on site)',
    workbased: 'including work experience'
  },
  downloadsHeading: 'Download the credential',
  downloadsHint: 'For a digital wallet or another verifier: the file is the credential exactly as issued.',
  downloadJson: 'Download as JSON (Data Integrity)',
  downloadJwt: 'Download as JWT (VC-JOSE)',
  shareHeading: 'Share',
  shareLink: 'Link to this page',
  qrCaption: 'QR code of the link to this page',
  linkedIn: 'Add to LinkedIn profile',
  opensLinkedIn: '(opens LinkedIn)',
  verifyThis: 'Check this credential on the verifier page',

  verdictHeading: 'Verification result',
  checkedAt: (dateTime: string) => `Checked on ${dateTime}.`,
  verdicts: {
    'valid': {title: 'Valid', text: 'The signature is genuine, the issuer has not revoked or suspended the credential, and it is within its validity period.'},
    'revoked': {title: 'Revoked', text: 'The issuer has revoked this credential. It is no longer valid.'},
    'suspended': {title: 'Suspended', text: 'The issuer has suspended this credential. It is not valid while the suspension lasts.'},
    'expired': {title: 'Expired', text: 'The validity period of this credential has ended.'},
    'not-yet-valid': {title: 'Not yet valid', text: 'The validity period of this credential has not started yet.'},
    'invalid-signature': {title: 'Invalid signature', text: 'The signature does not match: the credential was changed after it was issued, or it was not signed by its issuer. Do not rely on its content.'},
    'status-unknown': {title: 'Status unknown', text: 'Whether the issuer revoked or suspended this credential could not be checked, so it cannot be accepted as valid now. Try again later.'},
    'unknown-format': {title: 'Unknown format', text: 'This is not a verifiable credential that carecred can read, or it does not follow the W3C data model.'},
    'invalid': {title: 'Not valid', text: 'One or more checks failed; the list below says which.'},
    'share-not-found': {title: 'Share link not found', text: 'This share link does not exist, or the organisation withdrew it. Ask the learner for a new link or for the credential itself.'},
    'share-erased': {title: 'No longer available', text: 'The credential behind this link was removed from carecred at the learner\'s request. Ask the learner for the credential itself.'},
    'unsupported-link': {title: 'Unknown link', text: 'Only carecred share links (…/c/…) can be opened here. Paste the credential itself instead.'},
    'empty': {title: 'Nothing to check', text: 'Paste a credential or a share link first.'}
  } satisfies Record<VerdictKind, {title: string; text: string}>,
  issuerNotRegistered: 'The issuer is not registered with carecred: its name is shown as the credential states it. Make sure you know who the issuer is.',
  presentationOf: (count: number) => `This is a presentation holding ${count} credential${count === 1 ? '' : 's'}; each is checked below.`,
  credentialNumber: (n: number) => `Credential ${n}`,
  checksHeading: 'What was checked',
  checkStates: {passed: 'Passed', failed: 'Failed', warning: 'Warning', skipped: 'Not checked'},
  technicalDetails: 'Technical details (in English)',
  checkNames: {
    'format': 'Format', 'signature': 'Signature', 'issuer': 'Issuer',
    'status.revocation': 'Revocation', 'status.suspension': 'Suspension',
    'validity.validFrom': 'Start of validity', 'validity.validUntil': 'End of validity',
    'schema': 'Schema', 'presentation.format': 'Presentation format',
    'presentation.proof': 'Holder\'s signature', 'presentation.challenge': 'Challenge',
    'presentation.domain': 'Domain'
  },
  checkTexts: {
    'skipped-after-failure': 'Not checked, because an earlier check failed.',
    'format conforming': 'It is a W3C Verifiable Credential in a format carecred can check.',
    'format data-model-violation': 'It does not follow the rules of the W3C Verifiable Credentials data model.',
    'format unparseable': 'It could not be read as a credential.',
    'signature-valid': 'The issuer\'s digital signature is genuine: nothing was changed after issuing.',
    'signature-invalid': 'The digital signature does not match the content: it was changed after issuing, or signed with another key.',
    'key-not-found': 'The key that made the signature could not be found with the issuer.',
    'key-not-authorized': 'The signing key is not one the signer uses for this purpose.',
    'key-not-issuer': 'The credential was signed with a key of someone other than its issuer.',
    'proof-purpose-invalid': 'The signature was made for another purpose.',
    'proof-type-unsupported': 'carecred does not support this kind of signature.',
    'alg-not-allowed': 'The signature algorithm is not accepted.',
    'kid-missing': 'The signature does not say which key made it.',
    'kid-not-signer': 'The signing key does not belong to the signer.',
    'alg-key-mismatch': 'The signature algorithm does not fit the key.',
    'issuer-registered': (c: CheckTextContext) => `The issuer${c.issuerName ? `, ${c.issuerName},` : ''} is registered with carecred.`,
    'issuer-not-registered': 'The issuer\'s identity (DID) could be looked up, but the issuer is not registered with carecred.',
    'issuer-not-did': 'The issuer is not identified by a DID, so who issued it cannot be checked.',
    'issuer-unresolvable': 'The issuer\'s identity (DID) could not be looked up.',
    'status-not-revoked': 'The issuer has not revoked the credential.',
    'status-revoked': 'The issuer has revoked the credential.',
    'status.revocation status-unknown': 'Whether the credential was revoked could not be checked.',
    'status.revocation status-none': 'The issuer cannot revoke this credential (it has no revocation list).',
    'status-not-suspended': 'The credential is not suspended.',
    'status-suspended': 'The issuer has suspended the credential.',
    'status.suspension status-unknown': 'Whether the credential is suspended could not be checked.',
    'status.suspension status-none': 'The issuer cannot suspend this credential (it has no suspension list).',
    'valid-from': (c: CheckTextContext) => c.validFrom ? `Valid since ${c.validFrom}.` : 'Its validity has started.',
    'no-valid-from': 'It states no start of validity.',
    'not-yet-valid': (c: CheckTextContext) => c.validFrom ? `Not valid yet: valid from ${c.validFrom}.` : 'Not valid yet.',
    'not-expired': (c: CheckTextContext) => c.validUntil ? `Valid until ${c.validUntil}.` : 'It has not expired.',
    'no-expiry': 'It does not expire.',
    'expired': (c: CheckTextContext) => c.validUntil ? `Expired on ${c.validUntil}.` : 'It has expired.',
    'schema-valid': (c: CheckTextContext) => `It matches the official schema${c.profileName ? ` of ${c.profileName}` : ''}.`,
    'schema-invalid': (c: CheckTextContext) => `It does not match the official schema${c.profileName ? ` of ${c.profileName}` : ''}.`,
    'schema-skipped': 'The schema was not checked.',
    'schema-not-applicable': 'No official schema applies to this kind of credential.',
    'schema-unavailable': 'The schema check could not be done.',
    'presentation.format conforming': 'The presentation follows the W3C Verifiable Credentials data model.',
    'presentation.format data-model-violation': 'The presentation does not follow the W3C Verifiable Credentials data model.',
    'proof-valid': 'The holder\'s signature on the presentation is genuine.',
    'holder-missing': 'The presentation does not say who presents it.',
    'holder-mismatch': 'The presentation was signed by someone other than its holder.',
    'challenge-matches': 'The challenge matches.',
    'challenge-mismatch': 'The presentation was made for another challenge (it may be replayed).',
    'challenge-not-checked': 'No challenge was expected, so a replayed presentation cannot be ruled out.',
    'domain-matches': 'The domain matches.',
    'domain-mismatch': 'The presentation was made for another domain.',
    'domain-none': 'The presentation names no domain.',
    'domain-not-checked': 'The presentation names a domain, but none was expected.'
  } satisfies Record<string, CheckText>,

  verifyTitle: 'Verify a credential',
  verifyIntro: 'Check whether a micro-credential is genuine and valid, without an account. carecred checks it on its server and does not keep it.',
  verifyFormHeading: 'Credential to check',
  inputLabel: 'Credential or share link',
  inputHint: 'Paste the credential (JSON or JWT) or a carecred share link (…/c/…).',
  fileLabel: 'Or choose a file',
  dropHint: 'You can also drag a file onto the text box.',
  submit: 'Verify',
  busy: 'Checking…',
  networkError: 'The check could not be done: the server did not answer. Try again.',
  fileTooLarge: 'This file is too large (at most 2 MB).',
  fileUnreadable: 'This file could not be read.',
  contentHeading: 'Content of the credential',
  contentUnconfirmed: 'This is what the document says; without a valid signature none of it is confirmed.',
  issuerRegistered: 'registered with carecred',
  issuerUnregistered: 'not registered with carecred',

  notFoundTitle: 'Page not found',
  notFoundText: 'This share link does not exist, or the organisation withdrew it. Ask the learner for a new link.',
  goneTitle: 'Credential no longer available',
  goneText: 'The credential behind this link was removed from carecred at the learner\'s request. It stays valid wherever the learner keeps it: ask them for the credential itself.',
  toVerifier: 'Go to the verifier page'
};

/** The texts of one language. */
export type Messages = typeof en;

const nl: Messages = {
  siteName: 'carecred',
  tagline: 'Verifieerbare microcredentials in zorgtechnologie',
  skipToContent: 'Naar de inhoud',
  languageNav: 'Taal',
  languageNames: {nl: 'Nederlands', en: 'English'},
  footerVerify: 'Een credential controleren',
  footerApi: 'API-documentatie',

  microCredential: 'Microcredential',
  sharePageTitle: (unit, learner) => `${unit} — ${learner}`,
  learner: 'Deelnemer',
  issuer: 'Uitgegeven door',
  issuedOn: 'Datum van uitgifte',
  achievedOn: 'Behaald op',
  validity: 'Geldigheid',
  validUntilDate: date => `Geldig tot ${date}`,
  noExpiry: 'Verloopt niet',
  factsHeading: 'Over deze microcredential',
  ects: 'ECTS-studiepunten',
  eqfLevel: 'EQF-niveau',
  workload: 'Studielast',
  hours: hours => `${hours} uur`,
  assessment: 'Beoordeling',
  participation: 'Vorm van deelname',
  grade: 'Resultaat',
  outcomes: 'Leeruitkomsten',
  profile: 'Soort credential',
  securedAs: 'Beveiligd als',
  ...STANDARD_NAMES,
  assessmentTypes: {
    exam: 'Schriftelijk examen', oralExam: 'Mondeling examen', practical: 'Praktijkbeoordeling',
    observation: 'Observatie in de praktijk', portfolio: 'Portfolio', project: 'Projectopdracht',
    assignment: 'Beoordeelde opdracht', quiz: 'Quiz', peerAssessment: 'Beoordeling door medestudenten',
    selfAssessment: 'Zelfbeoordeling', continuousEvaluation: 'Doorlopende beoordeling'
  },
  participationModes: {
    online: 'Online', onsite: 'Op locatie', blended: 'Gemengd (online en op locatie)',
    workbased: 'met werkervaring'
  },
  downloadsHeading: 'De credential downloaden',
  downloadsHint: 'Voor een digitale wallet of een andere verificateur: het bestand is de credential precies zoals hij is uitgegeven.',
  downloadJson: 'Downloaden als JSON (Data Integrity)',
  downloadJwt: 'Downloaden als JWT (VC-JOSE)',
  shareHeading: 'Delen',
  shareLink: 'Link naar deze pagina',
  qrCaption: 'QR-code van de link naar deze pagina',
  linkedIn: 'Toevoegen aan LinkedIn-profiel',
  opensLinkedIn: '(opent LinkedIn)',
  verifyThis: 'Deze credential controleren op de controlepagina',

  verdictHeading: 'Resultaat van de controle',
  checkedAt: dateTime => `Gecontroleerd op ${dateTime}.`,
  verdicts: {
    'valid': {title: 'Geldig', text: 'De handtekening is echt, de uitgever heeft de credential niet ingetrokken of geschorst, en hij valt binnen de geldigheidsperiode.'},
    'revoked': {title: 'Ingetrokken', text: 'De uitgever heeft deze credential ingetrokken. Hij is niet meer geldig.'},
    'suspended': {title: 'Geschorst', text: 'De uitgever heeft deze credential geschorst. Zolang de schorsing duurt, is hij niet geldig.'},
    'expired': {title: 'Verlopen', text: 'De geldigheidsperiode van deze credential is voorbij.'},
    'not-yet-valid': {title: 'Nog niet geldig', text: 'De geldigheidsperiode van deze credential is nog niet begonnen.'},
    'invalid-signature': {title: 'Ongeldige handtekening', text: 'De handtekening klopt niet: de credential is na uitgifte veranderd, of niet door de uitgever ondertekend. Vertrouw de inhoud niet.'},
    'status-unknown': {title: 'Status onbekend', text: 'Of de uitgever deze credential heeft ingetrokken of geschorst, kon niet worden nagegaan. Daarom kan hij nu niet als geldig gelden. Probeer het later opnieuw.'},
    'unknown-format': {title: 'Onbekend formaat', text: 'Dit is geen verifieerbare credential die carecred kan lezen, of hij volgt het W3C-datamodel niet.'},
    'invalid': {title: 'Niet geldig', text: 'Een of meer controles zijn mislukt; de lijst hieronder zegt welke.'},
    'share-not-found': {title: 'Deellink niet gevonden', text: 'Deze deellink bestaat niet, of de organisatie heeft hem ingetrokken. Vraag de deelnemer om een nieuwe link of om de credential zelf.'},
    'share-erased': {title: 'Niet meer beschikbaar', text: 'De credential achter deze link is op verzoek van de deelnemer uit carecred verwijderd. Vraag de deelnemer om de credential zelf.'},
    'unsupported-link': {title: 'Onbekende link', text: 'Hier kunnen alleen deellinks van carecred (…/c/…) worden geopend. Plak in plaats daarvan de credential zelf.'},
    'empty': {title: 'Niets te controleren', text: 'Plak eerst een credential of een deellink.'}
  },
  issuerNotRegistered: 'De uitgever is niet bij carecred geregistreerd: de naam staat er zoals de credential hem noemt. Ga na wie de uitgever is.',
  presentationOf: count => `Dit is een presentatie met ${count} credential${count === 1 ? '' : 's'}; elke credential wordt hieronder gecontroleerd.`,
  credentialNumber: n => `Credential ${n}`,
  checksHeading: 'Wat er is gecontroleerd',
  checkStates: {passed: 'In orde', failed: 'Niet in orde', warning: 'Let op', skipped: 'Niet gecontroleerd'},
  technicalDetails: 'Technische details (in het Engels)',
  checkNames: {
    'format': 'Formaat', 'signature': 'Handtekening', 'issuer': 'Uitgever',
    'status.revocation': 'Intrekking', 'status.suspension': 'Schorsing',
    'validity.validFrom': 'Begin van de geldigheid', 'validity.validUntil': 'Einde van de geldigheid',
    'schema': 'Schema', 'presentation.format': 'Formaat van de presentatie',
    'presentation.proof': 'Handtekening van de houder', 'presentation.challenge': 'Challenge',
    'presentation.domain': 'Domein'
  },
  checkTexts: {
    'skipped-after-failure': 'Niet gecontroleerd, omdat een eerdere controle is mislukt.',
    'format conforming': 'Het is een W3C Verifiable Credential in een formaat dat carecred kan controleren.',
    'format data-model-violation': 'Het volgt de regels van het W3C-datamodel voor Verifiable Credentials niet.',
    'format unparseable': 'Het kon niet als credential worden gelezen.',
    'signature-valid': 'De digitale handtekening van de uitgever is echt: na uitgifte is er niets veranderd.',
    'signature-invalid': 'De digitale handtekening past niet bij de inhoud: die is na uitgifte veranderd, of met een andere sleutel ondertekend.',
    'key-not-found': 'De sleutel waarmee is ondertekend, is niet bij de uitgever gevonden.',
    'key-not-authorized': 'De sleutel is er niet een die de ondertekenaar hiervoor gebruikt.',
    'key-not-issuer': 'De credential is ondertekend met een sleutel van een ander dan de uitgever.',
    'proof-purpose-invalid': 'De handtekening is voor een ander doel gezet.',
    'proof-type-unsupported': 'carecred ondersteunt dit soort handtekening niet.',
    'alg-not-allowed': 'Het algoritme van de handtekening wordt niet geaccepteerd.',
    'kid-missing': 'De handtekening vermeldt niet met welke sleutel ze is gezet.',
    'kid-not-signer': 'De sleutel hoort niet bij de ondertekenaar.',
    'alg-key-mismatch': 'Het algoritme van de handtekening past niet bij de sleutel.',
    'issuer-registered': c => `De uitgever${c.issuerName ? `, ${c.issuerName},` : ''} is geregistreerd bij carecred.`,
    'issuer-not-registered': 'De identiteit (DID) van de uitgever kon worden opgezocht, maar de uitgever is niet bij carecred geregistreerd.',
    'issuer-not-did': 'De uitgever wordt niet met een DID aangeduid, dus wie hem heeft uitgegeven kan niet worden nagegaan.',
    'issuer-unresolvable': 'De identiteit (DID) van de uitgever kon niet worden opgezocht.',
    'status-not-revoked': 'De uitgever heeft de credential niet ingetrokken.',
    'status-revoked': 'De uitgever heeft de credential ingetrokken.',
    'status.revocation status-unknown': 'Of de credential is ingetrokken, kon niet worden nagegaan.',
    'status.revocation status-none': 'De uitgever kan deze credential niet intrekken (er is geen intrekkingslijst).',
    'status-not-suspended': 'De credential is niet geschorst.',
    'status-suspended': 'De uitgever heeft de credential geschorst.',
    'status.suspension status-unknown': 'Of de credential is geschorst, kon niet worden nagegaan.',
    'status.suspension status-none': 'De uitgever kan deze credential niet schorsen (er is geen schorsingslijst).',
    'valid-from': c => c.validFrom ? `Geldig sinds ${c.validFrom}.` : 'De geldigheid is begonnen.',
    'no-valid-from': 'Er staat geen begin van de geldigheid in.',
    'not-yet-valid': c => c.validFrom ? `Nog niet geldig: geldig vanaf ${c.validFrom}.` : 'Nog niet geldig.',
    'not-expired': c => c.validUntil ? `Geldig tot ${c.validUntil}.` : 'Hij is niet verlopen.',
    'no-expiry': 'Hij verloopt niet.',
    'expired': c => c.validUntil ? `Verlopen op ${c.validUntil}.` : 'Hij is verlopen.',
    'schema-valid': c => `Hij voldoet aan het officiële schema${c.profileName ? ` van ${c.profileName}` : ''}.`,
    'schema-invalid': c => `Hij voldoet niet aan het officiële schema${c.profileName ? ` van ${c.profileName}` : ''}.`,
    'schema-skipped': 'Het schema is niet gecontroleerd.',
    'schema-not-applicable': 'Voor dit soort credential is er geen officieel schema.',
    'schema-unavailable': 'De controle van het schema kon niet worden gedaan.',
    'presentation.format conforming': 'De presentatie volgt het W3C-datamodel voor Verifiable Credentials.',
    'presentation.format data-model-violation': 'De presentatie volgt het W3C-datamodel voor Verifiable Credentials niet.',
    'proof-valid': 'De handtekening van de houder op de presentatie is echt.',
    'holder-missing': 'De presentatie vermeldt niet wie haar aanbiedt.',
    'holder-mismatch': 'De presentatie is ondertekend door een ander dan de houder.',
    'challenge-matches': 'De challenge klopt.',
    'challenge-mismatch': 'De presentatie is voor een andere challenge gemaakt (ze kan opnieuw zijn afgespeeld).',
    'challenge-not-checked': 'Er werd geen challenge verwacht, dus een opnieuw afgespeelde presentatie is niet uit te sluiten.',
    'domain-matches': 'Het domein klopt.',
    'domain-mismatch': 'De presentatie is voor een ander domein gemaakt.',
    'domain-none': 'De presentatie noemt geen domein.',
    'domain-not-checked': 'De presentatie noemt een domein, maar er werd er geen verwacht.'
  },

  verifyTitle: 'Een credential controleren',
  verifyIntro: 'Controleer of een microcredential echt en geldig is, zonder account. carecred controleert hem op de server en bewaart hem niet.',
  verifyFormHeading: 'Te controleren credential',
  inputLabel: 'Credential of deellink',
  inputHint: 'Plak de credential (JSON of JWT) of een deellink van carecred (…/c/…).',
  fileLabel: 'Of kies een bestand',
  dropHint: 'U kunt een bestand ook naar het tekstvak slepen.',
  submit: 'Controleren',
  busy: 'Bezig met controleren…',
  networkError: 'De controle kon niet worden gedaan: de server antwoordde niet. Probeer het opnieuw.',
  fileTooLarge: 'Dit bestand is te groot (hoogstens 2 MB).',
  fileUnreadable: 'Dit bestand kon niet worden gelezen.',
  contentHeading: 'Inhoud van de credential',
  contentUnconfirmed: 'Dit staat in het document; zonder geldige handtekening is niets ervan bevestigd.',
  issuerRegistered: 'geregistreerd bij carecred',
  issuerUnregistered: 'niet geregistreerd bij carecred',

  notFoundTitle: 'Pagina niet gevonden',
  notFoundText: 'Deze deellink bestaat niet, of de organisatie heeft hem ingetrokken. Vraag de deelnemer om een nieuwe link.',
  goneTitle: 'Credential niet meer beschikbaar',
  goneText: 'De credential achter deze link is op verzoek van de deelnemer uit carecred verwijderd. Hij blijft geldig waar de deelnemer hem bewaart: vraag om de credential zelf.',
  toVerifier: 'Naar de controlepagina'
};

const MESSAGES: Record<UiLanguage, Messages> = {nl, en};

/**
 * The page language for a reader: the catalogue's preference order over the pages' languages.
 *
 * @param options.lang - the `lang` query parameter (wins when present).
 * @param options.acceptLanguage - the Accept-Language header.
 * @returns `nl` or `en`.
 */
export function chooseLanguage({lang, acceptLanguage}: {lang?: string; acceptLanguage?: string}):
  UiLanguage {
  const preference = languagePreference({lang, acceptLanguage});
  return pickText({en: 'en', nl: 'nl'}, preference).lang as UiLanguage;
}

/**
 * The order in which a credential's own texts are picked: the page language first, then the
 * reader's other languages and the catalogue's fallbacks.
 *
 * @returns language tags, most wanted first.
 */
export function textPreference({language, lang, acceptLanguage}: {
  language: UiLanguage; lang?: string; acceptLanguage?: string;
}): string[] {
  return [language, ...languagePreference({lang, acceptLanguage}).filter(tag => tag !== language)];
}

/**
 * Looks a key up in one of the message maps (assessment types, check names, ...).
 *
 * @returns the text, or undefined for a key the map does not have.
 */
export function lookup(map: object, key: string | undefined): string | undefined {
  const value = key === undefined ? undefined : (map as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The texts of a language.
 *
 * @returns the message table.
 */
export function messagesFor(language: UiLanguage): Messages {
  return MESSAGES[language];
}

function parseDate(iso: string | Date | undefined): Date | undefined {
  const date = iso === undefined ? undefined : new Date(iso);
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/**
 * A date as a reader of the language writes it (`1 mei 2026`, `1 May 2026`).
 *
 * @returns the formatted date, or undefined for a missing or unreadable date.
 */
export function formatDate(iso: string | Date | undefined, language: UiLanguage): string | undefined {
  const date = parseDate(iso);
  return date && new Intl.DateTimeFormat(LOCALES[language], {day: 'numeric', month: 'long',
    year: 'numeric', timeZone: DISPLAY_TIME_ZONE}).format(date);
}

/**
 * A date and time (for "checked on").
 *
 * @returns the formatted date and time, or undefined for a missing or unreadable date.
 */
export function formatDateTime(iso: string | Date | undefined, language: UiLanguage): string | undefined {
  const date = parseDate(iso);
  return date && new Intl.DateTimeFormat(LOCALES[language], {dateStyle: 'long', timeStyle: 'short',
    timeZone: DISPLAY_TIME_ZONE}).format(date);
}

/**
 * A number as a reader of the language writes it (`1,5` in Dutch).
 *
 * @returns the formatted number.
 */
export function formatNumber(value: number, language: UiLanguage): string {
  return new Intl.NumberFormat(LOCALES[language], {maximumFractionDigits: 2}).format(value);
}

/**
 * The plain-word text of a check outcome: by check id and code, then by code alone.
 *
 * @returns the text, or undefined for an outcome this table does not know (the page then shows
 *   the engine's English message).
 */
export function checkText({id, code, language, context}: {
  id: string; code: string; language: UiLanguage; context: CheckTextContext;
}): string | undefined {
  const texts = MESSAGES[language].checkTexts as Record<string, CheckText>;
  const text = texts[`${id} ${code}`] ?? texts[code];
  return typeof text === 'function' ? text(context) : text;
}
