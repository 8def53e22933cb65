/** The learners module: learners (minimal, erasable personal data) and their matching for issuing. */
export {learnerModels} from './model.js';
export {learnerHandlers} from './routes.js';
export {createLearnerService, type Learner, LearnerErased, type LearnerInput,
  type LearnerService, type LearnerWithIdentity, publicLearner} from './service.js';
