/**
 * The kiosk shell: follows the view stream, shows the screen element for the current view, the
 * idle warning over it, the language toggle and, in demo mode, the demo panel. It is the only
 * element that holds the API; everything below raises intents as events.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { DemoPersonaSummary, Intent, KioskView } from '../device/server/protocol.ts';
import { KioskApi, UI_PING_INTERVAL_MS, type ConnectionState } from './api.ts';
import { DEMO_EVENT, INTENT_EVENT, STAFF_EVENT, type DemoAction, type StaffAction } from './events.ts';
import { messages, type Locale } from './i18n.ts';
import { controls, tokens } from './styles.ts';
import './screens/welcome.ts';
import './screens/reading-card.ts';
import './screens/awaiting-finger.ts';
import './screens/staff-assist.ts';
import './screens/validating.ts';
import './screens/result.ts';
import './screens/return-data.ts';
import './screens/finished.ts';
import './screens/failed.ts';
import './screens/out-of-service.ts';
import './components/idle-overlay.ts';
import './components/demo-panel.ts';

/** Screens where nobody is mid-session: the next person should meet the default language. */
const RESTING_SCREENS = new Set<KioskView['screen']>(['welcome', 'outOfService']);

@customElement('anj-app')
export class AnjApp extends LitElement {
  @state() private view: KioskView | null = null;
  @state() private locale: Locale = 'id';
  @state() private connection: ConnectionState = 'connecting';
  @state() private personas: DemoPersonaSummary[] = [];
  @state() private demoNotice = '';
  /** The answer to a staff PIN on the out-of-service screen (tamper lock). */
  @state() private staffNotice: 'pinRejected' | 'switchOpen' | null = null;
  private api = new KioskApi({ baseUrl: location.origin });
  private stream: { close(): void } | null = null;
  private pinger: ReturnType<typeof setInterval> | undefined;

