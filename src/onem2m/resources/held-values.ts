/**
 * `<mgmtObj>`s whose values the proxy holds instead of a device: **staged** ones (written to a `<node>` no device has
 * bound yet: desired values, applied when a device binds) and **held** ones (a specialization the device's technology
 * maps no object to, e.g. a CMDH policy: stored and served, never sent). The marks live in `internal`, never on the wire;
 * the `staged` label shows the CSE which values are not the device's.
 */
import type { StoredResource } from '../../store/resource-store.js';

export const STAGED_LABEL = 'staged';
export const REFUSED_LABEL_PREFIX = 'staged-refused:';
/** A `<node>` no device registration stands behind. */
export const OFFLINE_LABEL = 'offline';

/** Desired values waiting for a device, by attribute short name; undefined when the mgmtObj is not staged. */
export function desiredValues(mgmtObj: StoredResource): Record<string, unknown> | undefined {
  const desired = mgmtObj.internal.desired;
  return typeof desired === 'object' && desired !== null ? (desired as Record<string, unknown>) : undefined;
}

export function isStaged(mgmtObj: StoredResource): boolean {
  return desiredValues(mgmtObj) !== undefined;
}

export function isHeld(mgmtObj: StoredResource): boolean {
  return mgmtObj.internal.held === true;
}

/** Whether a device (its technology module) stands behind the node: set when a device binds, never by a CSE. */
export function isDeviceBound(node: StoredResource): boolean {
  return typeof node.internal.protocol === 'string' && typeof node.internal.deviceId === 'string';
}

/** `labels` with `label` added once (labels the CSE wrote stay). */
export function withLabel(labels: unknown, label: string): string[] {
  const current = Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : [];
  return current.includes(label) ? current : [...current, label];
}

export function withoutLabels(labels: unknown, drop: (label: string) => boolean): string[] {
  return Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string' && !drop(l)) : [];
}
