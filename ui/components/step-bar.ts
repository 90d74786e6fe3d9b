/**
 * Where the taxpayer is in the session: Kartu → Sidik jari → Pemeriksaan → Hasil. Shown on every
 * session screen; the current step is marked by shape and text, not by colour alone.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { KioskView } from '../../device/view/protocol.ts';
import type { Messages } from '../i18n.ts';

export type SessionStepName = 'card' | 'finger' | 'check' | 'result';
export const STEP_ORDER: readonly SessionStepName[] = ['card', 'finger', 'check', 'result'];

/** The step a view belongs to; null outside a session (welcome, out of service). */
export function stepOf(view: KioskView): SessionStepName | null {
  switch (view.screen) {
    case 'readingCard':
      return view.phase === 'templates' ? 'card' : 'check';
    case 'awaitingFinger':
    case 'staffAssist':
      return 'finger';
    case 'validating':
      return 'check';
    case 'result':
    case 'returnData':
    case 'finished':
      return 'result';
    case 'failed': {
      const state = view.state.split('.')[0];
      if (state === 'readingTemplates') return 'card';
      if (state === 'awaitingFinger' || state === 'staffAssist') return 'finger';
      if (state === 'readingRecord' || state === 'validating') return 'check';
      return state === 'result' || state === 'returnData' ? 'result' : 'card';
    }
    default:
      return null;
  }
}

@customElement('anj-step-bar')
export class AnjStepBar extends LitElement {
  @property({ attribute: false }) messages!: Messages;
  @property() current: SessionStepName = 'card';

  static override styles = css`
    :host {
      display: block;
    }
    ol {
      display: flex;
      margin: 0;
      padding: 4px var(--anj-gap);
      gap: 4px;
      list-style: none;
      counter-reset: step;
      background: var(--anj-paper);
      border-bottom: 2px solid #cfd8e3;
      /* Orientation, not content: it keeps the frame's size in large-text mode. */
      font-size: clamp(14px, 1.6vmin + 7px, 22px);
    }
    li {
      flex: 1 1 0;
      min-width: 0;
      display: flex;
      align-items: center;
      gap: 0.3em;
      color: var(--anj-muted);
      counter-increment: step;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    li::before {
      content: counter(step);
      flex: none;
      display: inline-grid;
      place-items: center;
      width: 1.6em;
      height: 1.6em;
      border-radius: 50%;
      border: 2px solid currentColor;
      font-weight: 700;
    }
    li.done::before {
      content: '✓';
    }
    li[aria-current='step'] {
      color: var(--anj-ink);
      font-weight: 800;
      text-decoration: underline 3px;
      text-underline-offset: 4px;
    }
    li[aria-current='step']::before {
      background: var(--anj-primary);
      border-color: var(--anj-primary);
      color: var(--anj-primary-ink);
    }
  `;

  override render() {
    const m = this.messages.steps;
    const at = STEP_ORDER.indexOf(this.current);
    return html`<ol aria-label=${m.label} data-testid="step-bar">
      ${STEP_ORDER.map(
        (step, i) => html`<li class=${i < at ? 'done' : ''} aria-current=${i === at ? 'step' : 'false'} data-step=${step}>${m[step]}</li>`,
      )}
    </ol>`;
  }
}
