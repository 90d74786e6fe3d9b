/** Progress bar: determinate while the card is read, indeterminate while we wait on others. */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { percent } from '../format.ts';

@customElement('anj-progress')
export class AnjProgress extends LitElement {
  /** 0..1, or null for an indeterminate bar. */
  @property({ type: Number }) value: number | null = null;
  @property() label = '';

  static override styles = css`
    :host {
      display: block;
      width: min(36em, 90%);
    }
    .track {
      position: relative;
      height: 28px;
      border-radius: 14px;
      background: #cfd8e3;
      overflow: hidden;
      border: 2px solid var(--anj-ink, #0d1b2a);
    }
    .bar {
      height: 100%;
      background: var(--anj-primary, #0b3d91);
      transition: width 0.2s linear;
    }
    .indeterminate .bar {
      position: absolute;
      width: 35%;
      animation: slide 1.4s ease-in-out infinite;
    }
    @keyframes slide {
      from {
        left: -35%;
      }
      to {
        left: 100%;
      }
    }
    /* Without motion the indeterminate bar is a still, striped full bar: busy, but not moving. */
    @media (prefers-reduced-motion: reduce) {
      .bar {
        transition: none;
      }
      .indeterminate .bar {
        animation: none;
        left: 0;
        width: 100%;
        background: repeating-linear-gradient(45deg, var(--anj-primary, #0b3d91) 0 14px, #cfd8e3 14px 28px);
      }
    }
    .figure {
      margin-top: 6px;
      font-weight: 700;
      text-align: center;
    }
  `;

  override render() {
    if (this.value === null) {
      return html`<div class="track indeterminate" role="progressbar" aria-label=${this.label}><div class="bar"></div></div>`;
    }
    const p = percent(this.value);
    return html`<div class="track" role="progressbar" aria-label=${this.label} aria-valuemin="0" aria-valuemax="100" aria-valuenow=${p}>
        <div class="bar" style="width:${p}%"></div>
      </div>
      <div class="figure" data-testid="progress-percent">${p}%</div>`;
  }
}
