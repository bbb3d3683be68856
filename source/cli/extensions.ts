import type { Extension } from './commands.ts';

/** Commands with drivers of their own, loaded only when used. */
export const extensions: Record<string, Extension> = {
  ssh: async (args, io) => (await import('./ssh.ts')).sshCommand(args, io),
  'ssh-config': async (args, io) => (await import('./ssh.ts')).sshConfigCommand(args, io),
  journal: async (args, io) => (await import('./journal.ts')).journalCommand(args, io),
  tunnel: async (args, io) => (await import('./tunnel.ts')).tunnelCommand(args, io),
  secrets: async (args, io) => (await import('./secrets.ts')).secretsCommand(args, io),
};
