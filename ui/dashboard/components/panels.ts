/**
 * The dashboard's panels. Each renders one part of the overview the app polls and raises the
 * operator's actions as events (events.ts); none holds the API or any state of the kiosk.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { controls, tokens } from '../../styles.ts';
import { dashboardTokens, panel } from '../styles.ts';
import { bytes, wibDateTime, wibTime, type DashboardMessages } from '../i18n.ts';
import {
  type DeviceHealth,
  type ExportFormat,
  type ExportResult,
  type Overview,
  type ReportExport,
  type ReturnDataStatus,
  type SessionSummary,
  type StaffAlert,
} from '../api.ts';
import { emitAction, type StaffAction } from '../events.ts';
import { messages as kioskMessages, type Locale } from '../../i18n.ts';
import { recentSemesters } from '../figures.ts';
import './quota-chart.ts';
import { RepaginateOnResize, rowPageStarts } from '../../components/row-pages.ts';

type Tone = 'ok' | 'warn' | 'bad';
const SYMBOL: Record<Tone, string> = { ok: '✓', warn: '!', bad: '✕' };
/** How each health code reads at a glance; a code the daemon adds later shows as a fault. */
const TONE: Record<string, Tone> = { ready: 'ok', closed: 'ok', recovering: 'warn', unknown: 'warn', locked: 'warn' };

class Panel extends LitElement {
  @property({ attribute: false }) messages!: DashboardMessages;
  static override styles = [tokens, dashboardTokens, controls, panel];

  protected act(action: StaffAction): void {
    emitAction(this, action);
  }
}

/**
 * A panel with a list (alerts, sessions): the list comes in pages of whole rows, as many as its
 * box holds (--anj-list-height), turned with the buttons under it, never a scrolling window.
 */
class PagedListPanel extends Panel {
  @state() protected listPage = 0;
  @state() protected listStarts: number[] = [0];
  /** The list's pages follow its box (the dashboard's size, the text size). */
  private readonly resize = new RepaginateOnResize(this, () => this.paginate());
  static override styles = [
    ...Panel.styles,
    css`
      .scroll {
        overflow: hidden;
      }
      :host(:not([measuring])) tr.off-page {
        display: none;
      }
      .list-pager {
        display: flex;
        align-items: center;
        gap: 8px;
        margin-top: 6px;
      }
      .list-pager .at {
        font-weight: 700;
        min-width: 3em;
        text-align: center;
      }
    `,
  ];

  override updated(changed: Map<PropertyKey, unknown>): void {
    if ([...changed.keys()].some((k) => k !== 'listPage' && k !== 'listStarts')) this.paginate();
  }

  private paginate(): void {
    const room = this.renderRoot.querySelector<HTMLElement>('.scroll');
    const table = room?.querySelector<HTMLElement>('table');
    if (!room || !table) return;
    const starts = rowPageStarts(this, room, table, [...table.querySelectorAll<HTMLElement>('tr[data-row]')]);
    if (starts.join() !== this.listStarts.join()) this.listStarts = starts;
    this.listPage = Math.min(this.listPage, starts.length - 1);
  }

  /** The class of the row at index i: on another page, it is not shown. */
  protected offPage(i: number): string {
    const first = this.listStarts[this.listPage] ?? 0;
    const end = this.listStarts[this.listPage + 1] ?? Infinity;
    return i < first || i >= end ? 'off-page' : '';
  }

  protected listPager() {
    const pages = this.listStarts.length;
    if (pages < 2) return nothing;
    const m = this.messages;
    const at = this.listPage + 1;
    return html`<div class="list-pager" role="group" data-testid="list-pager">
      <button class="btn" data-testid="list-previous" ?disabled=${at === 1} @click=${() => (this.listPage -= 1)}>
        ◀ ${m.previousPanel}
      </button>
      <span class="at" data-testid="list-at" aria-label=${m.panelLabel(at, pages)}>${at}/${pages}</span>
      <button class="btn" data-testid="list-next" ?disabled=${at === pages} @click=${() => (this.listPage += 1)}>${m.nextPanel} ▶</button>
    </div>`;
  }
}

