/**
 * View models of the public pages, built from a verification report and a credential's facts in
 * the page language: the verdict (one headline out of a fixed set), every check in plain words,
 * and the rows a person reads. Pure functions; the templates only loop over what they return.
 */
import type {LocalizedText} from '../catalog/index.js';
import type {Check, CredentialReport, CredentialSummary, VerificationReport} from '../verification/index.js';
import type {CredentialFacts} from './facts.js';
import {checkText, type CheckTextContext, formatDate, formatDateTime, formatNumber, lookup, type Messages,
  messagesFor, type UiLanguage, type VerdictKind} from './i18n.js';

/** How a verdict looks: good, bad, or needing attention. */
export type Tone = 'ok' | 'bad' | 'warn' | 'info';

/** The headline of a result. */
export interface VerdictView {
  kind: VerdictKind;
  tone: Tone;
  title: string;
  text: string;
  /** A caution under the headline (an issuer not registered with carecred). */
  note?: string;
  /** "Checked on ..." */
  checkedAt?: string;
}

/** One check in plain words. */
export interface CheckView {
  id: string;
  name: string;
  state: 'passed' | 'failed' | 'warning' | 'skipped';
  stateLabel: string;
  text: string;
  /** Set when `text` is the engine's English message (no translation for this outcome). */
  textLang?: string;
  /** The engine's English message and details, for experts. */
  technical: string[];
}

/** One line of a description list. */
export interface Row {
  label: string;
  value: string;
  /** Language of `value` when it is the credential's own text. */
  lang?: string;
  /** ISO date for a `<time>` element. */
  datetime?: string;
}

/** A verified credential as the pages show it. */
export interface ResultView {
  verdict: VerdictView;
  checks: CheckView[];
  /** Rows of the credential's content (verifier page). */
  content: Row[];
  /** A caution above the content when the signature does not confirm it. */
  contentNote?: string;
  outcomes: LocalizedText[];
  /** The credentials of a presentation, each with its own result. */
  credentials?: ResultView[];
  presentationNote?: string;
}

const TONES: Record<VerdictKind, Tone> = {
  'valid': 'ok', 'revoked': 'bad', 'suspended': 'warn', 'expired': 'bad', 'not-yet-valid': 'warn',
  'invalid-signature': 'bad', 'status-unknown': 'warn', 'unknown-format': 'bad', 'invalid': 'bad',
  'share-not-found': 'warn', 'share-erased': 'warn', 'unsupported-link': 'warn', 'empty': 'info'
};

function failing(checks: Check[], id: string): Check | undefined {
  return checks.find(check => check.id === id && !check.passed && check.severity === 'error');
}

/**
 * The verdict of a set of checks: the most telling failure first (format, signature, revocation,
 * suspension, expiry, start of validity, unknown status), `invalid` for any other failure.
 *
 * @returns the verdict kind.
 */
export function verdictOf({checks, verified}: {checks: Check[]; verified: boolean}): VerdictKind {
  if(verified) {
    return 'valid';
  }
  const revocation = failing(checks, 'status.revocation');
  const suspension = failing(checks, 'status.suspension');
  const order: [VerdictKind, boolean][] = [
    ['unknown-format', !!failing(checks, 'format') || !!failing(checks, 'presentation.format')],
    ['invalid-signature', !!failing(checks, 'signature') || !!failing(checks, 'presentation.proof')],
    ['revoked', revocation?.code === 'status-revoked'],
    ['suspended', suspension?.code === 'status-suspended'],
    ['expired', !!failing(checks, 'validity.validUntil')],
    ['not-yet-valid', !!failing(checks, 'validity.validFrom')],
    ['status-unknown', !!revocation || !!suspension]
  ];
  return order.find(([, applies]) => applies)?.[0] ?? 'invalid';
}

/**
 * A verdict view of a kind.
 *
 * @returns the headline, explanation and tone in the language.
 */
export function verdictView({kind, language, checkedAt, note}: {
  kind: VerdictKind; language: UiLanguage; checkedAt?: Date; note?: string;
}): VerdictView {
  const t = messagesFor(language);
  const time = checkedAt && formatDateTime(checkedAt, language);
  return {kind, tone: TONES[kind], ...t.verdicts[kind], ...(note ? {note} : {}),
    ...(time ? {checkedAt: t.checkedAt(time)} : {})};
}

function checkState(check: Check): CheckView['state'] {
  return check.passed ? 'passed' : check.skipped ? 'skipped' :
    check.severity === 'warning' ? 'warning' : 'failed';
}

function checkContext(summary: CredentialSummary, language: UiLanguage): CheckTextContext {
  const t = messagesFor(language);
  return {issuerName: summary.issuerName, validFrom: formatDate(summary.validFrom, language),
    validUntil: formatDate(summary.validUntil, language),
    profileName: lookup(t.profileNames, summary.profile)};
}

/**
 * The checks in plain words.
 *
 * @returns one view per check, in report order.
 */
export function checkViews({checks, context, language}: {
  checks: Check[]; context: CheckTextContext; language: UiLanguage;
}): CheckView[] {
  const t = messagesFor(language);
  return checks.map(check => {
    const state = checkState(check);
    const translated = checkText({id: check.id, code: check.code, language, context});
    return {id: check.id, name: lookup(t.checkNames, check.id) ?? check.id, state,
      stateLabel: t.checkStates[state], text: translated ?? check.message,
      ...(translated ? {} : {textLang: 'en'}), technical: [check.message, ...check.details ?? []]};
  });
}

function dateRow(label: string, iso: string | undefined, language: UiLanguage): Row[] {
  const value = formatDate(iso, language);
  return value ? [{label, value, datetime: iso}] : [];
}

