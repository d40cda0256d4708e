import { fileURLToPath } from 'node:url';

/** Compiled entry points (this file runs from dist/bench/processes). */
const built = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export const PROXY_MAIN = built('../../src/main.js');
export const PROXY_PROBE = built('../targets/proxy-probe.js');
export const DM_PROXY_CLI = built('../../src/cli/dm-proxy.js');
export const LOAD_GENERATOR = built('../load/load-generator.js');
export const REGISTER_LOAD = built('../load/register-load.js');
export const BARE_EXPRESS = built('../targets/bare-express.js');
export const HTTP_ECHO = built('../targets/http-echo.js');
export const DM_SESSION_LOAD = built('../load/dm-session-load.js');
export const ECHO_SESSION_LOAD = built('../load/echo-session-load.js');
export const NODE_SEEDER = built('../seed/node-seeder.js');
