export { DataRepository, MAX_REPORTS_PER_SUBSCRIPTION, type RepositoryAnswer, type RepositoryData, RepositoryExpiredError, RepositoryFullError, type RepositoryLimits } from './data-repository.js';
export { serveRepository } from './repository-route.js';
