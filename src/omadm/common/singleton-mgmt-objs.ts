/**
 * The single-instance mgmtObjs of mappings/objects/omadm.yaml a DM device's node offers (DM 1.x: all of them; DM 2.0:
 * those whose MO the device lists in package 1). `software` is multi-instance: its instances come from the SCOMO
 * inventory, read by the adapter.
 */
export const DM_SINGLETON_MGMT_OBJS = ['deviceInfo', 'firmware', 'reboot', 'memory', 'battery'] as const;
