/**
 * What Exec does on the executable nodes: FUMO DownloadAndUpdate, SCOMO DownloadInstall(Inactive), Activate,
 * Deactivate, Remove, the vendor reboot and LAWMO FactoryReset. An asynchronous operation answers 202 and hands back
 * the Generic Alert that reports its end (the device sends it in a new session).
 */
import { deployedNode, downloadOperations } from './default-tree.js';
import type { DmTree } from './dm-tree.js';
import { FUMO_ALERT_TYPE, type GenericAlert, SCOMO_ALERT_TYPE } from './generic-alert.js';
import { DM_STATUS } from './status-codes.js';

export interface ExecBehaviour {
  /** FUMO DownloadAndUpdate: `async` 202 then a Generic Alert (what FUMO mandates), `sync` 200 at once. */
  fumo: 'async' | 'sync';
  /** The FUMO result code the update ends with (200 success; 400-599 failures, e.g. 410 update failed). */
  fumoResult: number;
  /** FwV and PkgVersion after a successful update. */
  newFirmwareVersion: string;
  /** SCOMO operations: `async` 202 then OperationComplete, `sync` 200 at once. */
  scomo: 'async' | 'sync';
  /** How long an asynchronous operation runs before its Generic Alert is due. */
  asyncDelayMs: number;
}

export const DEFAULT_EXEC_BEHAVIOUR: ExecBehaviour = { fumo: 'async', fumoResult: 200, newFirmwareVersion: '2.0.0', scomo: 'async', asyncDelayMs: 50 };

export interface ExecHooks {
  reboot(): void;
  factoryReset(): void;
  /** A named step of an operation (firmware State changes...), reported as an event. */
  report(event: string, details: Record<string, unknown>): void;
  /** The leaf holding the firmware version besides FUMO/PkgVersion (default ./DevDetail/FwV; DM 2.0: ./DevInfo/FwV). */
  firmwareVersionPath?: string;
}

export interface ExecOutcome {
  status: number;
  /** Asynchronous: runs after `delayMs` and returns the Generic Alert to send. */
  later?: { delayMs: number; complete(): GenericAlert };
}

const SCOMO_SUCCESS = '1200';
const FUMO_BAD_URL = 411;
const FUMO_STATE = { downloadProgressing: 30, updateFailedNoData: 80, updateSuccessfulNoData: 100 } as const;

type Handler = (tree: DmTree, segments: string[], correlator: string | undefined, behaviour: ExecBehaviour, hooks: ExecHooks) => ExecOutcome;

function fumoDownloadAndUpdate(tree: DmTree, _segments: string[], correlator: string | undefined, behaviour: ExecBehaviour, hooks: ExecHooks): ExecOutcome {
  const url = tree.value('./FUMO/DownloadAndUpdate/PkgURL') ?? '';
  const result = url.trim() === '' ? FUMO_BAD_URL : behaviour.fumoResult;
  const finish = (): void => {
    const succeeded = result >= 200 && result < 300;
    tree.setValue('./FUMO/State', String(succeeded ? FUMO_STATE.updateSuccessfulNoData : FUMO_STATE.updateFailedNoData));
    if (succeeded) {
      tree.setValue('./FUMO/PkgVersion', behaviour.newFirmwareVersion);
      tree.setValue(hooks.firmwareVersionPath ?? './DevDetail/FwV', behaviour.newFirmwareVersion);
    }
    hooks.report('firmware', { state: Number(tree.value('./FUMO/State')), result, url });
  };
  if (behaviour.fumo === 'sync') {
    finish();
    return { status: result >= 200 && result < 300 ? DM_STATUS.ok : DM_STATUS.commandFailed };
  }
  tree.setValue('./FUMO/State', String(FUMO_STATE.downloadProgressing));
  hooks.report('firmware', { state: FUMO_STATE.downloadProgressing, url });
  const complete = (): GenericAlert => {
    finish();
    const mark = result >= 200 && result < 300 ? 'informational' : 'critical';
    return { correlator, source: './FUMO/DownloadAndUpdate', type: FUMO_ALERT_TYPE, format: 'int', mark, data: String(result) };
  };
  return { status: DM_STATUS.accepted, later: { delayMs: behaviour.asyncDelayMs, complete } };
}

