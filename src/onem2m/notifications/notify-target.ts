/**
 * Where a result notification can go. This proxy speaks only the HTTP binding outward, so an `X-M2M-RTU` entry that
 * is an AE-ID, a CSE-ID or another binding's URL (mqtt://, coap://, ws://) cannot be reached: the caller gives it up.
 */
export type NotifyTarget = { url: URL } | { unreachable: string };

export function notifyTarget(target: string): NotifyTarget {
  if (!URL.canParse(target)) return { unreachable: 'not an http(s) URL (AE-ID, CSE-ID or relative address)' };
  const url = new URL(target);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { unreachable: `${url.protocol.slice(0, -1)} is not a binding this proxy sends on` };
  return { url };
}
