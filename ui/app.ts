/**
 * The kiosk shell: follows the view stream, shows the screen element for the current view, the
 * idle warning over it, the language toggle and, in demo mode, the demo panel. It is the only
 * element that holds the API; everything below raises intents as events.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { DemoPersonaSummary, Intent, KioskView } from '../device/view/protocol.ts';
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
import { STEP_ORDER, stepOf } from './components/step-bar.ts';
import { promptFile, soundFor, SOUNDS, utterance, type Sound } from './prompts.ts';
import { sessionEnded } from './session.ts';
import './components/step-bar.ts';

/** Screens on which the taxpayer's touches keep the session alive. */
const ACTIVE_SCREENS = new Set<KioskView['screen']>(['readingCard', 'awaitingFinger', 'staffAssist', 'validating', 'result', 'returnData']);
/** Screens where staff may need the dashboard: nobody is mid-session, or the taxpayer waits for staff. */
const STAFF_ENTRY_SCREENS = new Set<KioskView['screen']>(['welcome', 'outOfService', 'staffAssist']);
/** At most one activity report per this many ms: enough for a 20 s warning, light on the daemon. */
const ACTIVITY_REPORT_MS = 2000;
/** The volume steps of the sound button, quietest first; a session starts at the loudest. */
const VOLUMES = [0.35, 0.65, 1] as const;
const DEFAULT_VOLUME = VOLUMES.length - 1;

@customElement('anj-app')
export class AnjApp extends LitElement {
  @state() private view: KioskView | null = null;
  @state() private locale: Locale = 'id';
  @state() private connection: ConnectionState = 'connecting';
  @state() private personas: DemoPersonaSummary[] = [];
  @state() private demoNotice = '';
  @state() private largeText = false;
  @state() private highContrast = false;
  @state() private muted = false;
  @state() private volume: number = DEFAULT_VOLUME;
  /** What was last said (prompts.ts `utterance`), so a view that brings nothing new is not said again. */
  private spoken = '';
  /** The files being said now, in order; a new utterance replaces the list. */
  private speaking: string[] = [];
  /** What assistive technology hears on a screen change (the new screen's heading). */
  @state() private announcement = '';
  private lastActivityReport = 0;
  /** The answer to a staff PIN on the out-of-service screen (tamper lock). */
  @state() private staffNotice: 'pinRejected' | 'switchOpen' | null = null;
  private api = new KioskApi({ baseUrl: location.origin });
  /** `?demoPanel=off` shows a demo-mode kiosk as it ships, the demo driven from elsewhere. */
  private readonly demoPanelWanted = new URLSearchParams(location.search).get('demoPanel') !== 'off';
  private stream: { close(): void } | null = null;
  private pinger: ReturnType<typeof setInterval> | undefined;

