import { css, html, type PropertyValues } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';
import type { ResultOutcome } from '../../device/view/protocol.ts';

const TONE: Record<ResultOutcome, 'ok' | 'warn' | 'bad'> = {
  verified: 'ok',
  dataDiffers: 'warn',
  notFound: 'bad',
  deceased: 'bad',
  inactive: 'bad',
  duplicateRecords: 'bad',
};

@customElement('anj-screen-result')
export class ResultScreen extends ScreenElement<'result'> {
  readonly screenName = 'result';
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
      .value {
        overflow-wrap: break-word;
      }
    `,
  ];

  /** On a small screen the table scrolls: bring the first differing row into sight. */
  override updated(changed: PropertyValues<this>) {
    super.updated(changed);
    if (changed.has('view') && this.view.outcome === 'dataDiffers') {
      this.renderRoot.querySelector('tr.differs')?.scrollIntoView({ block: 'nearest' });
    }
  }

  override render() {
    const m = this.messages.result;
    const v = this.view;
    const advice = m.outcome[v.outcome];
    return html`<div class="headline ${TONE[v.outcome]}" role="status" data-testid="outcome" data-outcome=${v.outcome}>
        <h1>${advice.title}</h1>
        <p>${advice.action}</p>
      </div>
      <div class="table-wrap">
        <table>
          <thead>
            <tr><th scope="col">${m.fieldHeader}</th><th scope="col">${m.cardHeader}</th><th scope="col">${m.registryHeader}</th></tr>
          </thead>
          <tbody>
            ${v.fields.map(
              (f) => html`<tr class=${f.agrees ? 'agrees' : 'differs'} data-testid=${`field-${f.key}`} data-agrees=${String(f.agrees)}>
                <th scope="row">
                  ${f.label[this.locale]}
                  <span class="mark ${f.agrees ? 'agrees' : 'differs'}" data-testid="field-mark">${f.agrees ? `✓ ${m.agrees}` : `✗ ${m.differs}`}</span>
                </th>
                <td class="value" data-testid="card-value">${f.card}</td>
                <td class="value" data-testid="registry-value">${f.registry ?? m.noRegistryValue}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <div class="actions">
        ${v.canLinkReturnData
          ? html`<button class="btn" data-testid="link-return-data" @click=${() => this.intent({ type: 'linkReturnData' })}>${m.linkReturnData}</button>`
          : null}
        <button class="btn primary" data-testid="finish" @click=${() => this.intent({ type: 'finish' })}>${this.messages.done}</button>
      </div>`;
  }
}
