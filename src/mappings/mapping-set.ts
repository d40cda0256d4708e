import type { StatusLookup, StatusTableView } from './status-tables.js';
import { classOf } from './status-tables.js';
import type { Lwm2mMgmtObjMapping, MappingSet, OmadmMgmtObjMapping, StatusMapping, StatusProtocol } from './types.js';

/** oneM2M operation names the LwM2M table answers under its own names, and the other way round. */
const OPERATION_ALIASES: Record<StatusProtocol, Record<string, string>> = {
  lwm2m: { retrieve: 'read', update: 'write' },
  omadm13: { read: 'retrieve', write: 'update' },
  omadm20: { read: 'retrieve', write: 'update' },
};

export interface MappingSetParts {
  profile: string;
  profiles: string[];
  status: Map<StatusProtocol, Map<string, StatusLookup>>;
  statusViews: StatusTableView[];
  lwm2m: Lwm2mMgmtObjMapping[];
  omadm: OmadmMgmtObjMapping[];
}

/** One validated, immutable set of tables; hot reload replaces the whole set. */
export class LoadedMappingSet implements MappingSet {
  readonly profile: string;
  /** Every profile the vocabulary offers. */
  readonly profiles: readonly string[];
  readonly statusViews: readonly StatusTableView[];
  readonly lwm2mObjects: readonly Lwm2mMgmtObjMapping[];
  readonly omadmObjects: readonly OmadmMgmtObjMapping[];
  private readonly statusTables: Map<StatusProtocol, Map<string, StatusLookup>>;
  private readonly lwm2mByName: Map<string, Lwm2mMgmtObjMapping>;
  private readonly lwm2mByObject = new Map<number, readonly Lwm2mMgmtObjMapping[]>();
  private readonly omadmByName: Map<string, OmadmMgmtObjMapping>;

  constructor(parts: MappingSetParts) {
    this.profile = parts.profile;
    this.profiles = parts.profiles;
    this.statusViews = parts.statusViews;
    this.lwm2mObjects = parts.lwm2m;
    this.omadmObjects = parts.omadm;
    this.statusTables = parts.status;
    for (const [protocol, tables] of this.statusTables) {
      for (const [alias, operation] of Object.entries(OPERATION_ALIASES[protocol])) {
        const table = tables.get(operation);
        if (table && !tables.has(alias)) tables.set(alias, table);
      }
    }
    this.lwm2mByName = new Map(parts.lwm2m.map((m) => [m.mgmtObj, m]));
    for (const objectId of new Set(parts.lwm2m.map((m) => m.objectId))) {
      this.lwm2mByObject.set(objectId, Object.freeze(parts.lwm2m.filter((m) => m.objectId === objectId)));
    }
    this.omadmByName = new Map(parts.omadm.map((m) => [m.mgmtObj, m]));
  }

  /** Whether `status()` answers this protocol/operation pair (it throws otherwise). */
  hasStatusTable(protocol: string, operation: string): boolean {
    return this.statusTables.get(protocol as StatusProtocol)?.has(operation) ?? false;
  }

  status(protocol: StatusProtocol, operation: string, code: string): StatusMapping {
    const table = this.statusTables.get(protocol)?.get(operation);
    if (!table) throw new Error(`no ${protocol} status table for operation "${operation}"`);
    return table.exact.get(code) ?? table.byClass.get(classOf(code)) ?? table.fallback;
  }

  lwm2mByMgmtObj(mgmtObj: string): Lwm2mMgmtObjMapping | undefined {
    return this.lwm2mByName.get(mgmtObj);
  }

  lwm2mByObjectId(objectId: number): readonly Lwm2mMgmtObjMapping[] {
    return this.lwm2mByObject.get(objectId) ?? [];
  }

  omadmByMgmtObj(mgmtObj: string): OmadmMgmtObjMapping | undefined {
    return this.omadmByName.get(mgmtObj);
  }
}
