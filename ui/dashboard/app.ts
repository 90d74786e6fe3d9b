/**
 * The staff dashboard shell: sign-in, then the panels, kept fresh by polling the staff API. It is
 * the only element that holds the API; panels raise actions as events (events.ts). Served at
 * /staff/ by the kiosk's own listener (the kiosk's browser, on loopback) and by the LAN listener.
 * On the kiosk it keeps the kiosk page's keep-alive going, offers the way back to the kiosk (and
 * signs out on the way), signs out by itself when left alone, so a taxpayer never finds a
 * signed-in dashboard, and writes files to a stick where a desk browser would download them. On a
 * small screen (the kiosk's 800×480) one section shows at a time, chosen from a row of tabs.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { UI_PING_INTERVAL_MS } from '../api.ts';
import type { Locale } from '../i18n.ts';
import { controls, tokens } from '../styles.ts';
import {
  SignedOut,
  StaffApi,
  StaffApiError,
  type ExportResult,
  type Overview,
  type ReportExport,
  type ReturnDataStatus,
  type SessionSummary,
  type StaffAlert,
  type StaffSession,
} from './api.ts';
import { STAFF_ACTION_EVENT, type StaffAction } from './events.ts';
import { dashboardMessages, wibTime } from './i18n.ts';
import { dashboardTokens } from './styles.ts';
import { SECTIONS, type Section } from './sections.ts';
import type { AnjSignIn, SignInRequest } from './components/sign-in.ts';
import './components/sign-in.ts';
import './components/panels.ts';

/** How often the panels are refreshed. */
export const POLL_MS = 3000;
/** On the kiosk, a dashboard nobody touched for this long signs out and hands the screen back. */
export const KIOSK_IDLE_SIGN_OUT_MS = 120_000;
/** On the kiosk, input tells the daemon someone is at the desk at most this often. */
const KIOSK_TOUCH_EVERY_MS = 30_000;
const RECENT_SESSIONS = 20;
/** The screens that show one section at a time (the kiosk's 800×480 first); the CSS below says the same. */
const SMALL_SCREEN = '(max-width: 1099px), (max-height: 899px)';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

type Phase = 'checking' | 'signedOut' | 'signedIn';
type Busy = 'pause' | 'assist' | 'export' | 'report' | 'ack';

@customElement('anj-dashboard')
export class AnjDashboard extends LitElement {
  @state() private phase: Phase = 'checking';
  @state() private locale: Locale = 'id';
  @state() private session: StaffSession | null = null;
  @state() private overview: Overview | null = null;
  @state() private alerts: StaffAlert[] = [];
  @state() private sessions: SessionSummary[] = [];
  @state() private returnData: ReturnDataStatus | null = null;
  @state() private exportResult: ExportResult | null = null;
  @state() private exportRefusal = '';
  @state() private connectionLost = false;
  @state() private signInNotice = '';
  @state() private signInBusy = false;
  @state() private busy = new Set<Busy>();
  @state() private actionFailed = false;
  /** The section shown on a small screen. */
  @state() private section: Section = 'kiosk';
  /** On the kiosk: the user IDs staff pick from (null: type one). */
  @state() private operators: string[] | null = null;
  /** The card photo for the face check: an object URL of a Blob held in memory only. */
  @state() private photo: string | null = null;
  @state() private reportResult: ReportExport | null = null;
  @state() private reportRefusal = '';
  /** Large text: the panels' text 1.3× (the header and tabs keep their size, like the kiosk's frame). */
  @state() private largeText = false;
  /** Large text on a small screen: the active section's panels one at a time; which one, of how many. */
  @state() private panelPage = 0;
  @state() private panelPages = 1;
  /** Served by the kiosk's own listener into the kiosk's browser. */
  private readonly onKiosk = LOOPBACK.has(location.hostname);
  private readonly api = new StaffApi({ baseUrl: location.origin });
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private pinger: ReturnType<typeof setInterval> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the daemon last heard of someone at the desk (it signs a kiosk session out after two idle minutes too). */
  private lastTouch = 0;
  private readonly onInput = () => {
    this.armIdleSignOut();
    // Reading and scrolling send no request: tell the daemon now and then that someone is here.
    if (this.phase === 'signedIn' && Date.now() - this.lastTouch > KIOSK_TOUCH_EVERY_MS) {
      this.lastTouch = Date.now();
      void this.api.session().catch(() => undefined);
    }
  };

