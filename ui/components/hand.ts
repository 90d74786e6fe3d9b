/**
 * Both hands seen from above, palms down as they rest on the scanner, with the finger the card
 * asks for (ISO/IEC 19794-2 position 1-10: 1 right thumb … 5 right little, 6 left thumb … 10
 * left little) highlighted.
 */
import { LitElement, css, svg, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/** Right hand geometry in a 200×230 box, thumb on the left; the left hand is its mirror image. */
const FINGERS: { offset: number; x: number; y: number; h: number; angle: number }[] = [
  { offset: 0, x: 46, y: 120, h: 85, angle: -38 }, // thumb
  { offset: 1, x: 50, y: 28, h: 112, angle: -4 }, // index
  { offset: 2, x: 86, y: 12, h: 126, angle: 0 }, // middle
  { offset: 3, x: 122, y: 24, h: 114, angle: 4 }, // ring
  { offset: 4, x: 156, y: 58, h: 84, angle: 10 }, // little
];
const FINGER_WIDTH = 32;

@customElement('anj-hand')
export class AnjHand extends LitElement {
  @property({ type: Number }) position = 0;
  @property() leftLabel = '';
  @property() rightLabel = '';
  /** Names the finger asked for, for those who cannot see the picture. */
  @property() alt = '';

  static override styles = css`
    :host {
      display: block;
    }
    svg {
      width: 100%;
      height: 100%;
      max-height: 30vh;
    }
    .skin {
      fill: #e9d3bf;
      stroke: #5a4636;
      stroke-width: 3;
    }
    /* The target is marked by shape as well as colour: dark stripes and a thick dark outline. */
    .target {
      fill: url(#target-stripes);
      stroke: #0d1b2a;
      stroke-width: 7;
      animation: pulse 1.2s ease-in-out infinite alternate;
    }
    @keyframes pulse {
      to {
        stroke-width: 10;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .target {
        animation: none;
      }
    }
    text {
      font:
        700 22px 'Noto Sans',
        'DejaVu Sans',
        sans-serif;
      fill: #0d1b2a;
    }
  `;

  private hand(first: number, mirrored: boolean, dx: number) {
    const transform = mirrored ? `translate(${dx + 200} 0) scale(-1 1)` : `translate(${dx} 0)`;
    return svg`<g transform=${transform}>
      <rect class="skin" x="44" y="118" width="146" height="112" rx="40"></rect>
      ${FINGERS.map((f) => {
        const code = first + f.offset;
        const cls = code === this.position ? 'target' : 'skin';
        const cx = f.x + FINGER_WIDTH / 2;
        return svg`<rect class=${cls} data-finger=${code} x=${f.x} y=${f.y} width=${FINGER_WIDTH} height=${f.h} rx="16"
          transform=${`rotate(${f.angle} ${cx} ${f.y + f.h})`}></rect>`;
      })}
    </g>`;
  }

  override render() {
    return html`<svg viewBox="0 0 440 270" role="img" aria-label=${this.alt || `${this.leftLabel} / ${this.rightLabel}`}>
      <defs>
        <pattern id="target-stripes" width="12" height="12" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="12" height="12" fill="#ffbf00"></rect>
          <rect width="5" height="12" fill="#0d1b2a"></rect>
        </pattern>
      </defs>
      ${this.hand(6, true, 0)} ${this.hand(1, false, 240)}
      <text x="100" y="262" text-anchor="middle">${this.leftLabel}</text>
      <text x="340" y="262" text-anchor="middle">${this.rightLabel}</text>
    </svg>`;
  }
}