  static override styles = [
    tokens,
    controls,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: auto minmax(0, 1fr) auto;
        grid-template-areas: 'header' 'main' 'demo';
        height: 100vh;
        height: 100dvh;
        background: var(--anj-canvas);
        overflow: hidden;
      }
      /* In landscape the demo panel becomes a side column, so the kiosk screen keeps its height. */
      @media (orientation: landscape) {
        :host {
          grid-template-columns: minmax(0, 1fr) auto;
          grid-template-rows: auto minmax(0, 1fr);
          grid-template-areas: 'header header' 'main demo';
        }
      }
      anj-demo-panel {
        grid-area: demo;
      }
      header {
        grid-area: header;
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--anj-gap);
        padding: 4px var(--anj-gap);
        background: var(--anj-primary);
        color: #fff;
      }
      .brand {
        display: grid;
        line-height: 1.15;
      }
      .brand strong {
        font-size: 1em;
      }
      .brand span {
        font-size: 0.72em;
        opacity: 0.9;
      }
      .lang {
        background: transparent;
        border-color: #fff;
        color: #fff;
        min-height: 48px;
      }
      main {
        grid-area: main;
        position: relative;
        min-height: 0;
        overflow: auto;
        background: var(--anj-paper);
      }
      main > * {
        height: 100%;
      }
      .banner {
        background: var(--anj-warn-bg);
        color: var(--anj-warn);
        font-weight: 700;
        text-align: center;
        padding: 6px;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener(INTENT_EVENT, (e) => void this.sendIntent((e as CustomEvent<Intent>).detail));
    this.addEventListener(DEMO_EVENT, (e) => void this.demo((e as CustomEvent<DemoAction>).detail));
    this.addEventListener(STAFF_EVENT, (e) => void this.staff((e as CustomEvent<StaffAction>).detail));
    this.stream = this.api.streamViews(
      (view) => this.show(view),
      (state) => (this.connection = state),
    );
    this.pinger = setInterval(() => void this.api.ping().catch(() => undefined), UI_PING_INTERVAL_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stream?.close();
    clearInterval(this.pinger);
  }

  private show(view: KioskView): void {
    if (RESTING_SCREENS.has(view.screen) && this.view !== null && !RESTING_SCREENS.has(this.view.screen)) this.locale = 'id';
    if (view.demo && this.personas.length === 0) void this.loadPersonas();
    if (view.screen !== 'outOfService') this.staffNotice = null;
    this.view = view;
    document.documentElement.lang = this.locale;
  }

  private async staff(action: StaffAction): Promise<void> {
    this.staffNotice = null;
    try {
      const result = await this.api.staffClearTamper(action.pin);
      this.staffNotice = result === 'pinRejected' || result === 'switchOpen' ? result : null;
    } catch {
      this.connection = 'reconnecting';
    }
  }

  private async loadPersonas(): Promise<void> {
    try {
      this.personas = await this.api.demoPersonas();
    } catch {
      this.demoNotice = messages(this.locale).demo.failed;
    }
  }

  /** A refused intent means the screen moved on meanwhile; the stream brings the new one. */
  private async sendIntent(intent: Intent): Promise<void> {
    try {
      await this.api.sendIntent(intent);
    } catch {
      this.connection = 'reconnecting';
    }
  }

  private async demo(action: DemoAction): Promise<void> {
    this.demoNotice = '';
    try {
      if (action.type === 'insertCard') await this.api.demoInsertCard(action.persona);
      else if (action.type === 'removeCard') await this.api.demoRemoveCard();
      else if (action.type === 'setTamper') await this.api.demoSetTamper(action.open);
      else await this.api.demoPresentFinger(action.genuine);
    } catch {
      this.demoNotice = messages(this.locale).demo.failed;
    }
  }

  private toggleLocale(): void {
    this.locale = this.locale === 'id' ? 'en' : 'id';
    document.documentElement.lang = this.locale;
  }

  private screen(view: KioskView) {
    const m = messages(this.locale);
    const l = this.locale;
    switch (view.screen) {
      case 'welcome':
        return html`<anj-screen-welcome .view=${view} .messages=${m} locale=${l}></anj-screen-welcome>`;
      case 'readingCard':
        return html`<anj-screen-reading-card .view=${view} .messages=${m} locale=${l}></anj-screen-reading-card>`;
      case 'awaitingFinger':
        return html`<anj-screen-awaiting-finger .view=${view} .messages=${m} locale=${l}></anj-screen-awaiting-finger>`;
      case 'staffAssist':
        return html`<anj-screen-staff-assist .view=${view} .messages=${m} locale=${l}></anj-screen-staff-assist>`;
      case 'validating':
        return html`<anj-screen-validating .view=${view} .messages=${m} locale=${l}></anj-screen-validating>`;
      case 'result':
        return html`<anj-screen-result .view=${view} .messages=${m} locale=${l}></anj-screen-result>`;
      case 'returnData':
        return html`<anj-screen-return-data .view=${view} .messages=${m} locale=${l}></anj-screen-return-data>`;
      case 'finished':
        return html`<anj-screen-finished .view=${view} .messages=${m} locale=${l}></anj-screen-finished>`;
      case 'failed':
        return html`<anj-screen-failed .view=${view} .messages=${m} locale=${l}></anj-screen-failed>`;
      case 'outOfService':
        return html`<anj-screen-out-of-service .view=${view} .messages=${m} locale=${l} .staffNotice=${this.staffNotice}></anj-screen-out-of-service>`;
    }
  }

  override render() {
    const m = messages(this.locale);
    const view = this.view;
    return html`<header>
        <div class="brand"><strong>${m.appTitle}</strong><span>${m.office}</span></div>
        <button class="btn lang" data-testid="language" lang=${this.locale === 'id' ? 'en' : 'id'} @click=${() => this.toggleLocale()}>
          ${m.switchLanguage}
        </button>
      </header>
      <main data-seq=${view?.seq ?? -1}>
        ${this.connection === 'reconnecting' ? html`<div class="banner" role="status" data-testid="reconnecting">${m.reconnecting}</div>` : nothing}
        ${view ? this.screen(view) : nothing}
        ${view?.idleWarning
          ? html`<anj-idle-overlay .messages=${m} .secondsLeft=${view.idleWarning.secondsLeft} .seq=${view.seq}></anj-idle-overlay>`
          : nothing}
      </main>
      ${view?.demo
        ? html`<anj-demo-panel .messages=${m} locale=${this.locale} .personas=${this.personas} .view=${view} notice=${this.demoNotice}></anj-demo-panel>`
        : nothing}`;
  }
}
