import { render } from 'ink';
import type { Instance } from 'ink';
import type { KindId, ResourceKind } from '../source/app/kind.ts';
import type { AppServices } from '../source/app/services.ts';
import { errorMessage } from '../source/app/status.ts';
import { kinds as registry } from '../source/app/registry.ts';
import { App } from './App.tsx';
import { enterAltScreen, handOverTerminal, leaveAltScreen } from './terminal.ts';

/**
 * Ink 6.8's incremental writer moves the cursor up one line too few after a frame that ends in
 * a newline, which every frame of rows - 1 lines does: each redraw then starts one line lower
 * and scrolls the screen (seen in tmux; the header showed twice). The plain writer erases and
 * redraws inside a synchronized update, which does not flicker. Set OPSCONSOLE_INCREMENTAL=1 to
 * try the incremental writer again after an Ink upgrade.
 */
const INCREMENTAL = process.env.OPSCONSOLE_INCREMENTAL === '1';

export interface RunAppOptions {
  initialEnv: string;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** The kinds shown (default: source/app/registry.ts). */
  kinds?: Record<KindId, ResourceKind<any>>;
}

/**
 * The full-screen app. Resolves when the user quits; on a crash it leaves the alternate
 * screen, prints the message and rejects with the error. SIGTERM and SIGHUP restore the
 * terminal and exit 143 and 129.
 */
export async function runApp(services: AppServices, opts: RunAppOptions): Promise<void> {
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const io = { stdin, stdout };
  enterAltScreen(io);

  return new Promise<void>((resolve, reject) => {
    let instance: Instance | undefined;
    let finished = false;

    const cleanUp = () => {
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      try {
        instance?.unmount();
      } catch {
        // Unmounting a crashed tree may throw again; the terminal still has to be restored.
      }
      leaveAltScreen(io);
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      cleanUp();
      resolve();
    };
    const onCrash = (err: unknown) => {
      if (finished) return;
      finished = true;
      cleanUp();
      stderr.write(`opsconsole: ${errorMessage(err)}\n`);
      reject(err instanceof Error ? err : new Error(errorMessage(err)));
    };
    const onSignal = (code: number) => {
      if (!finished) {
        finished = true;
        cleanUp();
      }
      process.exit(code);
    };
    const onTerm = () => onSignal(143);
    const onHup = () => onSignal(129);
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);

    try {
      instance = render(
        <App
          services={services}
          kinds={opts.kinds ?? registry}
          initialEnv={opts.initialEnv}
          onQuit={finish}
          handOver={(argv) => handOverTerminal(argv, io)}
        />,
        { stdin, stdout, stderr, exitOnCtrlC: false, patchConsole: false, incrementalRendering: INCREMENTAL },
      );
    } catch (err) {
      onCrash(err);
      return;
    }
    // A render error ends Ink's instance with that error.
    instance.waitUntilExit().then(finish, onCrash);
  });
}
