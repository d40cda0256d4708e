import type { OneM2MOperation } from '../../../core/device-adapter.js';
import { type DmRefusal, refusalReport as reportOf } from '../../common/refusal.js';

export { DmRefusal } from '../../common/refusal.js';

export function refusalReport(operation: OneM2MOperation, refusal: DmRefusal) {
  return reportOf('omadm13', operation, refusal);
}
