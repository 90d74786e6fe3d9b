/**
 * The dashboard's look: the kiosk's colours and controls (ui/styles.ts) at desk size, each
 * panel a card with its heading. States are told by a word and a symbol, never by colour alone.
 * Its glyphs are all in DejaVu Sans, the image's font (✓ ! ✕ ❚❚).
 */
import { css } from 'lit';

export const dashboardTokens = css`
  :host {
    /* Large text (the dashboard's A+) sets the scale on the dashboard; every panel inherits it. */
    --anj-text: calc(17px * var(--anj-staff-text-scale, 1));
    --anj-title: calc(24px * var(--anj-staff-text-scale, 1));
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
  /* A choice of two (file format): buttons the size of a fingertip, the chosen one filled. */
  .btn.choice[aria-checked='true'] {
    background: var(--anj-primary);
    color: var(--anj-primary-ink);
  }
  .label {
    font-weight: 700;
  }
  /* Long lists (alerts, sessions) scroll inside their panel, not the page. */
  .scroll {
    max-height: var(--anj-list-height, 22em);
    overflow: auto;
  }
  .hint {
    font-size: 0.85em;
  }
  /* The face check: the card photo beside the question and the two answers. */
  .compare {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
    align-items: flex-start;
  }
  /* The question and its answers beside the photo, narrowing before they fall under it. */
  .compare > div {
    flex: 1 1 14em;
    min-width: 0;
  }
  .compare img {
    height: 9.5em;
    aspect-ratio: 3 / 4;
    object-fit: cover;
    border: 3px solid var(--anj-ink);
    border-radius: 6px;
    background: #cfd8e3;
  }
  .btn {
    min-height: var(--anj-touch);
  }
`;
