import type { ResourceContent } from '../object-store.js';
import type { SimulatedObject } from './simulated-object.js';

/** /4 Connectivity Monitoring: a dual-stack LTE-FDD modem with two APNs and static readings. */
export function connectivityObject(): SimulatedObject {
  return {
    id: 4,
    defaults: () =>
      new Map<number, ResourceContent>([
        [0, 6], // LTE-FDD
        [1, new Map([[0, 6], [1, 7]])], // LTE-FDD, NB-IoT
        [2, -87], // dBm
        [3, 42],
        [4, new Map([[0, '10.11.12.13'], [1, '2001:db8:4::13']])], // dual-stack
        [5, new Map([[0, '10.11.12.1']])],
        [7, new Map([[0, 'iot.example.net'], [1, 'ims.example.net']])],
        [8, 44123],
        [9, 1],
        [10, 262],
        [12, 2301],
      ]),
  };
}
