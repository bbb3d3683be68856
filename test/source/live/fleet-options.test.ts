import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../source/config/load.ts';
import { fleetOptionsFor } from '../../../source/live/fleet-options.ts';

const yaml = `
environments:
  production:
    bastion: { host: 193.62.54.96, user: core, knownHosts: [/etc/opsconsole/known_hosts] }
    ssh: { user: core, identityFile: /keys/id_ed25519, knownHosts: [/etc/opsconsole/known_hosts, /home/ana/.ssh/known_hosts], maxSessions: 8 }
    nodes:
      - { name: ims, address: 192.168.0.10 }
      - { name: tracker, address: 192.168.0.12, user: admin, port: 2222 }
`;

const env = () => parseConfigText(yaml, 'c.yaml').config.environments.production!;
const noPass = async () => '';

describe('fleetOptionsFor', () => {
  it('maps an environment to the SSH layer: nodes through the bastion, config values first', () => {
    const o = fleetOptionsFor({ env: env(), processEnv: { HOME: '/home/ana' }, passphrase: noPass });
    expect(o.bastion).toMatchObject({ name: 'bastion', host: '193.62.54.96', port: 22, user: 'core', identityFiles: ['/keys/id_ed25519'] });
    expect(o.nodes).toEqual([
      { name: 'ims', host: '192.168.0.10', port: 22, user: 'core', identityFiles: ['/keys/id_ed25519'], via: 'bastion' },
      { name: 'tracker', host: '192.168.0.12', port: 2222, user: 'admin', identityFiles: ['/keys/id_ed25519'], via: 'bastion' },
    ]);
    expect(o.knownHosts).toEqual(['/etc/opsconsole/known_hosts', '/home/ana/.ssh/known_hosts']); // each file once
    expect(o.maxSessions).toBe(8);
    expect(o.agent).toBeUndefined();
  });

  it('fills gaps from ~/.ssh/config but never overrides the config file', () => {
    const sshConfig = 'Host tracker\n  User fromsshconfig\n  Port 2200\n  IdentityFile /other/key\nHost ims\n  Port 2022\n';
    const o = fleetOptionsFor({ env: env(), processEnv: { HOME: '/home/ana', SSH_AUTH_SOCK: '/run/agent.sock' }, sshConfigText: sshConfig, passphrase: noPass });
    expect(o.nodes.find((n) => n.name === 'tracker')).toMatchObject({ user: 'admin', port: 2222, identityFiles: ['/keys/id_ed25519'] });
    expect(o.nodes.find((n) => n.name === 'ims')).toMatchObject({ port: 2022 });
    expect(o.agent).toBe('/run/agent.sock');
  });
});
