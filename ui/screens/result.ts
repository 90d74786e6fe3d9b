import { css, html, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';
import type { ResultOutcome } from '../../device/view/protocol.ts';
import { maskIdNumber } from '../format.ts';

const TONE: Record<ResultOutcome, 'ok' | 'warn' | 'bad'> = {
  verified: 'ok',
  dataDiffers: 'warn',
  notFound: 'bad',
  deceased: 'bad',
  inactive: 'bad',
  duplicateRecords: 'bad',
};

/** Numbers a passer-by must not read off a public screen: shown partly, in full only while held. */
const MASKED_FIELDS = new Set(['nik', 'nomorKk']);

@customElement('anj-screen-result')
export class ResultScreen extends ScreenElement<'result'> {
  readonly screenName = 'result';
  /** Rows wholly or partly below the visible part of the table. */
  @state() private rowsBelow = 0;
  /** The field whose full number is shown while the taxpayer holds its button. */
  @state() private revealed: string | null = null;
  static override styles = [
    ...ScreenElement.styles,
    css`
      :host {
        justify-content: flex-start;
        height: 100%;
        min-height: 0;
      }
      .headline {
        width: 100%;
        box-sizing: border-box;
        border-radius: var(--anj-radius);
        border: 3px solid;
        padding: 0.3em 0.8em;
      }
      .headline.ok {
        color: var(--anj-ok);
        background: var(--anj-ok-bg);
      }
      .headline.warn {
        color: var(--anj-warn);
        background: var(--anj-warn-bg);
      }
      .headline.bad {
        color: var(--anj-bad);
        background: var(--anj-bad-bg);
      }
      .headline p {
        color: var(--anj-ink);
        max-width: none;
      }
      .table-wrap {
        flex: 1 1 auto;
        min-height: 4em;
        overflow: auto;
        width: 100%;
      }
      .table-wrap:focus-visible {
        outline: 4px solid var(--anj-focus-ring);
      }
      .more {
        margin: 0;
        font-size: 0.85em;
        font-weight: 700;
        color: var(--anj-primary);
      }
      .more::before {
        content: '▼ ';
      }
      /* The hint keeps its place when there is nothing below, so the table does not jump. */
      .more.none {
        visibility: hidden;
      }
      .reveal {
        min-height: 48px;
        margin-top: 4px;
        font-size: 0.8em;
        padding: 0 0.6em;
        user-select: none;
        -webkit-user-select: none;
        touch-action: none;
      }
      .headline h1 {
        font-size: calc(var(--anj-title) * 0.8);
      }
      /* Portrait: the buttons follow the table, in reach, instead of sinking to the bottom edge. */
      @media (orientation: portrait) {
        .table-wrap {
          flex: 0 1 auto;
        }
      }
      /* A short landscape screen (7" 800×480): verdict and buttons on the left, the table gets the full height. */
      @media (orientation: landscape) and (max-height: 560px) {
        :host {
          display: grid;
          grid-template-columns: minmax(0, 1fr) minmax(0, 2fr);
          grid-template-rows: minmax(0, 1fr) auto auto;
          grid-template-areas: 'head table' 'more table' 'actions table';
          align-items: start;
        }
        .headline {
          grid-area: head;
          max-height: 100%;
          overflow: hidden auto;
          overflow-wrap: anywhere;
          padding: 0.2em 0.5em;
        }
        .headline p {
          font-size: 0.85em;
        }
        .table-wrap {
          grid-area: table;
          height: 100%;
        }
        .more {
          grid-area: more;
          font-size: 0.75em;
        }
        table {
          font-size: 0.8em;
        }
        .actions {
          grid-area: actions;
          flex-direction: column;
          align-items: stretch;
        }
      }
      table {
        width: 100%;
        border-collapse: collapse;
        text-align: left;
        font-size: 0.85em;
      }
      th,
      td {
        padding: 0.25em 0.4em;
        border-bottom: 2px solid #cfd8e3;
        vertical-align: top;
      }
      thead th {
        position: sticky;
        top: 0;
        background: var(--anj-canvas);
      }
      tr.differs td {
        background: var(--anj-warn-bg);
      }
      /* The mark sits under the label: three columns fit portrait without sideways scrolling. */
      .mark {
        display: block;
        white-space: nowrap;
        font-weight: 700;
      }
      .mark.agrees {
        color: var(--anj-ok);
      }
      .mark.differs {
        color: var(--anj-bad);
      }
      th,
      td {
        overflow-wrap: anywhere;
      }
    `,
  ];

  private resizeObserver = new ResizeObserver(() => this.countRowsBelow());

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver.disconnect();
  }

  /**
   * On a small screen the table scrolls: bring the first differing row wholly into sight below
   * the sticky header, and say how many rows remain below.
   */
  override updated(changed: PropertyValues<this>) {
    super.updated(changed);
    const wrap = this.renderRoot.querySelector<HTMLElement>('.table-wrap');
    if (!wrap) return;
    if (changed.has('view')) {
      this.resizeObserver.disconnect();
      this.resizeObserver.observe(wrap);
      const row = this.view.outcome === 'dataDiffers' ? this.renderRoot.querySelector<HTMLElement>('tr.differs') : null;
      const head = this.renderRoot.querySelector<HTMLElement>('thead');
      if (row) {
        const top = row.offsetTop - (head?.offsetHeight ?? 0);
        const bottom = row.offsetTop + row.offsetHeight - wrap.clientHeight;
        if (wrap.scrollTop > top || wrap.scrollTop < bottom) wrap.scrollTop = Math.max(0, Math.min(top, Math.max(bottom, wrap.scrollTop)));
      }
      this.countRowsBelow();
    }
  }

  private countRowsBelow(): void {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.table-wrap');
    if (!wrap) return;
    const limit = wrap.getBoundingClientRect().bottom + 1;
    this.rowsBelow = [...this.renderRoot.querySelectorAll('tbody tr')].filter((r) => r.getBoundingClientRect().bottom > limit).length;
  }

  private value(key: string, value: string) {
    if (!MASKED_FIELDS.has(key)) return value;
    return this.revealed === key ? value : maskIdNumber(value);
  }

  /** Held, not toggled: the number hides again the moment the finger lifts or slides off. */
  private revealButton(key: string) {
    const show = (e: Event) => {
      e.preventDefault();
      this.revealed = key;
    };
    const hide = () => (this.revealed = null);
    return html`<button
      class="btn quiet reveal"
      data-testid=${`reveal-${key}`}
      aria-pressed=${this.revealed === key ? 'true' : 'false'}
      @pointerdown=${show}
      @pointerup=${hide}
      @pointerleave=${hide}
      @pointercancel=${hide}
      @keydown=${(e: KeyboardEvent) => (e.key === ' ' || e.key === 'Enter') && show(e)}
      @keyup=${hide}
      @blur=${hide}
      @contextmenu=${(e: Event) => e.preventDefault()}
    >
      ${this.messages.result.holdToShow}
    </button>`;
  }

  override render() {
    const m = this.messages.result;
    const v = this.view;
    const advice = m.outcome[v.outcome];
    const compared = v.compared;
    return html`<div class="headline ${TONE[v.outcome]}" data-testid="outcome" data-outcome=${v.outcome}>
        <h1 tabindex="-1">${advice.title}</h1>
        <p>${advice.action}</p>
        ${compared ? null : html`<p data-testid="not-compared">${m.notCompared}</p>`}
        ${this.referenceLine()}
      </div>
      <div
        class="table-wrap"
        tabindex="0"
        role="region"
        aria-label=${m.tableLabel}
        @scroll=${() => {
          this.countRowsBelow();
          this.dispatchEvent(new CustomEvent('anj-activity', { bubbles: true, composed: true }));
        }}
      >
        <table>
          <thead>
            <tr>
              <th scope="col">${m.fieldHeader}</th>
              <th scope="col">${m.cardHeader}</th>
              ${compared ? html`<th scope="col">${m.registryHeader}</th>` : null}
            </tr>
          </thead>
          <tbody>
            ${v.fields.map(
              (f) => html`<tr class=${!compared || f.agrees ? 'agrees' : 'differs'} data-testid=${`field-${f.key}`} data-agrees=${compared ? String(f.agrees) : 'unknown'}>
                <th scope="row">
                  ${f.label[this.locale]}
                  ${compared
                    ? html`<span class="mark ${f.agrees ? 'agrees' : 'differs'}" data-testid="field-mark">${f.agrees ? `✓ ${m.agrees}` : `✗ ${m.differs}`}</span>`
                    : null}
                </th>
                <td class="value" data-testid="card-value">${this.value(f.key, f.card)} ${MASKED_FIELDS.has(f.key) ? this.revealButton(f.key) : null}</td>
                ${compared
                  ? html`<td class="value" data-testid="registry-value">${f.registry === null ? m.noRegistryValue : this.value(f.key, f.registry)}</td>`
                  : null}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p class="more ${this.rowsBelow > 0 ? '' : 'none'}" aria-hidden=${this.rowsBelow > 0 ? 'false' : 'true'} data-testid=${this.rowsBelow > 0 ? 'more-rows' : 'no-more-rows'}>
        ${m.moreRows(Math.max(this.rowsBelow, 1))}
      </p>
      <div class="actions">
        ${v.canLinkReturnData
          ? html`<button class="btn" data-testid="link-return-data" @click=${() => this.intent({ type: 'linkReturnData' })}>${m.linkReturnData}</button>`
          : null}
        <button class="btn primary" data-testid="finish" @click=${() => this.intent({ type: 'finish' })}>${this.messages.done}</button>
      </div>`;
  }
}
