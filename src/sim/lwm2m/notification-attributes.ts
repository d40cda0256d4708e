import type { Lwm2mPath } from '../../lwm2m/formats/model.js';
import { formatPath } from '../../lwm2m/formats/path.js';

/** The periods that decide when an observation notifies, in seconds. */
export interface NotificationPeriods {
  pmin?: number;
  pmax?: number;
}

/**
 * Attributes set by Write-Attributes, by the path they were written on. Discover reports them per path;
 * an observation uses the ones in effect for its path, each looked up from the path upwards (a resource
 * instance's or resource's own value overrides its instance's, which overrides its object's).
 */
export class NotificationAttributes {
  private readonly byPath = new Map<string, Map<string, string>>();

  constructor(private readonly changed: () => void) {}

  /** Sets (`value` given) or removes (`value` undefined) attributes on one path. */
  write(path: Lwm2mPath, changes: ReadonlyArray<[string, string | undefined]>): void {
    const key = formatPath(path);
    const current = this.byPath.get(key) ?? new Map<string, string>();
    for (const [name, value] of changes) {
      if (value === undefined) current.delete(name);
      else current.set(name, value);
    }
    this.byPath.set(key, current);
    this.changed();
  }

  /** The attributes written on exactly this path (what Discover shows). */
  at(path: Lwm2mPath): Record<string, string> {
    return Object.fromEntries(this.byPath.get(formatPath(path)) ?? []);
  }

  /** pmin and pmax in effect for an observation of `path`; a pmax not above pmin is ignored, as LwM2M says. */
  periods(path: Lwm2mPath): NotificationPeriods {
    const pmin = this.inherited(path, 'pmin');
    const pmax = this.inherited(path, 'pmax');
    return { pmin, pmax: pmax !== undefined && pmax > 0 && pmax > (pmin ?? 0) ? pmax : undefined };
  }

  private inherited(path: Lwm2mPath, name: string): number | undefined {
    for (let depth = path.length; depth >= 1; depth--) {
      const value = this.byPath.get(formatPath(path.slice(0, depth)))?.get(name);
      if (value !== undefined) return Number(value);
    }
    return undefined;
  }
}