  static override styles = [
    tokens,
    controls,
    css`
      /* The kiosk as it ships: a header row (brand and the one-tap settings) over the screen, the
         whole width for the screen. Portrait puts the settings at the bottom, within reach. */
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        grid-template-rows: auto minmax(0, 1fr);
        grid-template-areas: 'header tools' 'main main';
        height: 100vh;
        height: 100dvh;
        background: var(--anj-canvas);
        overflow: hidden;
      }
      @media (orientation: portrait) {
        :host {
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: auto minmax(0, 1fr) auto;
          grid-template-areas: 'header' 'main' 'tools';
        }
      }
      /* Demo mode only: the demo panel is a side column in landscape, a bottom strip in portrait. */
      :host([demo]) {
        grid-template-columns: minmax(0, 1fr) auto auto;
        grid-template-areas: 'header tools demo' 'main main demo';
      }
      @media (orientation: portrait) {
        :host([demo]) {
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: auto minmax(0, 1fr) auto auto;
          grid-template-areas: 'header' 'main' 'tools' 'demo';
        }
      }
      anj-demo-panel {
        grid-area: demo;
        min-height: 0;
        overflow: auto;
      }
      /* The kiosk's frame keeps its size in large-text mode: the screen's content grows. */
      header,
      .tools {
        font-size: clamp(14px, 1.6vmin + 7px, 22px);
        background: var(--anj-primary);
        color: #fff;
      }
      header {
        grid-area: header;
        display: flex;
        align-items: center;
        gap: 0.6em;
        min-width: 0;
        padding: 4px 0.8em;
      }
      .brand {
        display: grid;
        line-height: 1.15;
        min-width: 0;
      }
      .brand strong {
        font-size: 1.05em;
      }
      .brand span {
        font-size: 0.78em;
        opacity: 0.92;
      }
      /* The one-tap settings: a symbol with its word under it, so five fit beside the brand. */
      .tools {
        grid-area: tools;
        display: flex;
        justify-content: flex-end;
        align-items: center;
        gap: 6px;
        padding: 4px 0.8em 4px 0;
      }
      @media (orientation: portrait) {
        .tools {
          justify-content: center;
          flex-wrap: wrap;
          padding: 6px 0.8em;
        }
      }
      .tools .btn {
        display: inline-grid;
        justify-items: center;
        align-content: center;
        min-height: 48px;
        min-width: 48px;
        padding: 2px 0.5em;
        border-width: 2px;
        background: transparent;
        border-color: #fff;
        color: #fff;
        line-height: 1.1;
        white-space: nowrap;
      }
      .tools .btn .icon {
        font-size: 1.15em;
      }
      .tools .btn .word {
        font-size: 0.78em;
        font-weight: 600;
      }
      .tools .btn[aria-pressed='true'] {
        background: #fff;
        color: var(--anj-primary);
      }
      /* Discreet: a small outlined link a taxpayer has no reason to tap. */
      .staff-entry {
        display: inline-flex;
        align-items: center;
        min-height: 48px;
        margin-left: auto;
        padding: 0 0.7em;
        border: 2px solid rgba(255, 255, 255, 0.7);
        border-radius: 8px;
        color: #fff;
        font-size: 0.85em;
        text-decoration: none;
        white-space: nowrap;
      }
      .staff-entry:focus-visible {
        outline: 4px solid var(--anj-focus);
        outline-offset: 2px;
      }
      .sr-only {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
      /* The step in the header, for large text on the kiosk's short panel (below). */
      .step-now {
        display: none;
        font-weight: 700;
        white-space: nowrap;
      }
      /* Large text on the kiosk's short panel (800×480): the frame gives the screen its room. The
         step bar's row goes and the current step takes the brand's place in the header (the
         taxpayer is mid-session and knows where they are; the brand shows again on the welcome
         screen). */
      @media (orientation: landscape) and (max-height: 560px) {
        :host([large-text][in-session]) .brand,
        :host([large-text][in-session]) anj-step-bar {
          display: none;
        }
        :host([large-text][in-session]) .step-now {
          display: block;
        }
      }
      main {
        grid-area: main;
        position: relative;
        min-height: 0;
        display: flex;
        flex-direction: column;
        background: var(--anj-paper);
      }
      .screen {
        flex: 1 1 auto;
        min-height: 0;
        overflow: auto;
      }
      .screen > * {
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
    // Touches, key presses and scrolling all mean the taxpayer is still there.
    for (const type of ['pointerdown', 'keydown', 'wheel', 'touchmove', 'anj-activity']) {
      this.addEventListener(type, () => this.reportActivity(), { passive: true, capture: true });
    }
    this.renderRoot.addEventListener?.('scroll', () => this.reportActivity(), { passive: true, capture: true });
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
    const previous = this.view;
    if (previous !== null && sessionEnded(previous, view)) this.resetSettings();
    if (view.demo && this.demoPanelWanted && this.personas.length === 0) void this.loadPersonas();
    if (view.screen !== 'outOfService') this.staffNotice = null;
    this.view = view;
    this.applySettings();
    if (previous === null || previous.screen !== view.screen || stepOf(previous) !== stepOf(view)) void this.announceScreen();
    const sound = soundFor(previous, view);
    if (view.idleWarning && !previous?.idleWarning) this.say(['idle-warning'], sound);
    else if (!view.idleWarning) {
      const said = utterance(view);
      if (said.id !== this.spoken || sound) this.say(said.keys, sound, said.id);
    }
  }

  /** The next person meets the default settings: language, text size, contrast and sound. */
  private resetSettings(): void {
    this.locale = 'id';
    this.largeText = false;
    this.highContrast = false;
    this.muted = false;
    this.volume = DEFAULT_VOLUME;
  }

  private speechAudio(): HTMLAudioElement | null {
    return this.renderRoot.querySelector<HTMLAudioElement>('audio[data-testid="speech"]');
  }

  /**
   * Says prompts one after the other (a sound first, if any), replacing whatever was being said.
   * The kiosk's Chromium runs with autoplay allowed.
   */
  private say(keys: string[], sound: Sound | null = null, id = this.spoken): void {
    this.spoken = id;
    const files = [...(sound ? [SOUNDS[sound]] : []), ...keys.map((k) => promptFile(k, this.locale))];
    this.speaking = files;
    void this.updateComplete.then(() => this.playNext(files, 0));
  }

  private playNext(files: string[], index: number): void {
    const audio = this.speechAudio();
    const file = files[index];
    if (!audio || file === undefined || this.speaking !== files) return;
    audio.src = `/prompts/${file}`;
    audio.dataset.file = file;
    audio.onended = () => this.playNext(files, index + 1);
    audio.volume = VOLUMES[this.volume] ?? 1;
    audio.muted = this.muted;
    if (!this.muted) audio.play().catch(() => undefined);
  }

  /** Says the current screen's prompt again (another language or volume). */
  private sayAgain(): void {
    if (this.view) this.say(utterance(this.view).keys);
  }

  private toggleMute(): void {
    this.muted = !this.muted;
    const audio = this.speechAudio();
    if (!audio) return;
    audio.muted = this.muted;
    if (this.muted) audio.pause();
  }

  private nextVolume(): void {
    this.volume = (this.volume + 1) % VOLUMES.length;
    this.muted = false;
    this.sayAgain();
  }

  /** The page-wide settings live on <html> so every shadow root inherits them. */
  private applySettings(): void {
    const root = document.documentElement;
    root.lang = this.locale;
    root.dataset.textSize = this.largeText ? 'large' : 'normal';
    root.dataset.contrast = this.highContrast ? 'high' : 'normal';
  }

  /** A new screen: focus its heading (so a screen reader and the keyboard start there) and announce it. */
  private async announceScreen(): Promise<void> {
    await this.updateComplete;
    const screen = this.renderRoot.querySelector<LitElement>('[data-screen]');
    if (!screen) return;
    await screen.updateComplete;
    const heading = screen.shadowRoot?.querySelector<HTMLElement>('h1');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
    this.announcement = heading.textContent?.trim() ?? '';
  }

  private reportActivity(): void {
    const view = this.view;
    if (!view || !ACTIVE_SCREENS.has(view.screen)) return;
    const now = Date.now();
    if (now - this.lastActivityReport < ACTIVITY_REPORT_MS) return;
    this.lastActivityReport = now;
    void this.sendIntent({ type: 'activity' });
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
    this.applySettings();
    this.sayAgain();
  }

  private toggleLargeText(): void {
    this.largeText = !this.largeText;
    this.applySettings();
  }

  private toggleContrast(): void {
    this.highContrast = !this.highContrast;
    this.applySettings();
  }

  private demoPanelShown(): boolean {
    return this.view?.demo === true && this.demoPanelWanted;
  }

  override updated(): void {
    this.toggleAttribute('demo', this.demoPanelShown());
    this.toggleAttribute('large-text', this.largeText);
    this.toggleAttribute('in-session', this.view !== null && stepOf(this.view) !== null);
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
        return html`<anj-screen-out-of-service
          .view=${view}
          .messages=${m}
          locale=${l}
          .staffNotice=${this.staffNotice}
        ></anj-screen-out-of-service>`;
    }
  }

  override render() {
    const m = messages(this.locale);
    const view = this.view;
    const step = view ? stepOf(view) : null;
    return html`<header>
        <div class="brand"><strong>${m.appTitle}</strong><span>${m.office}</span></div>
        ${step ? html`<span class="step-now" data-testid="step-now">${m.steps.inHeader(STEP_ORDER.indexOf(step) + 1, STEP_ORDER.length)}: ${m.steps[step]}</span>` : nothing}
        ${
          view && STAFF_ENTRY_SCREENS.has(view.screen)
            ? html`<a class="staff-entry" href="/staff/" data-testid="staff-entry" aria-label=${m.staffEntry.name}
                >${m.staffEntry.label}</a
              >`
            : nothing
        }
      </header>
      <div class="tools" role="toolbar" aria-label=${m.toolbar.settings}>
        <button class="btn" data-testid="large-text" aria-pressed=${String(this.largeText)} @click=${() => this.toggleLargeText()}>
          <span class="icon" aria-hidden="true">A+</span><span class="word">${m.toolbar.largeText}</span>
        </button>
        <button class="btn" data-testid="high-contrast" aria-pressed=${String(this.highContrast)} @click=${() => this.toggleContrast()}>
          <span class="icon" aria-hidden="true">◐</span><span class="word">${m.toolbar.contrast}</span>
        </button>
        <button class="btn" data-testid="mute" aria-pressed=${String(this.muted)} title=${m.toolbar.mute} @click=${() => this.toggleMute()}>
          <span class="icon" aria-hidden="true">${this.muted ? '♪✕' : '♪'}</span><span class="word">${m.toolbar.muteShort}</span>
        </button>
        <button
          class="btn"
          data-testid="volume"
          aria-label=${`${m.toolbar.volumeShort} ${this.volume + 1}/${VOLUMES.length}`}
          title=${m.toolbar.volume}
          @click=${() => this.nextVolume()}
        >
          <span class="icon" aria-hidden="true">${'▮'.repeat(this.volume + 1)}${'▯'.repeat(VOLUMES.length - this.volume - 1)}</span
          ><span class="word">${m.toolbar.volumeShort}</span>
        </button>
        <button class="btn" data-testid="language" lang=${this.locale === 'id' ? 'en' : 'id'} @click=${() => this.toggleLocale()}>
          <span class="icon" aria-hidden="true">${this.locale === 'id' ? 'EN' : 'ID'}</span><span class="word">${m.switchLanguage}</span>
        </button>
      </div>
      <audio data-testid="speech" preload="auto"></audio>
      <main data-seq=${view?.seq ?? -1}>
        <div class="sr-only" role="status" aria-live="polite" data-testid="announcement">${this.announcement}</div>
        ${this.connection === 'reconnecting' ? html`<div class="banner" role="status" data-testid="reconnecting">${m.reconnecting}</div>` : nothing}
        ${step ? html`<anj-step-bar .messages=${m} current=${step}></anj-step-bar>` : nothing}
        <div class="screen">${view ? this.screen(view) : nothing}</div>
        ${
          view?.idleWarning
            ? html`<anj-idle-overlay .messages=${m} .secondsLeft=${view.idleWarning.secondsLeft} .seq=${view.seq}></anj-idle-overlay>`
            : nothing
        }
      </main>
      ${
        this.demoPanelShown()
          ? html`<anj-demo-panel
              .messages=${m}
              locale=${this.locale}
              .personas=${this.personas}
              .view=${view}
              notice=${this.demoNotice}
            ></anj-demo-panel>`
          : nothing
      }`;
  }
}
