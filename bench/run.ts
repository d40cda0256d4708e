import { tlvVersusJsonParse } from './tlv-vs-json.js';

/** `npm run bench`: one JSON line per scenario, each measured against a baseline in the same run. */
const scenarios: Array<() => Promise<Record<string, unknown>>> = [() => tlvVersusJsonParse(20_000)];

for (const scenario of scenarios) console.log(JSON.stringify(await scenario()));
