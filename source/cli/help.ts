import type { Action } from '../app/action.ts';

const header = `opsconsole - one console for the VMs, services, timers, backups and certificates
behind your bastion

Usage:
  opsconsole [options]                 the full-screen console
  opsconsole --demo                    the console on a simulated fleet (nothing to set up)
  opsconsole COMMAND [args] [options]  a one-shot command

Lists (aligned columns, or --json):
  nodes | services | timers | backups | certs | secrets | audit [--tail N]
  check                                health summary; exit 0 ok, 1 warning, 2 critical

Configuration:
  config check                         validate the config and print a summary
  config init                          write a commented starter config (never overwrites)
  config schema                        print the JSON Schema (for editor completion)

systemd on the nodes:
  journal NODE UNIT [--tail N] [-f]    a unit's journal (-f follows; --since TIME)

SSH through the bastion:
  ssh NODE [-- CMD]                    interactive shell on NODE (or run CMD)
  ssh trust NODE                       show NODE's host key fingerprint and trust it
  ssh-config                           print OpenSSH Host blocks with ProxyJump
  tunnel NODE PORT [--local P]         http://127.0.0.1:P -> NODE:PORT until Ctrl-C
  tunnel NAME                          a tunnel named in the config

Secrets (OS keychain; values never on the command line):
  secrets set NAME                     value from a hidden prompt or standard input
  secrets list | delete NAME | import-env
`;

const footer = `
Options:
  -c, --config FILE    config file (else $OPSCONSOLE_CONFIG, else
                       $XDG_CONFIG_HOME/opsconsole/config.yaml)
  -e, --env ENV        environment (default: the first one in the config)
      --demo           use the built-in demo fleet; --demo-size N scales it
      --readonly       refuse every action that changes something
      --no-keychain    accept only env: secret references
      --json           machine-readable output for lists and check
      --local PORT     local port of a tunnel (default: any free one)
      --bind ADDR      listen on ADDR instead of 127.0.0.1 (warns: others can use it)
  -y, --yes            confirm y/N prompts (automation); typed confirmations
                       on protected environments still need a terminal
  -h, --help           this text;  -V, --version  the version

Exit codes: 0 ok, 1 failed action or check, 2 bad usage or config.
`;

export function helpText(actions: Action<any>[]): string {
  const lines = actions
    .filter((a) => a.cli)
    .map((a) => {
      const params = (a.params ?? []).map((p) => (p.optional ? `[${p.name.toUpperCase()}]` : p.name.toUpperCase())).join(' ');
      const usage = `  ${[...a.cli!, params].filter(Boolean).join(' ')}`;
      return `${usage.padEnd(39)}${a.title.toLowerCase()}${a.destructive ? ' (asks first)' : ''}`;
    });
  return `${header}\nActions (the same as the keys in the console):\n${lines.join('\n')}\n${footer}`;
}
