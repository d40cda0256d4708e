import { createLogger } from './core/logger.js';
import { loadSettings, startProxy } from './app.js';
import { StartupError } from './core/startup-error.js';

/** One log line saying why the proxy cannot start (shown whatever LOG_LEVEL says), then exit 1. */
function failStart(error: unknown): never {
  const log = createLogger('fatal');
  if (error instanceof StartupError) log.fatal(error.fields, error.message);
  else log.fatal({ err: error }, 'proxy failed to start');
  process.exit(1);
}

try {
  const settings = loadSettings();
  const logger = createLogger(settings.config.logLevel);
  const proxy = await startProxy(settings, logger);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    await proxy.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (error) {
  failStart(error);
}
