import type { RequestHandler } from 'express';
import type { AccessPolicy } from './access-control.js';

/** The operator API under `/admin` answers only originators (X-M2M-Origin) that the access policy grants `admin`. */
export function adminGuard(access: AccessPolicy): RequestHandler {
  return (req, res, next) => {
    const originator = req.get('X-M2M-Origin');
    const denied = originator ? access.deniedReason(originator, 'admin') : 'the admin API needs an X-M2M-Origin header';
    if (denied) {
      res.status(403).json({ error: `forbidden: ${denied}` });
      return;
    }
    next();
  };
}