function textRow(label: string, text: LocalizedText | undefined): Row[] {
  return text ? [{label, value: text.text, lang: text.lang}] : [];
}

/**
 * Who and when: learner, issuer, date of issue and validity.
 *
 * @returns the rows that have a value.
 */
export function identityRows({summary, issuerName, language}: {
  summary: CredentialSummary; issuerName?: string; language: UiLanguage;
}): Row[] {
  const t = messagesFor(language);
  const issuer = issuerName ?? summary.issuerName;
  const validUntil = formatDate(summary.validUntil, language);
  return [
    ...summary.learnerName ? [{label: t.learner, value: summary.learnerName}] : [],
    ...issuer ? [{label: t.issuer, value: issuer}] : [],
    ...dateRow(t.issuedOn, summary.issuedAt ?? summary.validFrom, language),
    validUntil ? {label: t.validity, value: t.validUntilDate(validUntil), datetime: summary.validUntil} :
      {label: t.validity, value: t.noExpiry}
  ];
}

function participationValue(participation: CredentialFacts['participation'], t: Messages): string | undefined {
  if(!participation) {
    return undefined;
  }
  const known = participation.modes.map(mode => lookup(t.participationModes, mode))
    .filter((label): label is string => !!label);
  const labels = known.length ? known : participation.labels.map(label => label.text);
  return labels.length ? labels.join(', ') : undefined;
}

/**
 * The EU micro-credential facts: ECTS, EQF level, workload, assessment, participation, result.
 *
 * @returns the rows that have a value.
 */
export function factRows({facts, language}: {facts: CredentialFacts; language: UiLanguage}): Row[] {
  const t = messagesFor(language);
  const assessment = lookup(t.assessmentTypes, facts.assessment?.type);
  const participation = participationValue(facts.participation, t);
  return [
    ...facts.ectsCredits === undefined ? [] :
      [{label: t.ects, value: formatNumber(facts.ectsCredits, language)}],
    ...facts.eqfLevel === undefined ? [] : [{label: t.eqfLevel, value: String(facts.eqfLevel)}],
    ...facts.workloadHours === undefined ? [] :
      [{label: t.workload, value: t.hours(formatNumber(facts.workloadHours, language))}],
    ...assessment ? [{label: t.assessment, value: assessment}] :
      textRow(t.assessment, facts.assessment?.label),
    ...participation ? [{label: t.participation, value: participation}] : [],
    ...textRow(t.grade, facts.grade),
    ...dateRow(t.achievedOn, facts.awardedAt, language)
  ];
}

function contentRows({report, facts, language}: {
  report: CredentialReport; facts: CredentialFacts; language: UiLanguage;
}): Row[] {
  const t = messagesFor(language);
  const {summary} = report;
  const issuer = summary.issuerName && `${summary.issuerName} (${summary.issuerRegistered ?
    t.issuerRegistered : t.issuerUnregistered})`;
  const profile = lookup(t.profileNames, summary.profile);
  return [
    ...textRow(t.microCredential, facts.title),
    ...identityRows({summary, issuerName: issuer, language}),
    ...factRows({facts, language}),
    ...profile ? [{label: t.profile, value: profile}] : [],
    {label: t.securedAs, value: lookup(t.formats, report.format) ?? report.format}
  ];
}

/**
 * The result of one credential: verdict, checks in plain words, content.
 *
 * @param options.readFacts - reads the facts of the verified credential for the reader.
 * @returns the view.
 */
export function credentialResult({report, language, checkedAt, readFacts}: {
  report: CredentialReport; language: UiLanguage; checkedAt?: Date;
  readFacts: (credential: Record<string, unknown>) => CredentialFacts;
}): ResultView {
  const t = messagesFor(language);
  const kind = verdictOf(report);
  const unregistered = report.checks.some(check => check.id === 'issuer' && check.code === 'issuer-not-registered');
  const facts = report.credential ? readFacts(report.credential) : {outcomes: []};
  const unconfirmed = kind === 'invalid-signature' || kind === 'unknown-format';
  return {
    verdict: verdictView({kind, language, checkedAt, note: unregistered ? t.issuerNotRegistered : undefined}),
    ...(unconfirmed ? {contentNote: t.contentUnconfirmed} : {}),
    checks: checkViews({checks: report.checks, context: checkContext(report.summary, language), language}),
    content: report.credential ? contentRows({report, facts, language}) : [],
    outcomes: facts.outcomes
  };
}

/**
 * The result of a report: a credential, or a presentation with each of its credentials.
 *
 * @returns the view.
 */
export function resultView({report, language, checkedAt, readFacts}: {
  report: VerificationReport; language: UiLanguage; checkedAt?: Date;
  readFacts: (credential: Record<string, unknown>) => CredentialFacts;
}): ResultView {
  if(report.kind === 'credential') {
    return credentialResult({report, language, checkedAt, readFacts});
  }
  const credentials = report.credentials.map(credential =>
    credentialResult({report: credential, language, readFacts}));
  const own = verdictOf(report);
  const single = credentials.length === 1 && own === 'invalid' ? credentials[0]!.verdict.kind : own;
  return {
    verdict: verdictView({kind: single, language, checkedAt}),
    checks: checkViews({checks: report.checks, context: {}, language}),
    content: [], outcomes: [], credentials,
    presentationNote: messagesFor(language).presentationOf(credentials.length)
  };
}

/**
 * A result without a report (nothing to verify, an unknown share link, unreadable text).
 *
 * @returns the view with the verdict only.
 */
export function verdictOnly({kind, language}: {kind: VerdictKind; language: UiLanguage}): ResultView {
  return {verdict: verdictView({kind, language}), checks: [], content: [], outcomes: []};
}