const UPDATE_TONE: Record<string, Tone> = { installed: 'warn', booted: 'warn', markedGood: 'ok', rolledBack: 'bad' };

@customElement('anj-health-panel')
export class HealthPanel extends Panel {
  @property({ attribute: false }) health!: DeviceHealth;

  private row(
    key: keyof DashboardMessages['health']['names'],
    code: string,
    tone: Tone = TONE[code] ?? 'bad',
    text = this.messages.health.states[code] ?? code,
  ) {
    return html`<tr data-testid=${`health-${key}`} data-tone=${tone} data-state=${code}>
      <th scope="row">${this.messages.health.names[key]}</th>
      <td class=${`tone-${tone}`}><span aria-hidden="true">${SYMBOL[tone]}</span> ${text}</td>
    </tr>`;
  }

  override render() {
    const m = this.messages.health;
    const h = this.health;
    const freeShare = h.disk.totalBytes > 0 ? h.disk.freeBytes / h.disk.totalBytes : 0;
    return html`<h2 id="t">${m.title}</h2>
      <table aria-labelledby="t">
        ${this.row('idReader', h.idReader)} ${this.row('sam', h.sam)} ${this.row('sensor', h.sensor)} ${this.row('uplink', h.uplink)}
        ${this.row('tamper', h.tamper, TONE[h.tamper] ?? 'bad', m.tamper[h.tamper] ?? h.tamper)}
        ${this.row('disk', String(h.disk.freeBytes), freeShare < 0.05 ? 'bad' : freeShare < 0.15 ? 'warn' : 'ok', m.diskFree(bytes(h.disk.freeBytes), bytes(h.disk.totalBytes)))}
      </table>`;
  }
}

@customElement('anj-quota-panel')
export class QuotaPanel extends Panel {
  @property({ attribute: false }) quota!: Overview['quota'];

  override render() {
    const m = this.messages.quota;
    const q = this.quota;
    const projection = q.used >= q.limit ? m.reached : q.projectedLimitAt ? m.projected(wibTime(q.projectedLimitAt)) : m.notReachedToday;
    return html`<h2>${m.title}</h2>
      <p data-testid="quota-used"><strong>${m.used(q.used, q.limit)}</strong></p>
      <anj-quota-chart .perHour=${q.perHour} .messages=${this.messages}></anj-quota-chart>
      <p data-testid="quota-projection">${projection}</p>`;
  }
}

@customElement('anj-agreement-panel')
export class AgreementPanel extends Panel {
  @property({ attribute: false }) agreement!: Overview['agreement'];

  override render() {
    const m = this.messages.agreement;
    const a = this.agreement;
    const tone: Tone = !a.inForce ? 'bad' : a.daysLeft !== null && a.daysLeft <= 30 ? 'warn' : 'ok';
    return html`<h2>${m.title}</h2>
      <p class=${`tone-${tone}`} data-testid="agreement-state" data-in-force=${String(a.inForce)}>
        <span aria-hidden="true">${SYMBOL[tone]}</span> <strong>${a.inForce ? m.inForce : m.notInForce}</strong>
        ${a.inForce && a.daysLeft !== null ? html` — <span data-testid="agreement-days-left">${m.daysLeft(a.daysLeft)}</span>` : nothing}
      </p>
      <p class="muted">${m.period(a.start, a.end)}</p>`;
  }
}

@customElement('anj-alerts-panel')
export class AlertsPanel extends PagedListPanel {
  @property({ attribute: false }) alerts: StaffAlert[] = [];

