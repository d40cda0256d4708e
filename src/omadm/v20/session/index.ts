export { type Dm2CommandToQueue, Dm2CommandQueue, type QueuedDm2Command, SESSION_URI } from './command-queue.js';
export { dm2MgmtObjs, publishDm2Device } from './device-publication.js';
export { createDm2Endpoint, type Dm2EndpointDeps, reportTokenOf, reportUri } from './dm2-endpoint.js';
export { type Dm2Answer, type Dm2PackageContext, Dm2SessionEngine, type Dm2SessionEngineDeps } from './session-engine.js';
export { type Dm2SessionEvents, NO_DM2_EVENTS } from './session-events.js';
export { type Dm2SessionRecord, Dm2SessionStore } from './session-record.js';
export { Dm2SessionMetrics, type Dm2SessionOutcome } from './session-metrics.js';