  static override styles = [
    tokens,
    dashboardTokens,
    controls,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--anj-canvas);
      }
      :host([large-text]) {
        --anj-staff-text-scale: 1.3;
      }
      .panel-pager {
        display: none;
      }
      /* The frame keeps its size in large text: the panels' text grows. */
      header,
      nav {
        font-size: 17px;
      }
      header .large-text[aria-pressed='true'] {
        background: #fff;
        color: var(--anj-primary);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 10px;
        padding: 8px 16px;
        background: var(--anj-primary);
        color: #fff;
      }
      h1 {
        font-size: var(--anj-title);
        margin: 0;
      }
      h1:focus {
        outline: none;
      }
      header .sub {
        font-size: 0.85em;
      }
      header .btn {
        background: transparent;
        border-color: #fff;
        color: #fff;
        min-height: 48px;
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      main {
        padding: 16px;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 24em), 1fr));
        gap: 16px;
        align-items: start;
      }
      .wide {
        grid-column: 1 / -1;
      }
      .section {
        display: contents;
      }
      nav {
        display: none;
      }
      /* Any screen short of a desk's (the kiosk's 800×480 first): one section at a time, chosen
         from a row of tabs, header and tabs a row each. */
      @media (max-width: 1099px), (max-height: 899px) {
        :host {
          display: flex;
          flex-direction: column;
          height: 100vh;
          height: 100dvh;
          min-height: 0;
          --anj-list-height: 11em;
          --anj-chart-height: 9em;
        }
        main {
          flex: 1 1 auto;
          min-height: 0;
          overflow: auto;
          padding: 8px;
        }
        header {
          flex-wrap: nowrap;
          padding: 4px 10px;
        }
        h1 {
          font-size: 20px;
        }
        header .office {
          display: none;
        }
        header .btn {
          padding: 0 0.6em;
          font-size: 0.9em;
        }
        .section {
          grid-template-columns: repeat(auto-fit, minmax(min(100%, 18em), 1fr));
          align-items: start;
        }
        .section[data-section='kiosk'],
        .section[data-section='quota'] {
          grid-template-columns: repeat(auto-fit, minmax(min(100%, 18em), 3fr) minmax(min(100%, 12em), 2fr));
        }
        nav {
          display: flex;
          flex-wrap: wrap;
          gap: 4px;
          padding: 4px 8px;
          background: var(--anj-paper);
          border-bottom: 2px solid #c3ccd8;
        }
        nav .btn {
          min-height: 48px;
          padding: 0 0.6em;
          border-width: 2px;
          font-size: 0.9em;
        }
        nav .btn[aria-current='page'] {
          background: var(--anj-primary);
          color: var(--anj-primary-ink);
        }
        .grid {
          display: block;
        }
        .section {
          display: grid;
          gap: 8px;
        }
        .section:not([data-active]) {
          display: none;
        }
        /* Large text: one panel at a time, turned with the buttons under it, instead of a column
           taller than the screen. */
        :host([large-text]) {
          --anj-list-height: 8.5em;
          --anj-chart-height: 6em;
        }
        :host([large-text]) main {
          padding: 4px 6px;
        }
        :host([large-text]) nav {
          padding: 2px 8px;
        }
        :host([large-text]) .section {
          grid-template-columns: minmax(0, 1fr);
        }
        :host([large-text]) .section > * {
          padding: 6px 12px 8px;
        }
        :host([large-text]) .section > [data-off-page] {
          display: none;
        }
        :host([large-text]) .panel-pager {
          display: flex;
          align-items: center;
          justify-content: center;
          gap: 8px;
          padding: 4px 8px;
          font-size: 17px;
          background: var(--anj-paper);
          border-top: 2px solid #c3ccd8;
        }
        .panel-pager .btn {
          min-height: 48px;
          padding: 0 0.8em;
          border-width: 2px;
        }
        .panel-pager .at {
          font-weight: 700;
          min-width: 3em;
          text-align: center;
        }
      }
      .badge {
        display: inline-block;
        min-width: 1.4em;
        margin-left: 0.3em;
        border-radius: 0.7em;
        background: var(--anj-bad);
        color: #fff;
        text-align: center;
        font-size: 0.85em;
      }
      .banner {
        background: var(--anj-warn-bg);
        color: var(--anj-warn);
        border: 2px solid var(--anj-warn);
        border-radius: 8px;
        padding: 8px 12px;
        margin-bottom: 12px;
        font-weight: 700;
      }
      .signin {
        display: grid;
        justify-items: center;
        gap: 12px;
        max-width: 40em;
        margin: 0 auto;
        background: var(--anj-paper);
        border-radius: var(--anj-radius);
        padding: 16px;
      }
      .signin h2 {
        margin: 0;
      }
      .signin p {
        margin: 0;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener(STAFF_ACTION_EVENT, (e) => void this.perform((e as CustomEvent<StaffAction>).detail));
    this.addEventListener('anj-sign-in', (e) => void this.signIn((e as CustomEvent<SignInRequest>).detail));
    if (this.onKiosk) {
      this.pinger = setInterval(() => void this.api.kioskPing().catch(() => undefined), UI_PING_INTERVAL_MS);
      void this.api.kioskPing().catch(() => undefined);
      for (const type of ['pointerdown', 'keydown']) window.addEventListener(type, this.onInput, { passive: true, capture: true });
      void this.loadOperators();
    }
    void this.resume();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.pollTimer);
    clearTimeout(this.idleTimer);
    clearInterval(this.pinger);
    for (const type of ['pointerdown', 'keydown']) window.removeEventListener(type, this.onInput, { capture: true });
  }

  private get m() {
    return dashboardMessages(this.locale);
  }

  /** On the kiosk, the roster's user IDs: a failure leaves the form where one is typed. */
  private async loadOperators(): Promise<void> {
    try {
      this.operators = await this.api.operators();
    } catch {
      this.operators = null;
    }
  }

  /** A reload keeps the session: ask the daemon whether this browser is signed in. */
  private async resume(): Promise<void> {
    try {
      const session = await this.api.session();
      if (session) this.enter(session);
      else this.leave();
    } catch {
      this.connectionLost = true;
      this.phase = 'signedOut';
    }
  }

  private async signIn(request: SignInRequest): Promise<void> {
    this.signInBusy = true;
    this.signInNotice = '';
    try {
      const result = await this.api.signIn(request.userId, request.pin);
      this.connectionLost = false;
      if (result.ok) this.enter(result.session);
      else if (result.reason === 'locked')
        this.signInNotice = this.m.signIn.locked(result.lockedUntil ? wibTime(result.lockedUntil) : null);
      else this.signInNotice = this.m.signIn.refused;
    } catch {
      this.connectionLost = true;
    } finally {
      this.signInBusy = false;
      this.renderRoot.querySelector<AnjSignIn>('anj-sign-in')?.clearPin();
    }
  }

  private enter(session: StaffSession): void {
    this.lastTouch = Date.now();
    this.session = session;
    this.phase = 'signedIn';
    this.signInNotice = '';
    this.armIdleSignOut();
    void this.poll();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('h1')?.focus());
  }

  /** Back to the sign-in form; everything the last operator saw is dropped. */
  private leave(): void {
    clearTimeout(this.pollTimer);
    clearTimeout(this.idleTimer);
    this.dropPhoto();
    this.reportResult = null;
    this.reportRefusal = '';
    this.phase = 'signedOut';
    this.largeText = false;
    this.session = null;
    this.overview = null;
    this.alerts = [];
    this.sessions = [];
    this.returnData = null;
    this.exportResult = null;
    this.exportRefusal = '';
    this.busy = new Set();
  }

  private async signOut(): Promise<void> {
    try {
      await this.api.signOut();
    } catch {
      this.connectionLost = true;
    }
    this.leave();
  }

  private armIdleSignOut(): void {
    if (!this.onKiosk || this.phase !== 'signedIn') return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.backToKiosk(), KIOSK_IDLE_SIGN_OUT_MS);
  }

  /** The kiosk screen goes back to the taxpayer: whoever was signed in here is signed out first. */
  private async backToKiosk(): Promise<void> {
    if (this.phase === 'signedIn') await this.signOut();
    location.assign('/');
  }

  private dropPhoto(): void {
    if (this.photo) URL.revokeObjectURL(this.photo);
    this.photo = null;
  }

  /**
   * The card photo is fetched once when staff reach the face check at the kiosk, and dropped as
   * soon as that step is over: it exists only as a Blob in this page's memory meanwhile.
   */
  private async followAssist(previous: Overview | null, next: Overview): Promise<void> {
    const was = previous?.assist.step ?? null;
    const step = next.assist.step;
    if (step !== null && was === null) this.section = 'assist';
    if (step !== 'compareFace' || !next.assist.atKiosk) return this.dropPhoto();
    if (this.photo) return;
    try {
      const blob = await this.api.assistPhoto();
      if (this.overview?.assist.step === 'compareFace') this.photo = URL.createObjectURL(blob);
    } catch (e) {
      if (e instanceof SignedOut) this.leave();
    }
  }

  /** One refresh of every panel, then the next one is scheduled (never two at once). */
  private async poll(): Promise<void> {
    clearTimeout(this.pollTimer);
    try {
      const [overview, alerts, sessions, returnData] = await Promise.all([
        this.api.overview(),
        this.api.alerts(),
        this.api.sessions(RECENT_SESSIONS),
        this.api.returnData(),
      ]);
      const previous = this.overview;
      this.overview = overview;
      void this.followAssist(previous, overview);
      this.alerts = alerts;
      this.sessions = sessions;
      this.returnData = returnData;
      this.connectionLost = false;
    } catch (e) {
      if (e instanceof SignedOut) return this.leave();
      this.connectionLost = true;
    }
    if (this.phase === 'signedIn') this.pollTimer = setTimeout(() => void this.poll(), POLL_MS);
  }

  private async withBusy(what: Busy, run: () => Promise<void>): Promise<void> {
    this.busy = new Set([...this.busy, what]);
    this.actionFailed = false;
    try {
      await run();
    } catch (e) {
      if (e instanceof SignedOut) return this.leave();
      this.actionFailed = true;
    } finally {
      const next = new Set(this.busy);
      next.delete(what);
      this.busy = next;
    }
  }

  /** A change on the kiosk, then the panels at once (not at the next poll), so staff see its effect. */
  private changeThenRefresh(what: Busy, change: () => Promise<void>): Promise<void> {
    return this.withBusy(what, async () => {
      await change();
      await this.poll();
    });
  }

  private async perform(action: StaffAction): Promise<void> {
    switch (action.type) {
      case 'acknowledgeAlert':
        return this.changeThenRefresh('ack', () => this.api.acknowledgeAlert(action.id));
      case 'setPaused':
        return this.changeThenRefresh('pause', () => this.api.setPaused(action.paused));
      case 'assistUnlock':
        return this.changeThenRefresh('assist', () => this.api.assistUnlock());
      case 'assistFace':
        return this.changeThenRefresh('assist', () => this.api.assistFace(action.matches));
      case 'exportReturnData':
        return this.withBusy('export', async () => {
          this.exportRefusal = '';
          this.exportResult = null;
          try {
            this.exportResult = await this.api.exportReturnData(action.format, action.target);
          } catch (e) {
            // A typed refusal (nothing pending, target gone) is told in the panel, in words.
            if (!(e instanceof StaffApiError) || !e.reason) throw e;
            this.exportRefusal = e.reason;
          }
          await this.poll();
        });
      case 'downloadExport':
        return this.withBusy('export', () => this.save(this.api.exportFilePath(action.exportId, action.file), action.file));
      case 'downloadReport':
        return this.withBusy('report', () =>
          this.save(
            this.api.reportPath(action.semester, action.format),
            `${this.locale === 'id' ? 'laporan-semester' : 'semester-report'}-${action.semester}.${action.format}`,
          ),
        );
      case 'exportReport':
        return this.withBusy('report', async () => {
          this.reportResult = null;
          this.reportRefusal = '';
          try {
            this.reportResult = await this.api.exportReport(action.semester, action.format, action.target);
          } catch (e) {
            if (!(e instanceof StaffApiError) || !e.reason) throw e;
            this.reportRefusal = e.reason;
          }
        });
    }
  }

  /** Fetches a file with the session and hands it to the browser's download. */
  private async save(path: string, filename: string): Promise<void> {
    const blob = await this.api.file(path);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.style.display = 'none';
    this.renderRoot.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  private toggleLocale(): void {
    this.locale = this.locale === 'id' ? 'en' : 'id';
    document.documentElement.lang = this.locale;
  }

  private signInView() {
    const m = this.m.signIn;
    return html`<section class="signin" aria-labelledby="signin-title">
      <h2 id="signin-title">${m.title}</h2>
      <p>${m.intro}</p>
      <anj-sign-in
        .messages=${this.m}
        notice=${this.signInNotice}
        ?busy=${this.signInBusy}
        ?onScreenKeyboard=${this.onKiosk}
        .operators=${this.onKiosk ? this.operators : null}
      ></anj-sign-in>
    </section>`;
  }

  /** The tabs of a small screen; the number of open alerts rides on theirs. */
  private nav() {
    const m = this.m.sections;
    const open = this.alerts.filter((a) => a.acknowledgedAt === null).length;
    return html`<nav aria-label=${m.label} data-testid="sections">
      ${SECTIONS.map(
        (s) =>
          html`<button
            class="btn"
            data-testid=${`section-${s}`}
            aria-current=${this.section === s ? 'page' : 'false'}
            @click=${() => (this.section = s)}
          >
            ${m[s]}${s === 'alerts' && open > 0 ? html`<span class="badge">${open}</span>` : nothing}
          </button>`,
      )}
    </nav>`;
  }

  private panels() {
    const o = this.overview;
    const m = this.m;
    if (!o) return nothing;
    const section = (name: Section, content: unknown) =>
      html`<div
        class="section ${name === 'assist' || name === 'sessions' ? 'wide' : ''}"
        data-section=${name}
        ?data-active=${this.section === name}
      >
        ${content}
      </div>`;
    return html`<div class="grid">
      ${section(
        'assist',
        html`<anj-assist-panel
          class="wide"
          .messages=${m}
          .step=${o.assist.step}
          ?atKiosk=${o.assist.atKiosk}
          ?busy=${this.busy.has('assist')}
          .photo=${this.photo}
        ></anj-assist-panel>`,
      )}
      ${section('alerts', html`<anj-alerts-panel .messages=${m} .alerts=${this.alerts}></anj-alerts-panel>`)}
      ${section(
        'kiosk',
        html`<anj-health-panel .messages=${m} .health=${o.health}></anj-health-panel>
          <anj-kiosk-panel
            .messages=${m}
            locale=${this.locale}
            ?paused=${o.kiosk.paused}
            ?busy=${this.busy.has('pause')}
            .kiosk=${o.kiosk}
            .lastUpdate=${o.update}
          ></anj-kiosk-panel>`,
      )}
      ${section(
        'quota',
        html`<anj-quota-panel .messages=${m} .quota=${o.quota}></anj-quota-panel>
          <anj-agreement-panel .messages=${m} .agreement=${o.agreement}></anj-agreement-panel>`,
      )}
      ${section(
        'returnData',
        html`<anj-return-data-panel
          .messages=${m}
          .status=${this.returnData}
          .result=${this.exportResult}
          refusal=${this.exportRefusal}
          ?busy=${this.busy.has('export')}
          ?atKiosk=${this.onKiosk}
        ></anj-return-data-panel>`,
      )}
      ${section(
        'report',
        html`<anj-report-panel
          .messages=${m}
          ?busy=${this.busy.has('report')}
          ?atKiosk=${this.onKiosk}
          .targets=${this.returnData?.targets ?? []}
          .result=${this.reportResult}
          refusal=${this.reportRefusal}
        ></anj-report-panel>`,
      )}
      ${section('sessions', html`<anj-sessions-panel class="wide" .messages=${m} locale=${this.locale} .sessions=${this.sessions}></anj-sessions-panel>`)}
    </div>`;
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    this.toggleAttribute('large-text', this.largeText);
    if (changed.has('section') || changed.has('largeText')) this.panelPage = 0;
    this.pagePanels();
  }

  /** Large text on a small screen: shows the active section's panel of this page, hides the others. */
  private pagePanels(): void {
    const active = this.renderRoot.querySelector<HTMLElement>('.section[data-active]');
    const panels = active ? [...active.children] : [];
    const paged = this.largeText && matchMedia(SMALL_SCREEN).matches && panels.length > 1;
    const pages = paged ? panels.length : 1;
    for (const [i, panel] of panels.entries()) panel.toggleAttribute('data-off-page', paged && i !== this.panelPage);
    if (pages !== this.panelPages) this.panelPages = pages;
  }

  private panelPager() {
    if (this.phase !== 'signedIn' || this.panelPages < 2) return nothing;
    const m = this.m;
    const at = this.panelPage + 1;
    return html`<div class="panel-pager" role="group" data-testid="panel-pager">
      <button class="btn" data-testid="panel-previous" ?disabled=${at === 1} @click=${() => (this.panelPage -= 1)}>
        ◀ ${m.previousPanel}
      </button>
      <span class="at" data-testid="panel-at" aria-label=${m.panelLabel(at, this.panelPages)}>${at}/${this.panelPages}</span>
      <button class="btn" data-testid="panel-next" ?disabled=${at === this.panelPages} @click=${() => (this.panelPage += 1)}>
        ${m.nextPanel} ▶
      </button>
    </div>`;
  }

  override render() {
    const m = this.m;
    return html`<header>
        <div>
          <h1 tabindex="-1">${m.title}</h1>
          <div class="sub">
            <span class="office">${m.office}${this.session ? ' · ' : ''}</span
            >${this.session ? html`<span data-testid="operator">${m.signedInAs(this.session.operatorId)}</span>` : nothing}
          </div>
        </div>
        <div class="tools">
          <button
            class="btn large-text"
            data-testid="large-text"
            aria-pressed=${String(this.largeText)}
            @click=${() => (this.largeText = !this.largeText)}
          >
            <span aria-hidden="true">A+</span> ${m.largeText}
          </button>
          <button class="btn" data-testid="switch-language" lang=${this.locale === 'id' ? 'en' : 'id'} @click=${() => this.toggleLocale()}>
            ${m.switchLanguage}
          </button>
          ${this.onKiosk ? html`<button class="btn" data-testid="back-to-kiosk" @click=${() => void this.backToKiosk()}>${m.backToKiosk}</button>` : nothing}
          ${this.phase === 'signedIn' ? html`<button class="btn" data-testid="sign-out" @click=${() => void this.signOut()}>${m.signOut}</button>` : nothing}
        </div>
      </header>
      ${this.phase === 'signedIn' ? this.nav() : nothing}
      <main>
        <div role="status" aria-live="polite">
          ${this.connectionLost ? html`<p class="banner" data-testid="connection-lost">${m.connectionLost}</p>` : nothing}
          ${this.actionFailed ? html`<p class="banner" data-testid="action-failed">${m.actionFailed}</p>` : nothing}
        </div>
        ${this.phase === 'signedOut' ? this.signInView() : this.phase === 'signedIn' ? this.panels() : nothing}
      </main>
      ${this.panelPager()}`;
  }
}
