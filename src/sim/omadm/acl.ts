/** DM tree ACLs (`Get=*&Replace=srv1+srv2`): which server may run which command on a node. */
export type AclCommand = 'Add' | 'Delete' | 'Exec' | 'Get' | 'Replace';

/** Whether `acl` grants `command` to `serverId`; `*` grants it to every server. */
export function aclGrants(acl: string, command: AclCommand, serverId: string): boolean {
  for (const entry of acl.split('&')) {
    const [name, ids = ''] = entry.split('=');
    if (name !== command) continue;
    const servers = ids.split('+');
    if (servers.includes('*') || servers.includes(serverId)) return true;
  }
  return false;
}

/** An ACL granting the listed commands to every server. */
export function aclFor(...commands: AclCommand[]): string {
  return commands.map((command) => `${command}=*`).join('&');
}
