import { css, html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';
import type { ResultOutcome } from '../../device/view/protocol.ts';
import { maskIdNumber } from '../format.ts';
import { pageOfRow, RepaginateOnResize, rowPageStarts } from '../components/row-pages.ts';

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
  /** The index of each page's first row: a page holds only whole rows, as many as the table's room takes. */
  @state() private pageStarts: number[] = [0];
  @state() private page = 0;
  /** The field whose full number is shown while the taxpayer holds its button. */
  @state() private revealed: string | null = null;
  static override styles = [
    ...ScreenElement.styles,
    css`
      /* Verdict on top (with the session code for staff in its corner), the table under it in
         pages of whole rows, the page buttons and the way on at the bottom: the verdict, its
         advice and the session code stay in sight, and nothing is a scroll away. */
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: auto minmax(0, 1fr) auto;
        grid-template-areas: 'head' 'table' 'foot';
        align-items: center;
        height: 100%;
        min-height: 0;
        text-align: left;
      }
      /* Portrait: the buttons follow the table, in reach, instead of sinking to the bottom edge. */
      @media (orientation: portrait) {
        :host {
          grid-template-rows: auto minmax(0, max-content) auto;
          align-content: start;
        }
      }
      .headline {
        grid-area: head;
        align-self: stretch;
        box-sizing: border-box;
        border-radius: var(--anj-radius);
        border: 3px solid;
        padding: 0.2em 0.6em;
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        grid-template-areas: 'title reference' 'action action';
        column-gap: 0.6em;
        row-gap: 0.1em;
        align-items: start;
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
        grid-area: title;
        font-size: calc(var(--anj-title) * 0.8);
      }
      .headline p {
        grid-area: action;
        color: var(--anj-ink);
        max-width: none;
      }
      /* The code is for staff: the frame's size, not the taxpayer's text size. */
      .headline anj-session-reference {
        grid-area: reference;
        max-width: 14em;
        text-align: right;
        font-size: clamp(13px, 1.6vmin + 6px, 19px);
        color: var(--anj-ink);
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
        overflow: hidden;
        border: 2px solid #cfd8e3;
        border-radius: 8px;
      }
      /* Rows of other pages; while the pages are measured every row shows. */
      :host(:not([measuring])) tr.off-page {
        display: none;
      }
      .foot {
        grid-area: foot;
        display: flex;
        align-items: center;
        gap: var(--anj-gap);
      }
      .actions {
        margin-left: auto;
        flex-wrap: nowrap;
        justify-content: flex-end;
      }
      @media (orientation: portrait) {
        .foot {
          flex-wrap: wrap;
          justify-content: center;
        }
        .actions {
          margin-left: 0;
          flex-wrap: wrap;
          justify-content: center;
        }
      }
      /* The page buttons: a symbol with its word under it, at the frame's size like the settings. */
      .pager {
        display: flex;
        align-items: center;
        gap: 6px;
        font-size: clamp(14px, 1.6vmin + 7px, 22px);
      }
      .pager .btn {
        display: inline-grid;
        justify-items: center;
        align-content: center;
        padding: 2px 0.5em;
        line-height: 1.1;
        white-space: nowrap;
      }
      .pager .icon {
        font-size: 1.2em;
      }
      .pager .word {
        font-size: 0.85em;
      }
      .page-at {
        font-weight: 700;
        white-space: nowrap;
        min-width: 2.5em;
        text-align: center;
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
      /* Fixed columns: a page's rows are measured with every row shown, so the columns must not
         change width with the rows a page holds. */
      table {
        width: 100%;
        table-layout: fixed;
        border-collapse: collapse;
        text-align: left;
        font-size: 0.85em;
      }
      thead th:first-child {
        width: 30%;
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
        background: var(--anj-canvas);
      }
      tr.differs td {
        background: var(--anj-warn-bg);
      }
      /* The mark sits under the label: three columns fit without sideways scrolling. */
      .mark {
        display: block;
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
      .source {
        display: none;
      }
      /* Large text on the kiosk's short panel: three columns would leave a long address a
         column a few words wide, taller than the screen. Each field is a block instead: its name
         and mark on a line, then each source's value on the whole width, named at its left. */
      @media (orientation: landscape) and (max-height: 560px) {
        :host {
          padding-top: 6px;
          padding-bottom: 6px;
          gap: 6px;
        }
        :host-context(html[data-text-size='large']) .actions .btn {
          padding: 0 0.6em;
          white-space: nowrap;
        }
        :host-context(html[data-text-size='large']) :is(table, tbody) {
          display: block;
        }
        :host-context(html[data-text-size='large']) caption {
          display: block;
        }
        :host-context(html[data-text-size='large']) thead {
          display: none;
        }
        :host-context(html[data-text-size='large']) tbody tr {
          display: grid;
          grid-template-columns: max-content minmax(0, 1fr);
          column-gap: 0.5em;
          padding: 0.05em 0.4em 0.15em;
          border-bottom: 2px solid #cfd8e3;
          line-height: 1.2;
        }
        :host-context(html[data-text-size='large']) tbody tr:last-child {
          border-bottom: 0;
        }
        :host-context(html[data-text-size='large']) tr.differs {
          background: var(--anj-warn-bg);
        }
        :host-context(html[data-text-size='large']) tbody th {
          grid-column: 1 / -1;
          padding: 0;
          border: 0;
        }
        :host-context(html[data-text-size='large']) .mark {
          display: inline;
          margin-left: 0.4em;
        }
        :host-context(html[data-text-size='large']) td {
          display: contents;
        }
        :host-context(html[data-text-size='large']) .source {
          display: block;
          color: var(--anj-muted);
          font-weight: 700;
        }
        /* One value (both sources hold the very same, or only the card was read): shown once, under
           the field's name. */
        :host-context(html[data-text-size='large']) tr.same .registry,
        :host-context(html[data-text-size='large']) tr.same .source {
          display: none;
        }
        :host-context(html[data-text-size='large']) tr.same .value > span {
          grid-column: 1 / -1;
        }
      }
    `,
  ];

  /** Until the taxpayer turns a page, the page with the first differing row is the one shown. */
  private pagedByTaxpayer = false;
  /** The pages follow the screen's size and the text size (which changes the verdict's size). */
  private readonly resize = new RepaginateOnResize(this, () => this.paginate());

  override updated(changed: PropertyValues<this>) {
    super.updated(changed);
    if (changed.has('view')) {
      this.pagedByTaxpayer = false;
      this.page = 0;
      const headline = this.renderRoot.querySelector('.headline');
      if (headline) this.resize.watch(headline);
    }
    if (changed.has('view') || changed.has('messages') || changed.has('locale')) this.paginate();
  }

  /** Splits the rows into pages of whole rows, as many as the table's grid row holds. */
  private paginate(): void {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.table-wrap');
    const table = this.renderRoot.querySelector<HTMLElement>('table');
    if (!wrap || !table) return;
    const starts = rowPageStarts(this, wrap, table, [...this.renderRoot.querySelectorAll<HTMLElement>('tbody tr')]);
    if (starts.join() !== this.pageStarts.join()) this.pageStarts = starts;
    if (!this.pagedByTaxpayer) {
      const firstDifference = this.view.fields.findIndex((f) => f.agrees === false);
      this.page = firstDifference < 0 ? 0 : pageOfRow(firstDifference, starts);
    } else this.page = Math.min(this.page, starts.length - 1);
  }

  private turn(by: number): void {
    this.pagedByTaxpayer = true;
    this.page = Math.max(0, Math.min(this.pageStarts.length - 1, this.page + by));
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
      agrees === null ? ['unknown', `–\u00a0${m.unknown}`] : agrees ? ['agrees', `✓\u00a0${m.agrees}`] : ['differs', `✗\u00a0${m.differs}`];
    return html`<span class="mark ${tone}" data-testid="field-mark">${text}</span>`;
  }

  private pager() {
    const m = this.messages.result;
    const pages = this.pageStarts.length;
    if (pages < 2) return nothing;
    const at = this.page + 1;
    return html`<div class="pager" role="group" aria-label=${m.tableLabel} data-testid="pager">
      <button class="btn" data-testid="page-previous" ?disabled=${this.page === 0} @click=${() => this.turn(-1)}>
        <span class="icon" aria-hidden="true">▲</span><span class="word">${m.previousPage}</span>
      </button>
      <span class="page-at" data-testid="page-at" role="status" aria-label=${m.pageLabel(at, pages)}>${m.page(at, pages)}</span>
      <button class="btn" data-testid="page-next" ?disabled=${at === pages} @click=${() => this.turn(1)}>
        <span class="icon" aria-hidden="true">▼</span><span class="word">${m.nextPage}</span>
      </button>
    </div>`;
  }

  override render() {
    const m = this.messages.result;
    const v = this.view;
    const advice = m.outcome[v.outcome];
    const compared = v.compared;
    const first = this.pageStarts[this.page] ?? 0;
    const end = this.pageStarts[this.page + 1] ?? v.fields.length;
    return html`<div class="headline ${TONE[v.outcome]}" data-testid="outcome" data-outcome=${v.outcome}>
        <h1 tabindex="-1" data-no-word-break>${unbroken(advice.title)}</h1>
        ${this.referenceLine()}
        <p data-testid="outcome-action" data-no-word-break>${unbroken(advice.action)}</p>
      </div>
      <div class="table-wrap" role="region" aria-label=${m.tableLabel}>
        <table role="table">
          ${
            compared
              ? null
              : html`<caption data-testid="not-compared">
                  ${m.notCompared}
                </caption>`
          }
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">${m.fieldHeader}</th>
              <th scope="col" role="columnheader">${m.cardHeader}</th>
              ${compared ? html`<th scope="col" role="columnheader">${m.registryHeader}</th>` : null}
            </tr>
          </thead>
          <tbody role="rowgroup">
            ${v.fields.map(
              (f, i) =>
                html`<tr
                  role="row"
                  class="${f.agrees === false ? 'differs' : 'agrees'} ${!compared || f.registry === f.card ? 'same' : ''} ${i < first || i >= end ? 'off-page' : ''}"
                  data-testid=${`field-${f.key}`}
                  data-agrees=${f.agrees === null ? 'unknown' : String(f.agrees)}
                >
                  <th scope="row" role="rowheader">${f.label[this.locale]} ${compared ? this.mark(f.agrees) : null}</th>
                  <td role="cell" class="value card">
                    <span class="source" aria-hidden="true">${m.cardHeader}</span>
                    <span
                      ><span data-testid="card-value">${this.value(f.key, f.card)}</span>
                      ${MASKED_FIELDS.has(f.key) ? this.revealButton(f.key) : null}</span
                    >
                  </td>
                  ${
                    compared
                      ? html`<td role="cell" class="value registry">
                          <span class="source" aria-hidden="true">${m.registryHeader}</span>
                          <span data-testid="registry-value"
                            >${f.registry === null ? m.noRegistryValue : this.value(f.key, f.registry)}</span
                          >
                        </td>`
                      : null
                  }
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <div class="foot">
        ${this.pager()}
        <div class="actions">
          ${
            v.canLinkReturnData
              ? html`<button class="btn" data-testid="link-return-data" @click=${() => this.intent({ type: 'linkReturnData' })}>
                  ${m.linkReturnData}
                </button>`
              : null
          }
          <button class="btn primary" data-testid="finish" @click=${() => this.intent({ type: 'finish' })}>${this.messages.done}</button>
        </div>
      </div>`;
  }
}
