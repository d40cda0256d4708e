import express from 'express';

/**
 * The http-front-door baseline, a process of its own: a bare express app answering every GET with the JSON given as
 * argv[2] (serialised per request, as the proxy does) and the oneM2M response headers. Prints {"listening": port}.
 */
const body = JSON.parse(process.argv[2] ?? '') as unknown;
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/{*path}', (req, res) => {
  res.set({ 'X-M2M-RSC': '2000', 'X-M2M-RI': req.get('X-M2M-RI') ?? '' }).json(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: (server.address() as { port: number }).port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
