/**
 * DESIGN contract: a device becomes `<node>` `/<cseName>/<name>` where `<name>` is its id without a leading `urn:`,
 * characters outside `A-Za-z0-9._~:-` replaced by `_`. Names made only of dots (or nothing) would read as path steps, so they become `_`.
 */
export function nodeNameForDevice(deviceId: string): string {
  const name = deviceId.replace(/^urn:/i, '').replace(/[^A-Za-z0-9._~:-]/g, '_');
  return /^\.*$/.test(name) ? name.replace(/\./g, '_') || '_' : name;
}
