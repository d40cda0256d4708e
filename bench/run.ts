import { eightDevicesVersusOne } from './endpoint-parallelism.js';
import { proxyRetrieveVersusDirectRead } from './proxy-vs-direct.js';
import { tlvVersusJsonParse } from './tlv-vs-json.js';

/** `npm run bench`: one JSON line per scenario, each measured against a baseline in the same run (loopback only). */
const scenarios: Array<() => Promise<Record<string, unknown>>> = [
  () => proxyRetrieveVersusDirectRead(400),
  () => eightDevicesVersusOne(60),
  () => tlvVersusJsonParse(20_000),
];

for (const scenario of scenarios) console.log(JSON.stringify(await scenario()));
