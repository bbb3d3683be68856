// `npm run lab:up` / `npm run lab:down` (as root).
import { labDown, labUp } from './lab.ts';

async function main(cmd: string | undefined): Promise<void> {
  if (cmd === 'down') {
    const t0 = Date.now();
    await labDown();
    console.log(`lab down in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return;
  }
  if (cmd !== 'up') throw new Error('usage: node --import tsx test/lab/cli.ts up|down');
  const t0 = Date.now();
  const lab = await labUp((line) => console.log(line));
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const first = lab.nodes[0]?.name ?? 'ims';
  console.log(
    [
      `lab up in ${secs} s`,
      `  bastion   ${lab.bastion.address}:${lab.bastion.port}  (ns ${lab.bastion.ns}, sshd pid ${lab.bastion.sshdPid})`,
      ...lab.nodes.map((n) => `  ${n.name.padEnd(9)} ${n.address}:${n.port}  (ns ${n.ns}, leader pid ${n.leaderPid}, only via the bastion)`),
      `  config    ${lab.configPath}   (opsconsole --config ${lab.configPath}, environment "lab")`,
      `  openssh   ssh -F ${lab.sshConfig} ${first} hostname`,
      `  state     ${lab.dir}/state.json`,
      `  stop it   npm run lab:down`,
    ].join('\n'),
  );
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
