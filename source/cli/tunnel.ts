import { UserError } from '../app/status.ts';
import type { ParsedArgs } from './args.ts';
import { openLive, type Io } from './main.ts';

/**
 * `opsconsole tunnel NODE PORT [--local PORT] [--bind ADDR]` or `opsconsole tunnel NAME` (a
 * tunnel of the config): a local listener, on loopback unless told otherwise, whose every
 * connection is one channel through the bastion. Runs until Ctrl-C.
 */
export async function tunnelCommand(args: ParsedArgs, io: Io): Promise<number> {
  const [, first, second, ...more] = args.words;
  if (!first || more.length) throw new UserError('usage: opsconsole tunnel NODE PORT [--local PORT] [--bind ADDR] | opsconsole tunnel NAME', undefined, 2);
  const { live, loaded, env } = await openLive(args, io, { message: 'tunnels need real nodes: the demo fleet has none', hint: 'run it with a config (-c FILE)' });
  const envConfig = loaded.config.environments[env]!;

  let spec: { node: string; port: number; localPort?: number; name?: string };
  if (second === undefined) {
    const named = envConfig.tunnels.find((t) => t.name === first);
    if (!named) {
      const names = envConfig.tunnels.map((t) => t.name);
      throw new UserError(`no tunnel named "${first}" in ${env}`, names.length ? `configured: ${names.join(', ')}; or give NODE PORT` : 'give NODE PORT', 2);
    }
    spec = { node: named.node, port: named.port, name: named.name, ...(named.localPort ? { localPort: named.localPort } : {}) };
  } else {
    const port = Number(second);
    if (!/^\d+$/.test(second) || port < 1 || port > 65535) throw new UserError(`PORT must be 1-65535, not "${second}"`, undefined, 2);
    spec = { node: first, port };
  }
  if (args.options.local !== undefined) spec.localPort = args.options.local;

  const fleet = await live.fleetFor(env);
  const { TunnelRegistry, describeTunnel } = await import('../tunnels/index.ts');
  const registry = new TunnelRegistry(fleet);
  const { tunnel } = await registry.open({
    node: spec.node,
    port: spec.port,
    ...(spec.localPort !== undefined ? { localPort: spec.localPort } : {}),
    ...(args.options.bind ? { bind: args.options.bind } : {}),
    ...(spec.name ? { name: spec.name } : {}),
  });
  if (tunnel.warning) io.stderr.write(`warning: ${tunnel.warning}\n`);
  io.stdout.write(`${describeTunnel(tunnel)}   (Ctrl-C closes it)\n`);
  tunnel.on('error', (e: { error: Error }) => io.stderr.write(`${spec.node}:${spec.port}: ${e.error.message}\n`));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await registry.closeAll();
  await fleet.close();
  io.stdout.write(`closed ${tunnel.url}\n`);
  return 0;
}
