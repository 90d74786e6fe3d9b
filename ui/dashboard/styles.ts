/**
 * The dashboard's look: the kiosk's colours and controls (ui/styles.ts) at desk size, each
 * panel a card with its heading. States are told by a word and a symbol, never by colour alone.
 */
import { css } from 'lit';

export const dashboardTokens = css`
  :host {
    --anj-text: 17px;
    --anj-title: 24px;
    --anj-touch: 48px;
    --anj-gap: 14px;
  }
`;

export const panel = css`
  :host {
    display: block;
    box-sizing: border-box;
    background: var(--anj-paper);
    border: 2px solid #c3ccd8;
    border-radius: var(--anj-radius);
    padding: 12px 16px 16px;
  }
  h2 {
    font-size: 1.15em;
    margin: 0 0 10px;
  }
  p {
    margin: 0 0 8px;
  }
  .muted {
    color: var(--anj-muted);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 10px;
    align-items: center;
  }
  .tone-ok {
    color: var(--anj-ok);
  }
  .tone-warn {
    color: var(--anj-warn);
  }
  .tone-bad {
    color: var(--anj-bad);
  }
  .error {
    color: var(--anj-bad);
    background: var(--anj-bad-bg);
    border: 2px solid var(--anj-bad);
    border-radius: 8px;
    padding: 0.3em 0.8em;
    font-weight: 700;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 4px 8px 4px 0;
    border-bottom: 1px solid #c3ccd8;
  }
  select {
    min-height: 48px;
    border: 2px solid var(--anj-ink);
    border-radius: 8px;
    background: var(--anj-paper);
    color: var(--anj-ink);
    padding: 0 8px;
  }
  select:focus-visible,
  input:focus-visible {
    outline: 4px solid var(--anj-focus-ring);
    outline-offset: 2px;
  }
  /* A radio's touch target is its whole label row. */
  label.choice {
    min-height: var(--anj-touch);
    cursor: pointer;
  }
  label.choice input {
    width: 24px;
    height: 24px;
    margin: 0;
  }
  fieldset {
    border: none;
    margin: 0;
    padding: 0;
  }
  legend {
    font-weight: 700;
    padding: 0;
  }
  .btn {
    min-height: var(--anj-touch);
  }
`;
