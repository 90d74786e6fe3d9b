/**
 * What every screen element shares: the view it renders, the messages of the current language,
 * a `data-screen` attribute naming it (a stable handle for tests and styling) and the styles.
 */
import { LitElement, html, nothing } from 'lit';
import '../components/session-reference.ts';
import { property } from 'lit/decorators.js';
import type { KioskView, Screen } from '../../device/view/protocol.ts';
import { controls, screen, tokens } from '../styles.ts';
import { emitIntent } from '../events.ts';
import type { Intent } from '../../device/view/protocol.ts';
import type { Locale, Messages } from '../i18n.ts';

export type ViewOf<S extends Screen> = Extract<KioskView, { screen: S }>;

export abstract class ScreenElement<S extends Screen> extends LitElement {
  abstract readonly screenName: S;
  @property({ attribute: false }) view!: ViewOf<S>;
  @property({ attribute: false }) messages!: Messages;
  @property() locale: Locale = 'id';

  static override styles = [tokens, controls, screen];

  override connectedCallback(): void {
    super.connectedCallback();
    this.dataset.screen = this.screenName;
  }

  /** The session's reference code, on the screens whose view carries one. */
  protected referenceLine() {
    const reference = (this.view as { reference?: string }).reference;
    return reference
      ? html`<anj-session-reference .reference=${reference} .label=${this.messages.sessionReference}></anj-session-reference>`
      : nothing;
  }

  protected intent(intent: Intent): void {
    emitIntent(this, intent);
  }
}
