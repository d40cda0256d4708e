/**
 * Specialization attributes the attribute tables may map (reference onem2m.md §3.4):
 * short name → whether it is executable. Kept here because the shared attribute dictionary
 * (`src/onem2m/resources/attribute-dictionary.ts`) does not list specializations yet.
 */
const EXEC = true;
const PLAIN = false;

export const SPECIALIZATION_ATTRIBUTES: ReadonlyMap<string, ReadonlyMap<string, boolean>> = new Map(
  Object.entries({
    firmware: { vr: PLAIN, fwn: PLAIN, url: PLAIN, ud: EXEC, uds: PLAIN },
    software: { vr: PLAIN, swn: PLAIN, url: PLAIN, in: EXEC, un: EXEC, ins: PLAIN, act: EXEC, dea: EXEC, acts: PLAIN },
    memory: { mma: PLAIN, mmt: PLAIN },
    areaNwkInfo: { ant: PLAIN, ldv: PLAIN },
    areaNwkDeviceInfo: { dvd: PLAIN, dvt: PLAIN, awi: PLAIN, sli: PLAIN, sld: PLAIN, ss: PLAIN, lnh: PLAIN },
    battery: { btl: PLAIN, bts: PLAIN },
    deviceInfo: {
      dlb: PLAIN, man: PLAIN, mfdl: PLAIN, mfd: PLAIN, mod: PLAIN, smod: PLAIN, dty: PLAIN, dvnm: PLAIN, fwv: PLAIN,
      swv: PLAIN, hwv: PLAIN, osv: PLAIN, cnty: PLAIN, loc: PLAIN, syst: PLAIN, spur: PLAIN, purl: PLAIN, ptl: PLAIN,
    },
    deviceCapability: { can: PLAIN, att: PLAIN, cas: PLAIN, cus: PLAIN, ena: EXEC, dis: EXEC },
    reboot: { rbo: EXEC, far: EXEC },
    eventLog: { lgt: PLAIN, lgd: PLAIN, lgst: PLAIN, lga: EXEC, lgo: EXEC },
    wifiClient: {
      ssid: PLAIN, wcrds: PLAIN, maca: PLAIN, chanl: PLAIN, cons: PLAIN, scan: EXEC, scanr: PLAIN, ud: EXEC, uds: PLAIN,
      trdst: EXEC, rdst: PLAIN,
    },
    mobileNetwork: {
      cnb: PLAIN, rss: PLAIN, liqu: PLAIN, ipad: PLAIN, ripa: PLAIN, apna: PLAIN, ceid: PLAIN, smnc: PLAIN, smcc: PLAIN,
      lac: PLAIN, coel: PLAIN,
    },
  }).map(([name, attributes]) => [name, new Map(Object.entries(attributes))]),
);
