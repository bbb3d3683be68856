import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfirmDialog } from '../../screens/dialogs/ConfirmDialog.tsx';
import type { ConfirmRequest } from '../../source/app/runner.ts';
import { renderAt } from '../helpers/render.ts';
import type { Rendered } from '../helpers/render.ts';
import { frameHas, press } from '../helpers/press.ts';

let ui: Rendered | undefined;
afterEach(() => ui?.unmount());

const typed: ConfirmRequest = { actionId: 'node.destroy', title: 'Destroy node', target: 'ims', env: 'production', protect: true, mode: 'typed' };
const yes: ConfirmRequest = { ...typed, actionId: 'timer.trigger', title: 'Run the job now', protect: false, mode: 'yes' };

function open(request: ConfirmRequest) {
  const onAnswer = vi.fn();
  ui = renderAt(<ConfirmDialog request={request} onAnswer={onAnswer} width={80} />);
  return { ui, onAnswer };
}

describe('ConfirmDialog', () => {
  it('asks for the name on a protected environment and ignores Enter until it is typed exactly', async () => {
    const { ui, onAnswer } = open(typed);
    await frameHas(ui, 'type ims to confirm');
    expect(ui.lastFrame()).toContain('PROTECTED');
    await press(ui, 'enter', 'im', 'enter');
    expect(onAnswer).not.toHaveBeenCalled();
    await press(ui, 'sx', 'enter');
    expect(onAnswer).not.toHaveBeenCalled();
    await press(ui, 'backspace');
    await frameHas(ui, 'Enter confirms');
    await press(ui, 'enter');
    expect(onAnswer).toHaveBeenCalledTimes(1);
    expect(onAnswer).toHaveBeenCalledWith(true);
  });

  it('takes a burst of the whole name at once', async () => {
    const { ui, onAnswer } = open(typed);
    await press(ui, 'ims\r');
    expect(onAnswer).toHaveBeenCalledWith(true);
  });

  it('cancels with Esc', async () => {
    const { ui, onAnswer } = open(typed);
    await press(ui, 'im', 'esc');
    expect(onAnswer).toHaveBeenCalledWith(false);
  });

  it('answers y/N, Enter meaning no', async () => {
    const first = open(yes);
    await frameHas(first.ui, 'Proceed? y/N');
    await press(first.ui, 'enter');
    expect(first.onAnswer).toHaveBeenCalledWith(false);
    first.ui.unmount();
    const second = open(yes);
    await press(second.ui, 'y');
    expect(second.onAnswer).toHaveBeenCalledWith(true);
  });
});
