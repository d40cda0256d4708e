import { Agent, type IncomingMessage } from 'coap';
import { ContentFormat } from '../src/lwm2m/formats/index.js';
import { startTestProxy } from '../test/helpers/proxy-harness.js';
import { startSimulatedDevice } from '../src/sim/lwm2m/index.js';
import { ratios, timeSeries } from './stats.js';

function coapRead(agent: Agent, host: string, port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = agent.request({ hostname: host, port, pathname: path, method: 'GET', accept: ContentFormat.SENML_CBOR, confirmable: true });
    request.on('response', (response: IncomingMessage) => (response.code === '2.05' ? resolve() : reject(new Error(`direct read answered ${response.code}`))));
    request.on('error', reject);
    request.end();
  });
}

/**
 * Retrieve of deviceInfo through the whole proxy (HTTP → LwM2M Read → SenML CBOR decode → conversion → HTTP) against
 * a direct CoAP Read of /3/0 from the same simulated device: the cost the proxy adds to one device round trip.
 */
export async function proxyRetrieveVersusDirectRead(iterations: number): Promise<Record<string, unknown>> {
  const proxy = await startTestProxy({ LOG_LEVEL: 'silent' });
  const device = await startSimulatedDevice({ endpoint: 'urn:bench:device-1', server: { host: '127.0.0.1', port: proxy.coapPort } });
  const agent = new Agent({ type: 'udp4' });
  try {
    await device.register();
    const { address, port } = device.address();
    const direct = () => coapRead(agent, address, port, '/3/0');
    const viaProxy = async () => {
      const response = await proxy.request('GET', '/proxy/bench:device-1/deviceInfo', { headers: { Accept: 'application/json' } });
      await response.arrayBuffer();
      if (response.headers.get('x-m2m-rsc') !== '2000') throw new Error(`proxy answered ${response.headers.get('x-m2m-rsc')}`);
    };
    for (let i = 0; i < 30; i++) {
      await direct();
      await viaProxy();
    }
    const baseline = await timeSeries(iterations, direct);
    const subject = await timeSeries(iterations, viaProxy);
    return { scenario: 'proxy-retrieve-deviceInfo-vs-direct-coap-read', baseline, subject, ratio: ratios(subject, baseline) };
  } finally {
    agent.close();
    device.close();
    await proxy.stop(true);
  }
}
