/** Devices remembered at most (the oldest go first; a forgotten one merely tries GET once more). */
const MAX_DEVICES = 100_000;

/**
 * Devices that answered GET with 405/406/501 and then served the read through HPUT: their reads go straight to HPUT.
 * Held in memory: after a restart each such device is tried with GET once more.
 */
export class GetUnsupportedDevices {
  private readonly devices = new Set<string>();

  has(devId: string): boolean {
    return this.devices.has(devId);
  }

  add(devId: string): void {
    this.devices.delete(devId);
    if (this.devices.size >= MAX_DEVICES) this.devices.delete(this.devices.values().next().value as string);
    this.devices.add(devId);
  }
}