  override render() {
    const m = this.messages.alerts;
    const kinds = m.kinds as Record<string, string>;
    const open = this.alerts.filter((a) => a.acknowledgedAt === null).length;
    // The count is a live region: a new alert is announced even while the operator looks elsewhere.
    return html`<h2>
        ${m.title}
        <span class=${open > 0 ? 'tone-bad' : 'muted'} role="status" data-testid="alerts-open" data-open=${open}>(${m.open(open)})</span>
      </h2>
      ${
        this.alerts.length === 0
          ? html`<p class="muted" data-testid="alerts-none">${m.none}</p>`
          : html`<div class="scroll" role="region" aria-label=${m.title}>
                <table>
                  ${this.alerts.map(
                    (a, i) =>
                      html`<tr
                        data-row
                        class=${this.offPage(i)}
                        data-testid="alert"
                        data-alert-id=${String(a.id)}
                        data-kind=${a.kind}
                        data-acknowledged=${String(a.acknowledgedAt !== null)}
                      >
                        <td>${wibDateTime(a.at)}</td>
                        <td class=${a.acknowledgedAt ? '' : 'tone-bad'}><strong>${kinds[a.kind] ?? a.kind}</strong></td>
                        <td>
                          ${
                            a.acknowledgedAt
                              ? html`<span class="muted">${m.acknowledgedBy(a.acknowledgedBy, wibTime(a.acknowledgedAt))}</span>`
                              : html`<button
                                  class="btn"
                                  data-testid="alert-ack"
                                  @click=${() => this.act({ type: 'acknowledgeAlert', id: a.id })}
                                >
                                  ${m.acknowledge}
                                </button>`
                          }
                        </td>
                      </tr>`,
                  )}
                </table>
              </div>
              ${this.listPager()}`
      }`;
  }
}

@customElement('anj-sessions-panel')
export class SessionsPanel extends PagedListPanel {
  @property({ attribute: false }) sessions: SessionSummary[] = [];
  @property() locale: Locale = 'id';

  override render() {
    const m = this.messages.sessions;
    if (this.sessions.length === 0)
      return html`<h2>${m.title}</h2>
        <p class="muted">${m.none}</p>`;
    return html`<h2 id="t">${m.title}</h2>
      <div class="scroll" role="region" aria-labelledby="t">
        <table aria-labelledby="t">
          <tr>
            <th scope="col">${m.reference}</th>
            <th scope="col">${m.time}</th>
            <th scope="col">${m.outcome}</th>
            <th scope="col">${m.duration}</th>
          </tr>
          ${this.sessions.map(
            (s, i) =>
              html`<tr data-row class=${this.offPage(i)} data-testid="session" data-reference=${s.reference}>
                <td><code>${s.reference}</code></td>
                <td>${wibDateTime(s.startedAt)}</td>
                <td data-outcome=${s.outcome ?? 'running'}>
                  ${s.outcome === null ? m.running : (m.outcomes[s.outcome] ?? s.outcome)}
                  ${s.hint ? html`<div class="muted hint" data-testid="session-hint">${s.hint[this.locale]}</div>` : nothing}
                </td>
                <td>${s.durationMs === null ? '—' : m.seconds(Math.round(s.durationMs / 1000))}</td>
              </tr>`,
          )}
        </table>
      </div>
      ${this.listPager()}`;
  }
}

/**
 * The kiosk's service: serving or paused (with the button to change it), what its screen shows,
 * and the last software update. Beside the parts' table, so both fit the kiosk's 800×480.
 */
@customElement('anj-kiosk-panel')
export class KioskPanel extends Panel {
  @property({ type: Boolean }) paused = false;
  @property({ type: Boolean }) busy = false;
  @property({ attribute: false }) kiosk!: Overview['kiosk'];
  @property({ attribute: false }) lastUpdate: Overview['update'] = null;
  @property() locale: Locale = 'id';

  /** The kiosk screen in words: the out-of-service reason as the kiosk itself says it. */
  private screen(): string {
    const k = kioskMessages(this.locale);
    const reasons = k.outOfService.reason as Record<string, string>;
    const names = this.messages.health.screens;
    if (this.kiosk.screen === 'outOfService' && this.kiosk.reason)
      return `${names.outOfService}: ${reasons[this.kiosk.reason] ?? this.kiosk.reason}`;
    return names[this.kiosk.screen] ?? this.kiosk.screen;
  }

