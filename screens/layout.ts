/** Lines of the frame: header, tabs, body border (2), status, input/flash line, footer. */
const CHROME_LINES = 7;

export interface FrameLayout {
  /** rows - 1: a full-height frame makes Ink clear the screen on every render (LAB.md). */
  height: number;
  width: number;
  /** Inside the body border. */
  bodyHeight: number;
  bodyWidth: number;
}

export function frameLayout(size: { columns: number; rows: number }): FrameLayout {
  const height = Math.max(1, size.rows - 1);
  return {
    height,
    width: size.columns,
    bodyHeight: Math.max(1, height - CHROME_LINES),
    bodyWidth: Math.max(1, size.columns - 2),
  };
}
