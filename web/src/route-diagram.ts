import { svg } from './dom';

/** One stop of the diagram: how far along the run it is. */
export type StopProgress = 'PASSED' | 'CURRENT' | 'UPCOMING' | 'CANCELLED' | 'SKIPPED';

export interface DiagramInput {
  stops: StopProgress[];
  /** Where the train is: a stop index, or between index and index + 1 (fraction 0-1); null when not on the line. */
  position: { index: number; fraction: number } | null;
}

const WIDTH = 28;
const X = WIDTH / 2;
/** The stop's dot sits on the first line of its row (the station name). */
const DOT_OFFSET = 14;

/**
 * The run as a line diagram beside the list of stops: one dot per stop at the height of its
 * row, the line done so far solid and the rest dashed, and the train where it is. Drawn from
 * the rows' measured positions, so it follows the list's layout at any width.
 */
export function drawRouteDiagram(target: SVGSVGElement, rows: HTMLElement[], input: DiagramInput): void {
  const top = rows[0]?.offsetTop ?? 0;
  const ys = rows.map((row) => row.offsetTop - top + DOT_OFFSET);
  const height = rows.length ? rows[rows.length - 1].offsetTop - top + rows[rows.length - 1].offsetHeight : 0;
  target.setAttribute('viewBox', `0 0 ${WIDTH} ${Math.max(height, 1)}`);
  target.setAttribute('width', String(WIDTH));
  target.setAttribute('height', String(Math.max(height, 1)));
  target.replaceChildren();
  if (ys.length === 0) return;

  const at = input.position ? ys[input.position.index] + (input.position.fraction > 0 && input.position.index + 1 < ys.length ? (ys[input.position.index + 1] - ys[input.position.index]) * input.position.fraction : 0) : null;
  const doneTo = at ?? (input.stops.every((stop) => stop === 'PASSED') ? ys[ys.length - 1] : ys[0]);
  target.append(
    svg('line', { class: 'line-ahead', x1: X, y1: ys[0], x2: X, y2: ys[ys.length - 1] }),
    svg('line', { class: 'line-done', x1: X, y1: ys[0], x2: X, y2: doneTo }),
    ...input.stops.map((stop, index) => svg('circle', { class: `stop-dot dot-${stop.toLowerCase()}`, cx: X, cy: ys[index], r: stop === 'CURRENT' ? 7 : 5 })),
  );
  if (at !== null) {
    target.append(
      svg(
        'g',
        { class: 'train-marker', transform: `translate(${X} ${at})`, 'data-y': Math.round(at) },
        svg('circle', { r: 9 }),
        svg('path', { d: 'M-4 -5h8a1 1 0 0 1 1 1v6a2 2 0 0 1-2 2h-6a2 2 0 0 1-2-2v-6a1 1 0 0 1 1-1z' }),
      ),
    );
  }
}