  override render() {
    const m = this.messages.kiosk;
    const h = this.messages.health;
    return html`<h2>${m.title}</h2>
      <p data-testid="kiosk-paused" data-paused=${String(this.paused)} class=${this.paused ? 'tone-warn' : 'tone-ok'}>
        <span aria-hidden="true">${this.paused ? '❚❚' : '✓'}</span> ${this.paused ? m.paused : m.running}
      </p>
      ${
        this.paused
          ? html`<button
              class="btn primary"
              data-testid="kiosk-resume"
              ?disabled=${this.busy}
              @click=${() => this.act({ type: 'setPaused', paused: false })}
            >
              ${m.resume}
            </button>`
          : html`<button
              class="btn"
              data-testid="kiosk-pause"
              ?disabled=${this.busy}
              @click=${() => this.act({ type: 'setPaused', paused: true })}
            >
              ${m.pause}
            </button>`
      }
      <p class="muted" data-testid="kiosk-screen" data-screen-code=${this.kiosk.screen}>${h.screen(this.screen())}</p>
      ${
        this.lastUpdate
          ? html`<p
              class=${`tone-${UPDATE_TONE[this.lastUpdate.event] ?? 'bad'}`}
              data-testid="update-state"
              data-event=${this.lastUpdate.event}
            >
              <span aria-hidden="true">${SYMBOL[UPDATE_TONE[this.lastUpdate.event] ?? 'bad']}</span>
              ${h.update[this.lastUpdate.event](this.lastUpdate.release?.split(' ')[0] ?? '', wibDateTime(this.lastUpdate.at))}
            </p>`
          : nothing
      }`;
  }
}

@customElement('anj-assist-panel')
export class AssistPanel extends Panel {
  @property({ attribute: false }) step: string | null = null;
  @property({ type: Boolean }) atKiosk = false;
  @property({ type: Boolean }) busy = false;
  /** The card photo (an object URL of a Blob in memory) while staff compare the face. */
  @property({ attribute: false }) photo: string | null = null;

  private body() {
    const m = this.messages.assist;
    if (this.step !== null && !this.atKiosk)
      return html`<p class="tone-warn" data-testid="assist-at-kiosk-only"><strong>${m.atKioskOnly}</strong></p>`;
    switch (this.step) {
      case null:
        return html`<p class="muted" data-testid="assist-idle">${m.idle}</p>`;
      case 'callStaff':
        return html`<p class="tone-warn"><strong>${m.callStaff}</strong></p>
          <button class="btn primary" data-testid="assist-unlock" ?disabled=${this.busy} @click=${() => this.act({ type: 'assistUnlock' })}>
            ${m.unlock}
          </button>`;
      case 'compareFace':
        return html`<div class="compare">
          ${this.photo ? html`<img src=${this.photo} alt=${m.photoAlt} data-testid="assist-photo" />` : nothing}
          <div>
            <p><strong>${m.compareFace}</strong></p>
            <div class="row">
              <button
                class="btn ok"
                data-testid="assist-face-matches"
                ?disabled=${this.busy}
                @click=${() => this.act({ type: 'assistFace', matches: true })}
              >
                ${m.faceMatches}
              </button>
              <button
                class="btn bad"
                data-testid="assist-face-differs"
                ?disabled=${this.busy}
                @click=${() => this.act({ type: 'assistFace', matches: false })}
              >
                ${m.faceDiffers}
              </button>
            </div>
          </div>
        </div>`;
      case 'readingRecord':
        return html`<p role="status">${m.readingRecord}</p>`;
      default:
        return html`<p role="status">${m.waiting}</p>`;
    }
  }

  override render() {
    return html`<h2>${this.messages.assist.title}</h2>
      <div data-testid="assist" data-step=${this.step ?? 'none'}>${this.body()}</div>`;
  }
}

