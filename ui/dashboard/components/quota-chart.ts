/**
 * Today's NIK hits per hour as 24 bars, drawn as our own small SVG (no chart library): the
 * tallest hour fills the plot, the others are in proportion, and a table carries the same
 * numbers for screen readers.
 */
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { DashboardMessages } from '../i18n.ts';
import { bars, PLOT } from '../figures.ts';

const WIDTH = 480;
const HEIGHT = 190;

@customElement('anj-quota-chart')
export class AnjQuotaChart extends LitElement {
  @property({ attribute: false }) perHour: number[] = [];
  @property({ attribute: false }) messages!: DashboardMessages;

  static override styles = css`
    :host {
      display: block;
    }
    svg {
      width: 100%;
      height: auto;
      max-height: var(--anj-chart-height, 14em);
    }
    .bar {
      fill: var(--anj-primary, #0b3d91);
    }
    .axis {
      stroke: var(--anj-ink, #0d1b2a);
      stroke-width: 1.5;
    }
    .grid {
      stroke: #9aa5b4;
      stroke-width: 1;
      stroke-dasharray: 3 3;
    }
    text {
      fill: var(--anj-ink, #0d1b2a);
      font-size: 12px;
      font-family: inherit;
    }
    .sr-only {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  `;

  override render() {
    const m = this.messages.quota;
    const data = bars(this.perHour);
    const total = data.reduce((s, b) => s + b.count, 0);
    const peak = data.reduce((best, b) => (b.count > best.count ? b : best), data[0]!);
    const label = m.chartLabel(total, peak.count > 0 ? peak.hour : null, peak.count);
    const top = Math.max(0, ...data.map((b) => b.count));
    return html`<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label=${label} data-testid="quota-chart">
        ${svg`<line class="grid" x1=${PLOT.left} x2=${PLOT.right} y1=${PLOT.top} y2=${PLOT.top}></line>
        <text x=${PLOT.left - 4} y=${PLOT.top + 4} text-anchor="end" data-testid="chart-max">${top}</text>
        <text x=${PLOT.left - 4} y=${PLOT.bottom} text-anchor="end">0</text>
        ${data.map(
          (
            b,
          ) => svg`<rect class="bar" data-hour=${b.hour} data-count=${b.count} x=${b.x.toFixed(2)} y=${b.y.toFixed(2)} width=${b.width.toFixed(2)} height=${b.height.toFixed(2)}>
            <title>${String(b.hour).padStart(2, '0')}.00: ${b.count}</title></rect>`,
        )}
        <line class="axis" x1=${PLOT.left} x2=${PLOT.right} y1=${PLOT.bottom} y2=${PLOT.bottom}></line>
        ${data
          .filter((b) => b.hour % 3 === 0)
          .map(
            (b) =>
              svg`<text x=${(b.x + b.width / 2).toFixed(2)} y=${PLOT.bottom + 16} text-anchor="middle">${String(b.hour).padStart(2, '0')}</text>`,
          )}
        <text x=${(PLOT.left + PLOT.right) / 2} y=${HEIGHT - 2} text-anchor="middle">${m.hour} (WIB)</text>`}
      </svg>
      <table class="sr-only">
        <caption>
          ${label}
        </caption>
        <tr>
          <th scope="col">${m.hour}</th>
          <th scope="col">${m.hits}</th>
        </tr>
        ${data.map(
          (b) =>
            html`<tr>
              <td>${String(b.hour).padStart(2, '0')}.00</td>
              <td>${b.count}</td>
            </tr>`,
        )}
      </table>`;
  }
}
