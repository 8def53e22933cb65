/** Routes of learners (thin: the contract validated the request; one service call; answer). */
import {defineHandlers} from '../platform/http/handler.js';
import {orgOf} from '../platform/http/principal.js';
import {type LearnerService, publicLearner} from './service.js';

/** Handlers of the `learners` operations. */
export function learnerHandlers({learners}: {learners: LearnerService}) {
  return defineHandlers({
    createLearner: async (req, res) => {
      const learner = await learners.createLearner({orgId: orgOf(req).orgId, input: req.body});
      res.status(201).json(publicLearner(learner));
    },
    listLearners: async (req, res) => {
      res.json(await learners.listLearners({orgId: orgOf(req).orgId, ...req.query}));
    },
    getLearner: async (req, res) => {
      const learner = await learners.getLearner({orgId: orgOf(req).orgId, learnerId: req.params.learnerId});
      res.json(publicLearner(learner));
    },
    updateLearner: async (req, res) => {
      res.json(publicLearner(await learners.updateLearner({
        orgId: orgOf(req).orgId, learnerId: req.params.learnerId, patch: req.body
      })));
    },
    eraseLearner: async (req, res) => {
      await learners.eraseLearner({orgId: orgOf(req).orgId, learnerId: req.params.learnerId});
      res.status(204).end();
    }
  });
}