@customElement('anj-return-data-panel')
export class ReturnDataPanel extends Panel {
  @property({ attribute: false }) status: ReturnDataStatus | null = null;
  @property({ attribute: false }) result: ExportResult | null = null;
  /** The daemon's code for the last refused export. */
  @property() refusal = '';
  @property({ type: Boolean }) busy = false;
  /** On the kiosk's screen, whose browser does not download: the files are on the stick already. */
  @property({ type: Boolean }) atKiosk = false;
  @state() private format: ExportFormat = 'xlsx';
  @state() private target = '';
  /** The export whose result staff put away to export again. */
  @state() private resultClosed: string | null = null;
  static override styles = [
    ...Panel.styles,
    css`
      /* The result takes the form's place: both together do not fit the kiosk's 800×480. */
      [data-testid='export-result'] code {
        overflow-wrap: anywhere;
      }
      [data-testid='export-result'] code {
        font-size: 0.85em;
      }
      [data-testid='export-result'] .row p {
        margin: 0;
      }
    `,
  ];

  private chosenTarget(): string | undefined {
    const targets = this.status?.targets ?? [];
    return targets.some((t) => t.id === this.target) ? this.target : targets[0]?.id;
  }

  private targetLabel(): string {
    const id = this.chosenTarget();
    return this.status?.targets.find((t) => t.id === id)?.label ?? '';
  }

  private exportNow(e: Event): void {
    e.preventDefault();
    const target = this.chosenTarget();
    if (target === undefined) return;
    this.act({ type: 'exportReturnData', format: this.format, target });
  }

  override render() {
    const m = this.messages.returnData;
    const s = this.status;
    if (!s) return html`<h2>${m.title}</h2>`;
    const r = this.result && this.result.exportId !== this.resultClosed ? this.result : null;
    return html`<h2>${m.title}</h2>
      <table>
        <tr>
          <th scope="row">${m.pending}</th>
          <td data-testid="return-data-pending">${s.pending}</td>
        </tr>
        <tr>
          <th scope="row">${m.delivered}</th>
          <td data-testid="return-data-delivered">${s.delivered}</td>
        </tr>
        <tr>
          <th scope="row">${m.exported}</th>
          <td data-testid="return-data-exported">${s.exported}</td>
        </tr>
      </table>
      ${s.deadLettered > 0 ? html`<p class="tone-warn" data-testid="return-data-dead-lettered">${m.deadLettered(s.deadLettered)}</p>` : nothing}
      ${
        r
          ? nothing
          : s.targets.length === 0
            ? html`<p class="muted">${m.noTargets}</p>`
            : html`<form @submit=${(e: Event) => this.exportNow(e)}>
                <p>
                  <label for="target">${m.target}</label><br />
                  <select
                    id="target"
                    data-testid="export-target"
                    @change=${(e: Event) => (this.target = (e.target as HTMLSelectElement).value)}
                  >
                    ${s.targets.map((t) => html`<option value=${t.id} ?selected=${t.id === this.target}>${t.label}</option>`)}
                  </select>
                </p>
                <div class="row" role="radiogroup" aria-labelledby="format-label">
                  <span id="format-label" class="label">${m.format}</span>
                  ${(['xlsx', 'csv'] as const).map(
                    (f) =>
                      html`<button
                        type="button"
                        class="btn choice"
                        role="radio"
                        aria-checked=${String(this.format === f)}
                        data-testid=${`export-format-${f}`}
                        @click=${() => (this.format = f)}
                      >
                        ${f.toUpperCase()}
                      </button>`,
                  )}
                </div>
                <button class="btn primary" type="submit" data-testid="export-start" ?disabled=${this.busy}>
                  ${this.busy ? m.exporting : m.export}
                </button>
              </form>`
      }
      ${
        this.refusal
          ? html`<p class="error" role="alert" data-testid="export-refused" data-reason=${this.refusal}>
              ${m.refused[this.refusal] ?? this.messages.actionFailed}
            </p>`
          : nothing
      }
      ${
        r
          ? html`<div data-testid="export-result" data-export-id=${r.exportId} role="status">
              <div class="row">
                <p>${m.exportedCount(r.count)}${r.remaining ? html` ${m.remaining(r.remaining)}` : nothing}</p>
                <button type="button" class="btn" data-testid="export-again" @click=${() => (this.resultClosed = r.exportId)}>
                  ${m.exportAgain}
                </button>
              </div>
              ${
                this.atKiosk
                  ? html`<p data-testid="export-written">
                      ${m.writtenTo(this.targetLabel())} ${r.files.map((f, i) => html`${i > 0 ? ', ' : ''}<code>${f}</code>`)}
                    </p>`
                  : html`<div class="row">
                      ${r.files.map(
                        (name) =>
                          html`<button
                            class="btn"
                            data-testid="export-download"
                            data-file=${name}
                            @click=${() => this.act({ type: 'downloadExport', exportId: r.exportId, file: name })}
                          >
                            ${m.download(name)}
                          </button>`,
                      )}
                    </div>`
              }
              <p class="muted">${m.checksum}: <code data-testid="export-sha256">${r.sha256}</code></p>
            </div>`
          : nothing
      }`;
  }
}

