/**
 * The device protocols, written once: a status table `mappings/status/<protocol>.yaml` exists per entry, a `<node>`
 * records one of them, and each is served by one adapter of a technology module.
 */
export const PROTOCOLS = ['lwm2m', 'omadm13', 'omadm20'] as const;

export type Protocol = (typeof PROTOCOLS)[number];

export function isProtocol(text: string): text is Protocol {
  return (PROTOCOLS as readonly string[]).includes(text);
}
