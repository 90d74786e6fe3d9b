/**
 * The session's reference code, small, on the screens that end a session: a taxpayer who needs
 * help afterwards quotes it and staff find the session on the dashboard (no personal data in it).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

@customElement('anj-session-reference')
export class AnjSessionReference extends LitElement {
  @property() reference = '';
  @property() label = '';

  static override styles = css`
    :host {
      display: block;
      font-size: 0.8em;
      color: var(--anj-muted, #3d4a5c);
    }
    p {
      margin: 0;
    }
    code {
      font-family: 'DejaVu Sans Mono', monospace;
      letter-spacing: 0.08em;
    }
  `;

  override render() {
    return html`<p data-testid="session-reference">${this.label}: <code>${this.reference}</code></p>`;
  }
}