/** SCOMO operations end the same way: 200 at once, or 202 and an OperationComplete alert with 1200. */
function scomoOperation(source: string, correlator: string | undefined, behaviour: ExecBehaviour, run: () => void): ExecOutcome {
  if (behaviour.scomo === 'sync') {
    run();
    return { status: DM_STATUS.ok };
  }
  const complete = (): GenericAlert => {
    run();
    return { correlator, source, type: SCOMO_ALERT_TYPE, format: 'int', data: SCOMO_SUCCESS };
  };
  return { status: DM_STATUS.accepted, later: { delayMs: behaviour.asyncDelayMs, complete } };
}

function scomoInstall(active: boolean): Handler {
  return (tree, segments, correlator, behaviour, hooks) => {
    const id = segments[2];
    const download = `./SCOMO/Download/${id}`;
    return scomoOperation(download, correlator, behaviour, () => {
      const name = tree.value(`${download}/Name`) || id;
      const version = tree.value(`${download}/PkgVersion`) || tree.value(`${download}/Version`) || '1.0.0';
      tree.insert(`./SCOMO/Inventory/Deployed/${id}`, deployedNode({ id, name, version, state: active ? 20 : 10 }));
      hooks.report('software', { operation: active ? 'install' : 'install-inactive', id, url: tree.value(`${download}/PkgURL`) ?? '' });
    });
  };
}

function scomoDeployed(operation: 'Activate' | 'Deactivate' | 'Remove'): Handler {
  return (tree, segments, correlator, behaviour, hooks) => {
    const deployed = `./SCOMO/Inventory/Deployed/${segments[3]}`;
    return scomoOperation(deployed, correlator, behaviour, () => {
      if (operation === 'Remove') tree.remove(deployed);
      else tree.setValue(`${deployed}/State`, operation === 'Activate' ? '20' : '10');
      hooks.report('software', { operation: operation.toLowerCase(), id: segments[3] });
    });
  };
}

const HANDLERS: Array<{ pattern: RegExp; handler: Handler }> = [
  { pattern: /^FUMO\/DownloadAndUpdate$/, handler: fumoDownloadAndUpdate },
  { pattern: /^SCOMO\/Download\/[^/]+\/Operations\/DownloadInstall$/, handler: scomoInstall(true) },
  { pattern: /^SCOMO\/Download\/[^/]+\/Operations\/DownloadInstallInactive$/, handler: scomoInstall(false) },
  { pattern: /^SCOMO\/Inventory\/Deployed\/[^/]+\/Operations\/Activate$/, handler: scomoDeployed('Activate') },
  { pattern: /^SCOMO\/Inventory\/Deployed\/[^/]+\/Operations\/Deactivate$/, handler: scomoDeployed('Deactivate') },
  { pattern: /^SCOMO\/Inventory\/Deployed\/[^/]+\/Operations\/Remove$/, handler: scomoDeployed('Remove') },
  {
    pattern: /^LAWMO\/Ext\/Operations\/Reboot$/,
    handler: (_tree, _segments, _correlator, _behaviour, hooks) => {
      hooks.reboot();
      return { status: DM_STATUS.ok };
    },
  },
  {
    pattern: /^LAWMO\/Operations\/FactoryReset$/,
    handler: (_tree, _segments, _correlator, _behaviour, hooks) => {
      hooks.factoryReset();
      return { status: DM_STATUS.ok };
    },
  },
];

/** Whether the node at these segments can be executed at all (else Exec is 405). */
export function isExecutable(segments: string[]): boolean {
  const relative = segments.join('/');
  return HANDLERS.some(({ pattern }) => pattern.test(relative));
}

/** Runs the Exec; the node must exist and be executable (isExecutable), its ACL already checked. */
export function execute(tree: DmTree, segments: string[], correlator: string | undefined, behaviour: ExecBehaviour, hooks: ExecHooks): ExecOutcome {
  const relative = segments.join('/');
  const found = HANDLERS.find(({ pattern }) => pattern.test(relative));
  if (!found) return { status: DM_STATUS.notAllowed };
  return found.handler(tree, segments, correlator, behaviour, hooks);
}

/** SCOMO: a Download/<x> node gets its Operations as soon as it exists. */
export function completeAddedNode(tree: DmTree, segments: string[]): void {
  if (segments.length < 3 || segments[0] !== 'SCOMO' || segments[1] !== 'Download') return;
  const download = `./SCOMO/Download/${segments[2]}`;
  const node = tree.node(download);
  if (node?.children && !node.children.has('Operations')) node.children.set('Operations', downloadOperations());
}
