/** The file `opsconsole config init` writes: a commented example that loads as it is. */

export function starterConfig(): string {
  return `# opsconsole configuration. Reference: README.md, "Configuration".
# Key completion in editors: save \`opsconsole config schema\` next to this file as
# schema.json and add the line "# yaml-language-server: $schema=./schema.json".
#
# Durations are a number and a unit: 500ms, 10s, 5m, 26h, 2d.
# Secrets are never written here, only references: keychain:NAME (stored with
# \`opsconsole secrets set NAME\`) or env:NAME (an environment variable).

defaults:
  refresh: 10s                    # how often panels poll

environments:
  production:
    protect: true                 # red frame; destructive actions need the name typed
    bastion:                      # the only VM reachable from outside
      host: 193.62.54.96
      user: core
      identityFile: ~/.ssh/id_ed25519
    ssh:
      user: core                  # default user on the nodes, reached through the bastion
    clouds:
      - name: embassy
        kind: openstack
        cloud: embassy            # an entry in clouds.yaml (or OS_* variables)
        prefixes: { terraform: tf-, software: os- }
    nodes:
      - { name: ims, address: 192.168.0.10, role: app }
      - { name: tracker, address: 192.168.0.12, role: app }
    objectStores:
      - name: embassy-s3
        endpoint: http://10.0.0.5:8080   # only reachable inside the cloud: via the bastion
        accessKeyId: env:AWS_ACCESS_KEY_ID
        secretAccessKey: keychain:embassy-s3-secret
    backups:
      - name: ims-postgres
        kind: wal-e
        store: embassy-s3
        bucket: ims-backups
        prefix: postgres/
        maxAge: 26h               # nightly, with two hours of slack
        producedBy: { node: ims, unit: postgres-backups.timer }
        restore: { node: ims, database: ims }
    timers:
      - { node: ims, unit: postgres-backups.timer, backup: ims-postgres }
    certificates:
      - domain: ims.example.org
        endpoint: 193.62.54.96:443
        renewal: certbot          # acme | certbot | manual
        warnDays: 14
        criticalDays: 7

  test:
    bastion:
      host: 193.62.54.96
      user: core
    ssh:
      user: core
    nodes:
      - { name: ims-staging, address: 192.168.0.11, role: app }
`;
}
