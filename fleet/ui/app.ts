/**
 * The fleet dashboard (served at / by every fleet instance), in the staff dashboard's manner
 * (ui/dashboard/): sign-in, then panels kept fresh by polling one typed API; the kiosk's colours
 * and controls; states told by a word, never by colour alone; Bahasa Indonesia first.
 * Panels: today's shared quota, alerts, kiosks (health from their heartbeats, last heartbeat,
 * hits per hour, leases held), data balikan with export, the semester report, enrolment.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Locale } from '../../ui/i18n.ts';
import { controls, tokens } from '../../ui/styles.ts';
import { dashboardTokens, panel } from '../../ui/dashboard/styles.ts';
import { bars, PLOT, recentSemesters } from '../../ui/dashboard/figures.ts';
import { FleetApi, SignedOut, type FleetOverview, type KioskRow } from './api.ts';
import { fleetMessages } from './i18n.ts';

export const POLL_MS = 5000;

type Busy = 'export' | 'report' | 'register' | 'kiosk';

function wibTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', {
    timeZone: 'Asia/Jakarta',
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(new Date(iso));
}

@customElement('anj-fleet-dashboard')
export class AnjFleetDashboard extends LitElement {
  @state() private phase: 'checking' | 'signedOut' | 'signedIn' = 'checking';
  @state() private locale: Locale = 'id';
  @state() private adminId: string | null = null;
  @state() private overview: FleetOverview | null = null;
  @state() private connectionLost = false;
  @state() private actionFailed = false;
  @state() private signInNotice = '';
  @state() private busy = new Set<Busy>();
  @state() private issued: { kioskId: string; token: string; expiresAt: string } | null = null;
  @state() private exported: { exportId: string; files: string[]; count: number } | null = null;
  @state() private exportNothing = false;
  @state() private semester = recentSemesters(new Date())[0]!;
  private readonly api = new FleetApi();
  private pollTimer: ReturnType<typeof setTimeout> | undefined;

  static override styles = [
    tokens,
    dashboardTokens,
    controls,
    panel,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--anj-canvas);
        border: none;
        border-radius: 0;
        padding: 0;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: 10px;
        padding: 8px 16px;
        background: var(--anj-primary);
        color: #fff;
      }
      h1 {
        font-size: var(--anj-title);
        margin: 0;
      }
      header .btn {
        background: transparent;
        border-color: #fff;
        color: #fff;
      }
      main {
        padding: 16px;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 26em), 1fr));
        gap: 16px;
        align-items: start;
      }
      section {
        background: var(--anj-paper);
        border: 2px solid #c3ccd8;
        border-radius: var(--anj-radius);
        padding: 12px 16px 16px;
      }
      .wide {
        grid-column: 1 / -1;
        overflow-x: auto;
      }
      .banner {
        grid-column: 1 / -1;
        background: var(--anj-warn-bg);
        color: var(--anj-warn);
        border: 2px solid var(--anj-warn);
        border-radius: 8px;
        padding: 8px 12px;
        font-weight: 700;
        margin: 0;
      }
      input {
        min-height: 44px;
        border: 2px solid var(--anj-ink);
        border-radius: 8px;
        padding: 0 8px;
        font: inherit;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: end;
      }
      label {
        display: grid;
        gap: 4px;
      }
      code {
        word-break: break-all;
        background: #eef2f7;
        padding: 2px 4px;
      }
      svg.hours {
        width: 12em;
        height: 2.4em;
      }
      svg.hours rect {
        fill: var(--anj-primary);
      }
    `,
  ];

  private get m() {
    return fleetMessages(this.locale);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.api
      .session()
      .then((who) => (who ? this.enter(who) : (this.phase = 'signedOut')))
      .catch(() => {
        this.connectionLost = true;
        this.phase = 'signedOut';
      });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.pollTimer);
  }

  private enter(adminId: string): void {
    this.adminId = adminId;
    this.phase = 'signedIn';
    void this.poll();
  }

  private leave(): void {
    clearTimeout(this.pollTimer);
    this.phase = 'signedOut';
    this.adminId = null;
    this.overview = null;
    this.issued = null;
    this.exported = null;
  }

  private async poll(): Promise<void> {
    clearTimeout(this.pollTimer);
    try {
      this.overview = await this.api.overview();
      this.connectionLost = false;
    } catch (e) {
      if (e instanceof SignedOut) return this.leave();
      this.connectionLost = true;
    }
    if (this.phase === 'signedIn') this.pollTimer = setTimeout(() => void this.poll(), POLL_MS);
  }

  private async act(what: Busy, run: () => Promise<void>): Promise<void> {
    this.busy = new Set([...this.busy, what]);
    this.actionFailed = false;
    try {
      await run();
      await this.poll();
    } catch (e) {
      if (e instanceof SignedOut) return this.leave();
      this.actionFailed = true;
    } finally {
      const next = new Set(this.busy);
      next.delete(what);
      this.busy = next;
    }
  }

  private async signIn(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    try {
      const r = await this.api.signIn(String(data.get('adminId') ?? ''), String(data.get('password') ?? ''));
      form.reset();
      if (r.ok) this.enter(r.adminId);
      else this.signInNotice = r.reason === 'locked' ? this.m.signIn.locked : this.m.signIn.refused;
    } catch {
      this.connectionLost = true;
    }
  }

  private async save(path: string, name: string): Promise<void> {
    const blob = await this.api.file(path);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    this.renderRoot.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  private register(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    void this.act('register', async () => {
      this.issued = await this.api.registerKiosk(String(data.get('id') ?? ''), String(data.get('site') ?? ''));
      form.reset();
    });
  }

  private kioskState(k: KioskRow): string {
    const m = this.m.kiosks;
    if (k.revoked) return m.revoked;
    if (!k.enrolled) return m.notEnrolled;
    if (k.silent) return m.silent;
    if (!k.status) return m.never;
    if (k.status.kiosk.screen === 'outOfService') return m.outOfService(k.status.kiosk.reason);
    const h = k.status.health;
    const problems = [
      h.idReader !== 'ready' && `reader ${h.idReader}`,
      h.sam !== 'ready' && `SAM ${h.sam}`,
      h.sensor !== 'ready' && `sensor ${h.sensor}`,
      h.uplink !== 'ready' && `uplink ${h.uplink}`,
      h.tamper !== 'closed' && `tamper ${h.tamper}`,
    ].filter(Boolean);
    return problems.length ? `${m.serving}; ${m.devices}: ${problems.join(', ')}` : m.serving;
  }

  private hours(perHour: number[] | undefined) {
    const b = bars(perHour ?? []);
    return html`<svg
      class="hours"
      viewBox="${PLOT.left} ${PLOT.top} ${PLOT.right - PLOT.left} ${PLOT.bottom - PLOT.top}"
      preserveAspectRatio="none"
      role="img"
      aria-label=${(perHour ?? []).join(', ')}
    >
      ${b.map((x) => svg`<rect x=${x.x} y=${x.y} width=${x.width} height=${x.height}></rect>`)}
    </svg>`;
  }

  private panels(o: FleetOverview) {
    const m = this.m;
    const busy = (b: Busy) => this.busy.has(b);
    return html`
      <section aria-labelledby="quota-h">
        <h2 id="quota-h">${m.quota.title} (${o.day.day})</h2>
        <p data-testid="quota-figure">${m.quota.figure(o.day.committed, o.day.limit)}</p>
        <p class="muted">${m.quota.left(Math.max(0, o.day.limit - o.day.committed))}</p>
      </section>
      <section aria-labelledby="alerts-h">
        <h2 id="alerts-h">${m.alerts.title}</h2>
        ${
          o.alerts.length === 0
            ? html`<p class="tone-ok">✓ ${m.alerts.none}</p>`
            : html`<ul data-testid="alerts">
                ${o.alerts.map((a) => html`<li class="tone-warn">⚠ ${(m.alerts.kinds as Record<string, string>)[a.kind] ?? a.kind}${a.kioskId ? ` — ${a.kioskId}` : ''}</li>`)}
              </ul>`
        }
      </section>
      <section class="wide" aria-labelledby="kiosks-h">
        <h2 id="kiosks-h">${m.kiosks.title}</h2>
        <table data-testid="kiosks">
          <thead>
            <tr>
              <th>${m.kiosks.id}</th>
              <th>${m.kiosks.site}</th>
              <th>${m.kiosks.state}</th>
              <th>${m.kiosks.heartbeat}</th>
              <th>${m.kiosks.spent}</th>
              <th>${m.kiosks.hours}</th>
              <th>${m.kiosks.leases}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${o.kiosks.map(
              (k) =>
                html`<tr data-kiosk=${k.id}>
                  <td>${k.id}</td>
                  <td>${k.site}</td>
                  <td>${this.kioskState(k)}</td>
                  <td>${k.heartbeatAt ? wibTime(k.heartbeatAt, this.locale) : m.kiosks.never}</td>
                  <td>${k.quota?.used ?? 0}</td>
                  <td>${this.hours(k.quota?.perHour)}</td>
                  <td>${k.leases.held} / ${k.leases.expiredHeld}</td>
                  <td class="row">
                    <button
                      class="btn"
                      ?disabled=${busy('kiosk')}
                      @click=${() => void this.act('kiosk', async () => void (this.issued = await this.api.newToken(k.id)))}
                    >
                      ${m.kiosks.newToken}
                    </button>
                    ${k.revoked ? nothing : html`<button class="btn" ?disabled=${busy('kiosk')} @click=${() => void this.act('kiosk', () => this.api.revoke(k.id))}>${m.kiosks.revoke}</button>`}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        <form @submit=${(e: SubmitEvent) => this.register(e)}>
          <label>${m.kiosks.registerId}<input name="id" required maxlength="40" pattern="[A-Za-z0-9][A-Za-z0-9._\\-]*" /></label>
          <label>${m.kiosks.registerSite}<input name="site" required maxlength="120" /></label>
          <button class="btn" ?disabled=${busy('register')}>${m.kiosks.register}</button>
        </form>
        ${this.issued ? html`<p data-testid="token">${m.kiosks.token(this.issued.kioskId, wibTime(this.issued.expiresAt, this.locale))}<br /><code>${this.issued.token}</code></p>` : nothing}
      </section>
      <section aria-labelledby="rd-h">
        <h2 id="rd-h">${m.returnData.title}</h2>
        <p data-testid="return-data">
          ${m.returnData.counts(o.returnData.pending, o.returnData.delivered, o.returnData.exported, o.returnData.setAside)}
        </p>
        <div class="row">
          ${(['xlsx', 'csv'] as const).map(
            (f) =>
              html`<button
                class="btn"
                ?disabled=${busy('export')}
                @click=${() =>
                  void this.act('export', async () => {
                    this.exportNothing = false;
                    try {
                      this.exported = await this.api.exportReturnData(f);
                    } catch (e) {
                      if ((e as { reason?: string }).reason !== 'nothingPending') throw e;
                      this.exportNothing = true;
                    }
                  })}
              >
                ${m.returnData.export(f)}
              </button>`,
          )}
        </div>
        ${this.exportNothing ? html`<p class="muted">${m.returnData.nothing}</p>` : nothing}
        ${
          this.exported
            ? html`<p>${m.returnData.exported(this.exported.count)}</p>
                <ul>
                  ${this.exported.files.map((f) => html`<li><a href="#" @click=${(e: Event) => (e.preventDefault(), void this.act('export', () => this.save(this.api.exportPath(this.exported!.exportId, f), f)))}>${f}</a></li>`)}
                </ul>`
            : nothing
        }
      </section>
      <section aria-labelledby="report-h">
        <h2 id="report-h">${m.report.title}</h2>
        <div class="row">
          <label
            >${m.report.semester}
            <select @change=${(e: Event) => (this.semester = (e.target as HTMLSelectElement).value)}>
              ${recentSemesters(new Date()).map((s) => html`<option value=${s} ?selected=${s === this.semester}>${s}</option>`)}
            </select>
          </label>
          ${(['xlsx', 'pdf'] as const).map(
            (f) =>
              html`<button
                class="btn"
                ?disabled=${busy('report')}
                @click=${() => void this.act('report', () => this.save(this.api.reportPath(this.semester, f), `laporan-semester-armada-${this.semester}.${f}`))}
              >
                ${f === 'xlsx' ? m.report.xlsx : m.report.pdf}
              </button>`,
          )}
        </div>
      </section>
    `;
  }

  override render() {
    const m = this.m;
    return html`<header>
        <div>
          <h1>${m.title}</h1>
          <div>${m.office}${this.adminId ? ` · ${m.signedInAs(this.adminId)}` : ''}</div>
        </div>
        <div class="row">
          <button class="btn" lang=${this.locale === 'id' ? 'en' : 'id'} @click=${() => (this.locale = this.locale === 'id' ? 'en' : 'id')}>
            ${m.switchLanguage}
          </button>
          ${this.phase === 'signedIn' ? html`<button class="btn" @click=${() => void this.api.signOut().then(() => this.leave())}>${m.signOut}</button>` : nothing}
        </div>
      </header>
      <main>
        <div role="status" aria-live="polite" class="wide" style="display: contents">
          ${this.connectionLost ? html`<p class="banner" data-testid="connection-lost">${m.connectionLost}</p>` : nothing}
          ${this.actionFailed ? html`<p class="banner">${m.actionFailed}</p>` : nothing}
        </div>
        ${
          this.phase === 'signedOut'
            ? html`<section aria-labelledby="signin-h">
                <h2 id="signin-h">${m.signIn.title}</h2>
                <form @submit=${(e: SubmitEvent) => void this.signIn(e)}>
                  <label>${m.signIn.adminId}<input name="adminId" autocomplete="username" required maxlength="32" /></label>
                  <label
                    >${m.signIn.password}<input name="password" type="password" autocomplete="current-password" required maxlength="200"
                  /></label>
                  <button class="btn">${m.signIn.submit}</button>
                </form>
                ${this.signInNotice ? html`<p class="error" data-testid="sign-in-notice">${this.signInNotice}</p>` : nothing}
              </section>`
            : this.overview
              ? this.panels(this.overview)
              : nothing
        }
      </main>`;
  }
}
