/** The achievements module: recording achievements and issuing their credentials. */
export {achievementModels, type AchievementRecord} from './model.js';
export {achievementHandlers, toAchievementResource} from './routes.js';
export {type AchievementInput, type AchievementService, createAchievementService} from './service.js';
