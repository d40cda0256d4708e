import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startProxy } from './app.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);

try {
  const proxy = await startProxy(config, logger);
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
} catch (err) {
  logger.fatal({ err }, 'proxy failed to start');
  process.exit(1);
}
