import type { ProxyConfig } from '../config.js';
export interface AccessPolicy {}
export function loadAccessPolicy(_config: ProxyConfig): AccessPolicy {
  return {};
}