@customElement('anj-report-panel')
export class ReportPanel extends Panel {
  /** A report is being made (the PDF takes Chromium a few seconds). */
  @property({ type: Boolean }) busy = false;
  /** On the kiosk's screen, whose browser does not download: the report goes to a stick. */
  @property({ type: Boolean }) atKiosk = false;
  /** Where a report may be written (the data balikan export's targets). */
  @property({ attribute: false }) targets: { id: string; label: string }[] = [];
  @property({ attribute: false }) result: ReportExport | null = null;
  /** The daemon's code for the last refused export. */
  @property() refusal = '';
  @state() private semester = recentSemesters(new Date())[0]!;
  @state() private target = '';

  private get(format: 'xlsx' | 'pdf'): void {
    if (!this.atKiosk) return this.act({ type: 'downloadReport', semester: this.semester, format });
    const target = this.targets.some((t) => t.id === this.target) ? this.target : this.targets[0]?.id;
    if (target !== undefined) this.act({ type: 'exportReport', semester: this.semester, format, target });
  }

  override render() {
    const m = this.messages.report;
    const busy = this.busy;
    const noStick = this.atKiosk && this.targets.length === 0;
    return html`<h2>${m.title}</h2>
      <div class="row">
        <label for="semester">${m.semester}</label>
        <select
          id="semester"
          data-testid="report-semester"
          @change=${(e: Event) => (this.semester = (e.target as HTMLSelectElement).value)}
        >
          ${recentSemesters(new Date()).map((s) => {
            const [year, half] = s.split('-') as [string, '1' | '2'];
            return html`<option value=${s} ?selected=${s === this.semester}>${m.semesterName(year, half)}</option>`;
          })}
        </select>
      </div>
      ${
        this.atKiosk && this.targets.length > 0
          ? html`<div class="row">
              <label for="report-target">${m.target}</label>
              <select
                id="report-target"
                data-testid="report-target"
                @change=${(e: Event) => (this.target = (e.target as HTMLSelectElement).value)}
              >
                ${this.targets.map((t) => html`<option value=${t.id} ?selected=${t.id === this.target}>${t.label}</option>`)}
              </select>
            </div>`
          : nothing
      }
      ${noStick ? html`<p class="muted" data-testid="report-no-targets">${m.noTargets}</p>` : nothing}
      <div class="row">
        <button class="btn" data-testid="report-xlsx" ?disabled=${busy || noStick} @click=${() => this.get('xlsx')}>
          ${this.atKiosk ? m.exportXlsx : m.xlsx}
        </button>
        <button class="btn" data-testid="report-pdf" ?disabled=${busy || noStick} @click=${() => this.get('pdf')}>
          ${this.atKiosk ? m.exportPdf : m.pdf}
        </button>
      </div>
      ${busy ? html`<p role="status" data-testid="report-preparing">${m.preparing}</p>` : nothing}
      ${this.result && !busy ? html`<p role="status" data-testid="report-exported">${m.exported(this.result.file, this.result.target)}</p>` : nothing}
      ${this.refusal ? html`<p class="error" role="alert" data-testid="report-refused">${m.refused[this.refusal] ?? this.messages.actionFailed}</p>` : nothing}`;
  }
}
