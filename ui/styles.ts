/**
 * Shared look: high contrast, large type readable at arm's length, and touch targets of at
 * least 56 px (the guideline minimum is 48). Sizes scale with the viewport's short side so the
 * same screens fit 800×480 (the kiosk's panel), 1280×800 and 1080×1920. The type is DejaVu Sans,
 * the font the appliance image carries (fonts-dejavu-core), so what is measured is what ships.
 */
import { css } from 'lit';

export const tokens = css`
  :host {
    --anj-ink: #0d1b2a;
    --anj-muted: #3d4a5c;
    --anj-paper: #ffffff;
    --anj-canvas: #eef2f7;
    --anj-primary: #0b3d91;
    --anj-primary-ink: #ffffff;
    --anj-ok: #0f6b2f;
    --anj-ok-bg: #e3f4e8;
    --anj-warn: #8a4b00;
    --anj-warn-bg: #fff1d6;
    --anj-bad: #a4161a;
    --anj-bad-bg: #fde8e8;
    --anj-focus: #ffbf00;
    --anj-touch: 56px;
    /* The taxpayer's text grows in large-text mode; staff controls (PIN pads) keep the base size. */
    --anj-text-base: clamp(20px, 2.6vmin + 8px, 28px);
    --anj-text: calc(var(--anj-text-base) * var(--anj-text-scale, 1));
    --anj-title: calc(clamp(24px, 4.6vmin + 6px, 44px) * var(--anj-text-scale, 1));
    --anj-gap: clamp(8px, 2vmin, 20px);
    --anj-radius: 12px;
    --anj-focus-ring: #0d1b2a;
    color: var(--anj-ink);
    font-family: 'DejaVu Sans', sans-serif;
    font-size: var(--anj-text);
    line-height: 1.35;
  }
  /* High-contrast mode (one tap, reset after the session): black on white, no tinted states. */
  :host-context(html[data-contrast='high']) {
    --anj-ink: #000000;
    --anj-muted: #000000;
    --anj-canvas: #ffffff;
    --anj-primary: #000000;
    --anj-ok: #004d1a;
    --anj-ok-bg: #ffffff;
    --anj-warn: #5c2e00;
    --anj-warn-bg: #ffffff;
    --anj-bad: #7a0000;
    --anj-bad-bg: #ffffff;
  }
  /* Animations go when the system asks for reduced motion (shadow roots do not see the page's rule). */
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
    }
  }
`;

export const controls = css`
  button,
  select,
  input {
    font: inherit;
  }
  .btn {
    min-height: var(--anj-touch);
    min-width: var(--anj-touch);
    padding: 0 1.1em;
    border-radius: var(--anj-radius);
    border: 3px solid var(--anj-primary);
    background: var(--anj-paper);
    color: var(--anj-primary);
    font-weight: 700;
    line-height: 1.15;
    cursor: pointer;
    touch-action: manipulation;
  }
  .btn.primary {
    background: var(--anj-primary);
    color: var(--anj-primary-ink);
  }
  .btn.ok {
    background: var(--anj-ok);
    border-color: var(--anj-ok);
    color: #fff;
  }
  .btn.bad {
    background: var(--anj-bad);
    border-color: var(--anj-bad);
    color: #fff;
  }
  .btn.quiet {
    border-color: var(--anj-muted);
    color: var(--anj-muted);
  }
  .btn:focus-visible {
    outline: 4px solid var(--anj-focus-ring);
    outline-offset: 2px;
    box-shadow: 0 0 0 8px var(--anj-focus);
  }
  .btn:active {
    transform: translateY(1px);
  }
  .btn[disabled] {
    opacity: 0.45;
    cursor: default;
  }
`;

/** Layout every screen shares: centred column, title, body text, row of actions. */
export const screen = css`
  :host {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: safe center;
    gap: var(--anj-gap);
    box-sizing: border-box;
    min-height: 100%;
    padding: var(--anj-gap) calc(var(--anj-gap) * 2);
    text-align: center;
  }
  h1 {
    font-size: var(--anj-title);
    line-height: 1.15;
    margin: 0;
  }
  p {
    margin: 0;
    max-width: 40em;
  }
  .muted {
    color: var(--anj-muted);
  }
  /* Two panes side by side in landscape (PIN pad, keypad, photo), stacked in portrait. */
  .split {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: calc(var(--anj-gap) * 1.5);
  }
  @media (orientation: landscape) {
    .split {
      flex-wrap: nowrap;
    }
  }
  /* A short landscape panel (the kiosk's 7" 800×480): tighter margins, and the pictures that
     only repeat the words (.optional) give their room to the words; in large text also those
     marked .optional-large. */
  @media (orientation: landscape) and (max-height: 560px) {
    :host {
      padding: 8px 16px;
      gap: 8px;
    }
    .optional {
      display: none;
    }
  }
  @media (orientation: landscape) and (max-height: 560px) {
    :host-context(html[data-text-size='large']) .optional-large {
      display: none;
    }
  }
  /* Portrait: content starts high and actions stay within reach, not in the middle third. */
  @media (orientation: portrait) {
    :host {
      justify-content: flex-start;
      padding-top: calc(var(--anj-gap) * 3);
    }
  }
  h1:focus {
    outline: none;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: var(--anj-gap);
  }
`;
