/** The device's management tree: interior nodes (Format node) and leaves, with the properties DM commands touch. */
import type { AclCommand } from './acl.js';
import { aclGrants } from './acl.js';

export interface DmNode {
  name: string;
  /** `node` for interior nodes; chr, int, bool, b64... for leaves. */
  format: string;
  /** MIME type of a leaf, MO identifier of an MO root. */
  type?: string;
  /** Empty: inherited from the parent (reference §1.12). */
  acl: string;
  /** Leaf value as text (b64 stays base64 text). */
  value?: string;
  children?: Map<string, DmNode>;
  /** A node the server cannot delete (DDF scope permanent). */
  permanent?: boolean;
}

/** The root's ACL when nothing else is said (DM 1.2 TND). */
export const ROOT_ACL = 'Add=*&Get=*';

/** `./DevInfo/Man`, `DevInfo/Man`, `./`, `.` → segments; undefined for an empty segment (`a//b`, trailing `/`). */
export function pathSegments(uri: string): string[] | undefined {
  const relative = uri === '.' || uri === './' ? '' : uri.startsWith('./') ? uri.slice(2) : uri;
  if (relative === '') return [];
  const segments = relative.split('/');
  return segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..') ? segments : undefined;
}

export const joinPath = (segments: string[]): string => (segments.length === 0 ? '.' : `./${segments.join('/')}`);

export function interior(name: string, acl: string, children: DmNode[] = [], extra: Partial<DmNode> = {}): DmNode {
  return { name, format: 'node', acl, children: new Map(children.map((node) => [node.name, node])), ...extra };
}

export function leaf(name: string, value: string, acl: string, extra: Partial<DmNode> = {}): DmNode {
  return { name, format: 'chr', type: 'text/plain', acl, value, ...extra };
}

export class DmTree {
  constructor(
    private root: DmNode,
    private readonly serverId: () => string,
  ) {}

  node(uri: string): DmNode | undefined {
    const segments = pathSegments(uri);
    if (!segments) return undefined;
    let node: DmNode | undefined = this.root;
    for (const segment of segments) node = node?.children?.get(segment);
    return node;
  }

  /** The ACL in force on the node at `uri` (its own, else the nearest ancestor's); the node must exist. */
  effectiveAcl(uri: string): string {
    const segments = pathSegments(uri) ?? [];
    let acl = this.root.acl || ROOT_ACL;
    let node: DmNode | undefined = this.root;
    for (const segment of segments) {
      node = node?.children?.get(segment);
      if (node?.acl) acl = node.acl;
    }
    return acl;
  }

  allows(uri: string, command: AclCommand): boolean {
    return aclGrants(this.effectiveAcl(uri), command, this.serverId());
  }

  /** Child names in insertion order (`/`-joined for an interior Get). */
  childNames(node: DmNode): string[] {
    return [...(node.children?.keys() ?? [])];
  }

  /** Puts `node` at `uri`, creating missing interior parents (inheriting ACLs); false when a parent is a leaf. */
  insert(uri: string, node: DmNode): boolean {
    const segments = pathSegments(uri);
    if (!segments || segments.length === 0) return false;
    let parent = this.root;
    for (const segment of segments.slice(0, -1)) {
      if (!parent.children) return false;
      let next = parent.children.get(segment);
      if (!next) {
        next = interior(segment, '');
        parent.children.set(segment, next);
      }
      parent = next;
    }
    if (!parent.children) return false;
    parent.children.set(node.name, node);
    return true;
  }

  /** Removes the node and its subtree; false when absent. */
  remove(uri: string): boolean {
    const segments = pathSegments(uri);
    if (!segments || segments.length === 0) return false;
    const parent = this.node(joinPath(segments.slice(0, -1)));
    return parent?.children?.delete(segments.at(-1)!) ?? false;
  }

  /** A leaf's value (undefined for interior or missing nodes). */
  value(uri: string): string | undefined {
    return this.node(uri)?.value;
  }

  /** Sets an existing leaf, or creates it (chr) with its parents. */
  setValue(uri: string, value: string, format?: string): void {
    const existing = this.node(uri);
    if (existing && existing.format !== 'node') {
      existing.value = value;
      if (format) existing.format = format;
      return;
    }
    const segments = pathSegments(uri);
    if (!segments || segments.length === 0) throw new RangeError(`not a leaf path: ${uri}`);
    this.insert(uri, leaf(segments.at(-1)!, value, '', format ? { format } : {}));
  }

  /** A deep copy of the whole tree (Atomic rolls back to it). */
  snapshot(): DmNode {
    return structuredClone(this.root);
  }

  restore(snapshot: DmNode): void {
    this.root = snapshot;
  }
}
