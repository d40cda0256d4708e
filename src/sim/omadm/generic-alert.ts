import type { Alert } from '../../omadm/v13/codec/index.js';

/** A Generic Alert (1226) the device owes the server: the result of an asynchronous Exec, or a device event. */
export interface GenericAlert {
  /** The Exec's Correlator; absent when the server sent none. */
  correlator?: string;
  /** The node the alert concerns (Item/Source/LocURI). */
  source: string;
  /** Reversed-domain alert type (Meta Type). */
  type: string;
  format: string;
  /** Severity (Meta Mark). */
  mark?: string;
  data: string;
}

export const FUMO_ALERT_TYPE = 'org.openmobilealliance.dm.firmwareupdate.downloadandupdate';
export const SCOMO_ALERT_TYPE = 'urn:oma:at:scomo:1.0:OperationComplete';

export function genericAlertCommand(alert: GenericAlert): Alert {
  const command: Alert = {
    kind: 'Alert',
    cmdId: '',
    data: 1226,
    items: [{ source: { locUri: alert.source }, meta: { type: alert.type, format: alert.format, ...(alert.mark ? { mark: alert.mark } : {}) }, data: alert.data }],
  };
  if (alert.correlator !== undefined) command.correlator = alert.correlator;
  return command;
}
