import {loadContract} from './contract.js';

const contract = loadContract();

describe('bodyValidator', () => {
  const validateUnit = contract.bodyValidator('createUnit', 'application/json')!;
  const unit = (ectsCredits: number) => ({
    title: {en: 'Video care'}, description: {en: 'Remote care by video call.'},
    learningOutcomes: [{text: {en: 'Carries out a video care contact safely.'}}],
    workloadHours: 28, ectsCredits, assessmentType: 'practical', participationForm: {mode: 'online'},
    qualityAssurance: {en: 'Internal examination board.'}
  });

  test.each([0.29, 1.1, 2.3, 38.69, 59.99])(
    'when ectsCredits is %s (two decimals, which binary floating point cannot hold exactly), then it is valid',
    ectsCredits => {
      expect(validateUnit(unit(ectsCredits))).toBe(true);
    });

  test.each([0.001, 2.345])('when ectsCredits is %s (more than two decimals), then it is invalid', ectsCredits => {
    expect(validateUnit(unit(ectsCredits))).toBe(false);
    expect(validateUnit.errors?.[0]?.keyword).toBe('multipleOf');
  });
});
