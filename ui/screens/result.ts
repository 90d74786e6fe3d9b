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

/** Hyphens inside words (KTP-el) become non-breaking: a line may end only between words. */
const unbroken = (text: string) => text.replace(/(\w)-(\w)/g, '$1\u2011$2');

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
      /* Verdict on top, the table under it (the one part that scrolls), the way on at the bottom:
         the verdict, its advice and the session code stay in sight on every screen size. */
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        grid-template-rows: auto minmax(0, 1fr) auto;
        grid-template-areas: 'head head' 'table table' 'reference actions';
        align-items: center;
        height: 100%;
        min-height: 0;
        text-align: left;
      }
      /* Portrait: the buttons follow the table, in reach, instead of sinking to the bottom edge. */
      @media (orientation: portrait) {
        :host {
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: auto minmax(0, max-content) auto auto;
          grid-template-areas: 'head' 'table' 'reference' 'actions';
          align-content: start;
        }
      }
      .headline {
        grid-area: head;
        align-self: stretch;
        box-sizing: border-box;
        border-radius: var(--anj-radius);
        border: 3px solid;
        padding: 0.25em 0.7em;
        display: grid;
        gap: 0.15em;
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
      .headline h1 {
        font-size: calc(var(--anj-title) * 0.8);
      }
      .headline p {
        color: var(--anj-ink);
        max-width: none;
      }
      /* Whole words only in the verdict: no word is split across lines. */
      .headline h1,
      .headline p {
        overflow-wrap: normal;
        word-break: normal;
        hyphens: manual;
      }
      .table-wrap {
        grid-area: table;
        align-self: stretch;
        min-height: 0;
        overflow: auto;
        border: 2px solid #cfd8e3;
        border-radius: 8px;
      }
      .table-wrap:focus-visible {
        outline: 4px solid var(--anj-focus-ring);
      }
      anj-session-reference {
        grid-area: reference;
      }
      /* Rows below the visible part: said at the table's foot, where the eye leaves it. */
      .more {
        position: sticky;
        bottom: 0;
        margin: 0;
        max-width: none;
        padding: 0.15em 0.5em;
        font-size: 0.8em;
        font-weight: 700;
        color: var(--anj-primary-ink);
        background: var(--anj-primary);
      }
      .more::before {
        content: '▼ ';
      }
      .more.none {
        display: none;
      }
      .actions {
        grid-area: actions;
        flex-wrap: nowrap;
        justify-content: flex-end;
      }
      @media (orientation: portrait) {
        .actions {
          justify-content: center;
          flex-wrap: wrap;
        }
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
      caption {
        caption-side: top;
        text-align: left;
        padding: 0.2em 0.4em;
        font-weight: 700;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        text-align: left;
        font-size: 0.85em;
      }
      th,
      td {
        padding: 0.2em 0.4em;
        border-bottom: 2px solid #cfd8e3;
        vertical-align: top;
        overflow-wrap: break-word;
      }
      /* A value longer than its column (a long village name in large text) wraps inside it. */
      td {
        overflow-wrap: anywhere;
      }
      thead th {
        position: sticky;
        top: 0;
        z-index: 1;
        background: var(--anj-canvas);
      }
      tr.differs td {
        background: var(--anj-warn-bg);
      }
      /* The mark sits under the label: three columns fit without sideways scrolling. */
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
      .mark.unknown {
        color: var(--anj-muted);
      }
    `,
  ];

  /** Until the taxpayer moves the table, a change of size brings the differing row back into sight. */
  private tableMoved = false;
  private resizeObserver = new ResizeObserver(() => {
    if (!this.tableMoved) this.showFirstDifference();
    this.countRowsBelow();
  });

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
      this.tableMoved = false;
      this.resizeObserver.disconnect();
      this.resizeObserver.observe(wrap);
      this.resizeObserver.observe(this.renderRoot.querySelector('table')!);
      this.showFirstDifference();
      this.countRowsBelow();
    }
  }

  private showFirstDifference(): void {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.table-wrap');
    const row = this.view.outcome === 'dataDiffers' ? this.renderRoot.querySelector<HTMLElement>('tr.differs') : null;
    if (!wrap || !row) return;
    const head = this.renderRoot.querySelector<HTMLElement>('thead');
    // Positions in the scrolled content. The hint at the foot (about a line) covers the bottom,
    // unless the row is the last: scrolled to the end, the hint goes.
    const box = wrap.getBoundingClientRect();
    const rowBox = row.getBoundingClientRect();
    const rowTop = rowBox.top - box.top + wrap.scrollTop;
    const rowBottom = rowBox.bottom - box.top + wrap.scrollTop;
    const foot = row.nextElementSibling ? parseFloat(getComputedStyle(wrap).fontSize) * 1.6 : 0;
    const top = rowTop - (head?.offsetHeight ?? 0);
    const bottom = row.nextElementSibling ? rowBottom - wrap.clientHeight + foot : wrap.scrollHeight;
    if (wrap.scrollTop > top || wrap.scrollTop < bottom) wrap.scrollTop = Math.max(0, Math.min(top, Math.max(bottom, wrap.scrollTop)));
  }

  private countRowsBelow(): void {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.table-wrap');
    if (!wrap) return;
    // The hint at the foot covers the table's last line while it shows.
    const hint = this.renderRoot.querySelector<HTMLElement>('.more:not(.none)');
    const limit = wrap.getBoundingClientRect().bottom - (hint?.offsetHeight ?? 0) + 1;
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

  /** Agrees, differs, or (the registry sent nothing for it) unknown: never "differs" for lack of data. */
  private mark(agrees: boolean | null) {
    const m = this.messages.result;
    const [tone, text] =
      agrees === null ? ['unknown', `– ${m.unknown}`] : agrees ? ['agrees', `✓ ${m.agrees}`] : ['differs', `✗ ${m.differs}`];
    return html`<span class="mark ${tone}" data-testid="field-mark">${text}</span>`;
  }

  override render() {
    const m = this.messages.result;
    const v = this.view;
    const advice = m.outcome[v.outcome];
    const compared = v.compared;
    return html`<div class="headline ${TONE[v.outcome]}" data-testid="outcome" data-outcome=${v.outcome}>
        <h1 tabindex="-1" data-no-word-break>${unbroken(advice.title)}</h1>
        <p data-testid="outcome-action" data-no-word-break>${unbroken(advice.action)}</p>
      </div>
      <div
        class="table-wrap"
        data-scroll-region
        tabindex="0"
        role="region"
        aria-label=${m.tableLabel}
        @pointerdown=${() => (this.tableMoved = true)}
        @wheel=${() => (this.tableMoved = true)}
        @keydown=${() => (this.tableMoved = true)}
        @scroll=${() => {
          this.countRowsBelow();
          this.dispatchEvent(new CustomEvent('anj-activity', { bubbles: true, composed: true }));
        }}
      >
        <table>
          ${
            compared
              ? null
              : html`<caption data-testid="not-compared">
                  ${m.notCompared}
                </caption>`
          }
          <thead>
            <tr>
              <th scope="col">${m.fieldHeader}</th>
              <th scope="col">${m.cardHeader}</th>
              ${compared ? html`<th scope="col">${m.registryHeader}</th>` : null}
            </tr>
          </thead>
          <tbody>
            ${v.fields.map(
              (f) =>
                html`<tr
                  class=${f.agrees === false ? 'differs' : 'agrees'}
                  data-testid=${`field-${f.key}`}
                  data-agrees=${f.agrees === null ? 'unknown' : String(f.agrees)}
                >
                  <th scope="row">${f.label[this.locale]} ${compared ? this.mark(f.agrees) : null}</th>
                  <td class="value" data-testid="card-value">
                    ${this.value(f.key, f.card)} ${MASKED_FIELDS.has(f.key) ? this.revealButton(f.key) : null}
                  </td>
                  ${
                    compared
                      ? html`<td class="value" data-testid="registry-value">
                          ${f.registry === null ? m.noRegistryValue : this.value(f.key, f.registry)}
                        </td>`
                      : null
                  }
                </tr>`,
            )}
          </tbody>
        </table>
        <p
          class="more ${this.rowsBelow > 0 ? '' : 'none'}"
          aria-hidden=${this.rowsBelow > 0 ? 'false' : 'true'}
          data-testid=${this.rowsBelow > 0 ? 'more-rows' : 'no-more-rows'}
        >
          ${m.moreRows(Math.max(this.rowsBelow, 1))}
        </p>
      </div>
      ${this.referenceLine()}
      <div class="actions">
        ${
          v.canLinkReturnData
            ? html`<button class="btn" data-testid="link-return-data" @click=${() => this.intent({ type: 'linkReturnData' })}>
                ${m.linkReturnData}
              </button>`
            : null
        }
        <button class="btn primary" data-testid="finish" @click=${() => this.intent({ type: 'finish' })}>${this.messages.done}</button>
      </div>`;
  }
}
