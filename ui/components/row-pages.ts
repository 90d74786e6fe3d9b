import type { ReactiveController, ReactiveControllerHost } from 'lit';
/**
 * Pages of whole rows instead of a scrolling window: with every row shown (the host carries
 * `measuring` meanwhile, and its styles show the rows of other pages while it does), measures the
 * room the table has and starts a new page where the next row would not fit whole. Shared by the
 * result table on the kiosk screen and the dashboard's lists.
 *
 * room: the box the table must fit in, sized by the layout and not by the rows (a grid row, or a
 * max-height). Returns the index of each page's first row; [0] when everything fits.
 */
export function rowPageStarts(host: HTMLElement, room: HTMLElement, table: HTMLElement, rows: HTMLElement[]): number[] {
  if (rows.length === 0) return [0];
  host.toggleAttribute('measuring', true);
  const height = room.clientHeight;
  const starts = [0];
  if (height > 0 && table.getBoundingClientRect().height > height + 0.5) {
    // The caption and column heads repeat on every page; a px for rounding.
    const budget = height - (rows[0]!.getBoundingClientRect().top - table.getBoundingClientRect().top) - 1;
    let top = rows[0]!.getBoundingClientRect().top;
    for (const [i, row] of rows.entries()) {
      const box = row.getBoundingClientRect();
      if (i > 0 && box.bottom - top > budget) {
        starts.push(i);
        top = box.top;
      }
    }
  }
  host.toggleAttribute('measuring', false);
  return starts;
}

/** The page a row is on. */
export function pageOfRow(row: number, starts: number[]): number {
  let page = 0;
  for (const [i, start] of starts.entries()) if (start <= row) page = i;
  return page;
}

/**
 * Pages again whenever the host's box changes size (the screen, the text size), and whatever else
 * it is asked to watch: observes while the host is connected.
 */
export class RepaginateOnResize implements ReactiveController {
  private readonly observer: ResizeObserver;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    paginate: () => void,
  ) {
    this.observer = new ResizeObserver(paginate);
    host.addController(this);
  }

  hostConnected(): void {
    this.observer.observe(this.host);
  }

  hostDisconnected(): void {
    this.observer.disconnect();
  }

  /** Also pages again when `element` (inside the host) changes size. */
  watch(element: Element): void {
    this.observer.observe(element);
  }
}
