import type { TypeResolver } from '../formats/model.js';
import type { DeviceExchanges } from './device-channel.js';
import type { FormatPreferences } from './format-negotiation.js';

/** What the device operations share: the per-endpoint channel, the learned formats and the object models. */
export interface ManagementContext {
  channel: DeviceExchanges;
  formats: FormatPreferences;
  types: TypeResolver;
  isMultipleResource(objectId: number, resourceId: number): boolean;
}
