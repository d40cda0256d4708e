/**
 * What the LwM2M Server (transport + registrations) offers to the device-management operations:
 * find a registered client and send it one CoAP request from the socket that received its Register.
 */

export interface Lwm2mClientInfo {
  endpoint: string;
  registrationId: string;
  address: string;
  port: number;
  /** LwM2M version announced at Register (`1.0` when absent). */
  version: string;
  binding: string;
  queueMode: boolean;
  /** Alternate root path from the `</path>;rt="oma.lwm2m"` link, '' for the default root. */
  rootPath: string;
  /** Content-Format the client prefers for multi-value payloads (`ct=` on the root link), if announced. */
  preferredFormat?: number;
  /**
   * Object instances from the registration payload, e.g. `[[3,0],[5,0],[9,1],[4]]` (object only when no instance given).
   * The same array until a Register or an Update with a payload announces a new list.
   */
  readonly objects: readonly (readonly number[])[];
  /** Epoch ms of the last message received from the client. */
  lastSeen: number;
  online: boolean;
}

export interface CoapRequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path segments below the client's root path, e.g. `['3', '0', '9']`. */
  path: string[];
  query?: string[];
  accept?: number;
  contentFormat?: number;
  payload?: Buffer;
  /** Observe option: 1 cancels the observation of `token` (LwM2M Cancel Observation); registering uses Lwm2mDownlink.observe. */
  observe?: 1;
  /** Token to send (the observation's, for a cancel); a fresh one when absent. */
  token?: Buffer;
}

export interface CoapResult {
  /** CoAP response code as text, e.g. `2.05`, `4.04`. */
  code: string;
  contentFormat?: number;
  payload: Buffer;
  /** Location-Path segments of the answer, when it carries them (a 2.01 to Create names the new instance). */
  locationPath?: string[];
}

/** An observation the device accepted: notifications go to the callback given to `observe` until `forget()`. */
export interface DownlinkObservation {
  readonly token: Buffer;
  /** Stops listening; a later notification with this token is answered RST (the reactive cancel of RFC 7641 §3.6). */
  forget(): void;
}

/** The answer to an Observe request; `observation` is set when the device accepted it (2.05 with an Observe option). */
export interface ObserveResult extends CoapResult {
  observation?: DownlinkObservation;
}

/** Raised when the device never acknowledged (after CoAP retransmission) or the call's deadline passed. */
export class CoapTimeoutError extends Error {}

export interface Lwm2mDownlink {
  lookup(endpoint: string): Lwm2mClientInfo | undefined;
  /** Sends one confirmable request; rejects with CoapTimeoutError; never more than one in flight per call. */
  send(client: Lwm2mClientInfo, request: CoapRequestSpec, options: { deadline: number; signal: AbortSignal }): Promise<CoapResult>;
  /**
   * Sends GET with Observe=0 (`request` is the GET); resolves with the first answer. Each later notification, decoded as
   * a CoapResult, goes to `onNotification` (a non-2.xx code ends the observation on the device's side).
   */
  observe(
    client: Lwm2mClientInfo,
    request: CoapRequestSpec,
    options: { deadline: number; signal: AbortSignal },
    onNotification: (notification: CoapResult) => void,
  ): Promise<ObserveResult>;
  /** Called whenever a client shows it is awake (Register, Update, any confirmable message). */
  onAwake(listener: (endpoint: string) => void): void;
  /** Called when a client registers, updates, de-registers or expires. */
  onRegistrationChange(listener: (endpoint: string, kind: 'register' | 'update' | 'deregister' | 'expire') => void): void;
}
