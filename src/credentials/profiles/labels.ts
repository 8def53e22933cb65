/**
 * The few fixed words a credential needs in its own language (the narrative's headings, the
 * assessment's title, the rendered image). English is the fallback for other languages.
 */

const LABELS = {
  en: {
    microCredential: 'Micro-credential', awardedTo: 'awarded to', issuedBy: 'Issued by',
    issuedOn: 'Date of issue', validUntil: 'Valid until', credits: 'ECTS credits',
    eqfLevel: 'EQF level', workload: 'Workload', hours: 'hours', assessment: 'Assessment',
    passed: 'Passed', grade: 'Grade', learningOutcomes: 'Learning outcomes',
    prerequisites: 'Prerequisites', studentNumber: 'Student number'
  },
  nl: {
    microCredential: 'Microcredential', awardedTo: 'toegekend aan', issuedBy: 'Uitgegeven door',
    issuedOn: 'Datum van uitgifte', validUntil: 'Geldig tot', credits: 'ECTS-studiepunten',
    eqfLevel: 'EQF-niveau', workload: 'Studielast', hours: 'uur', assessment: 'Beoordeling',
    passed: 'Behaald', grade: 'Cijfer', learningOutcomes: 'Leeruitkomsten',
    prerequisites: 'Toelatingseisen', studentNumber: 'Studentnummer'
  },
  de: {
    microCredential: 'Micro-Credential', awardedTo: 'verliehen an', issuedBy: 'Ausgestellt von',
    issuedOn: 'Ausstellungsdatum', validUntil: 'Gültig bis', credits: 'ECTS-Punkte',
    eqfLevel: 'EQR-Niveau', workload: 'Arbeitsaufwand', hours: 'Stunden', assessment: 'Prüfung',
    passed: 'Bestanden', grade: 'Note', learningOutcomes: 'Lernergebnisse',
    prerequisites: 'Voraussetzungen', studentNumber: 'Matrikelnummer'
  },
  fr: {
    microCredential: 'Microcertification', awardedTo: 'décernée à', issuedBy: 'Délivrée par',
    issuedOn: 'Date de délivrance', validUntil: 'Valable jusqu’au', credits: 'crédits ECTS',
    eqfLevel: 'Niveau CEC', workload: 'Charge de travail', hours: 'heures', assessment: 'Évaluation',
    passed: 'Réussi', grade: 'Note', learningOutcomes: 'Acquis d’apprentissage',
    prerequisites: 'Prérequis', studentNumber: 'Numéro d’étudiant'
  }
} as const;

/** The labels of one language. */
export type Labels = {readonly [K in keyof typeof LABELS.en]: string};

/**
 * The labels for a BCP 47 language (by its primary subtag; English if carecred has none).
 *
 * @returns the labels.
 */
export function labelsFor(language: string): Labels {
  const primary = language.split('-')[0]!.toLowerCase();
  return primary in LABELS ? LABELS[primary as keyof typeof LABELS] : LABELS.en;
}
