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

describe('the contract\'s documented answers', () => {
  const operations = [...contract.operations.values()];

  test.each(operations.filter(operation => operation.parameters.length > 0 || operation.object.requestBody)
    .map(operation => [operation.id, operation] as const))(
    'when %s validates parameters or a body, then it documents the 400 the router answers', (_id, operation) => {
      expect(Object.keys(operation.object.responses)).toContain('400');
    });

  test.each(operations.filter(operation => operation.security.length > 0)
    .map(operation => [operation.id, operation] as const))(
    'when %s needs a credential, then it documents 401 (and 403 for an API key\'s scope)', (_id, operation) => {
      const documented = Object.keys(operation.object.responses);

      expect(documented).toContain('401');
      if(operation.security.some(requirement => 'apiKey' in requirement)) {
        expect(documented).toContain('403');
      }
    });
});
