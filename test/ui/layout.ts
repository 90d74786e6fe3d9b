/**
 * Geometry checks run in the page, through every shadow root: what a person at the kiosk would
 * find cut off. Shared by the UI screen tests (stand-in daemon) and the end-to-end tests (real
 * daemon), so both measure the same way.
 *
 * - Every visible element of the page lies inside the viewport, and inside the box of every
 *   ancestor that clips its content (overflow other than visible: a scrolling list, a cell with
 *   overflow hidden), across shadow roots: nothing is a scroll away or hidden under an edge.
 * - No element's content is larger than its box (scroll size against client size), which
 *   catches text cut by `overflow: hidden`, an ellipsis, a scrolling screen and a word that
 *   sticks out of its column.
 * - Buttons and inputs are at least 48 px each way.
 * - The words of the verdict (`data-no-word-break`) are never split across lines.
 *
 * Passed to the page as source text: the test's transpiler adds helpers the page lacks.
 */
import type { Page } from 'playwright-core';

const CHECK = `(() => {
  const problems = [];
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const name = (el) => {
    const id = el.getAttribute('data-testid');
    if (id) return id;
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 30);
    return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + (text ? ' "' + text + '"' : '');
  };
  const hidden = (el) => {
    const s = getComputedStyle(el);
    return s.display === 'none' || s.visibility === 'hidden' || s.visibility === 'collapse' || Number(s.opacity) === 0;
  };
  // Text for screen readers only: a 1 px box, or clipped away whole.
  const srOnly = (el) => {
    const s = getComputedStyle(el);
    if (s.position !== 'absolute') return false;
    return (el.getBoundingClientRect().width <= 1 && el.getBoundingClientRect().height <= 1) || s.clipPath === 'inset(50%)';
  };
  // The box an element that clips its content (overflow other than visible) shows it in.
  const clipBox = (el) => {
    const s = getComputedStyle(el);
    if (s.overflowX === 'visible' && s.overflowY === 'visible') return null;
    const r = el.getBoundingClientRect();
    const left = r.left + el.clientLeft;
    const top = r.top + el.clientTop;
    return { left, top, right: left + el.clientWidth, bottom: top + el.clientHeight, by: name(el) };
  };
  const at = (r) => [r.left, r.top, r.right, r.bottom].map(Math.round).join(',');
  // clip: the nearest clipping ancestor's box, narrowed by every one above it (null: none).
  // outside: an ancestor was already reported cut or off the screen (its contents are not repeated).
  const visit = (root, clip, outside) => {
    for (const el of root.children) {
      if (el.tagName === 'STYLE' || el.tagName === 'SCRIPT' || el.tagName === 'AUDIO' || el.tagName === 'TEMPLATE') continue;
      if (hidden(el) || srOnly(el)) continue;
      const r = el.getBoundingClientRect();
      const svgPart = el instanceof SVGElement && el.tagName !== 'svg';
      // A moving part (the indeterminate bar) slides through its track by design.
      const moving = el.getAnimations().some((a) => a.playState === 'running');
      let off = outside;
      if (r.width > 0 && r.height > 0 && !svgPart) {
        if (!outside && !moving && (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5)) {
          problems.push(name(el) + ' lies outside the ' + vw + 'x' + vh + ' screen (' + at(r) + ')');
          off = true;
        } else if (!outside && !moving && clip && (r.left < clip.left - 0.5 || r.top < clip.top - 0.5 || r.right > clip.right + 0.5 || r.bottom > clip.bottom + 0.5)) {
          problems.push(name(el) + ' (' + at(r) + ') is clipped by ' + clip.by + ' (' + at(clip) + ')');
          off = true;
        }
        if (!(el instanceof SVGElement) && el.clientWidth > 0 && getComputedStyle(el).display !== 'inline') {
          if (el.scrollWidth > el.clientWidth + 1) problems.push(name(el) + ' is cut sideways (content ' + el.scrollWidth + ' px in ' + el.clientWidth + ')');
          if (el.scrollHeight > el.clientHeight + 1 && el.tagName !== 'HTML' && el.tagName !== 'BODY') {
            problems.push(name(el) + ' is cut at the bottom (content ' + el.scrollHeight + ' px in ' + el.clientHeight + ')');
          }
        }
        if (['BUTTON', 'INPUT', 'SELECT'].includes(el.tagName) && (r.width < 47.5 || r.height < 47.5)) {
          problems.push(name(el) + ' is ' + Math.round(r.width) + 'x' + Math.round(r.height) + ', under 48 px');
        }
      }
      let inner = clip;
      const own = el instanceof SVGElement ? null : clipBox(el);
      if (own) {
        inner = clip
          ? { left: Math.max(clip.left, own.left), top: Math.max(clip.top, own.top), right: Math.min(clip.right, own.right), bottom: Math.min(clip.bottom, own.bottom), by: own.by }
          : own;
      }
      if (el.hasAttribute('data-no-word-break')) {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent || '';
          const re = /\\S+/g;
          for (let m = re.exec(text); m; m = re.exec(text)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const tops = new Set([...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
            if (tops.size > 1) problems.push('"' + m[0] + '" is broken across lines in ' + name(el));
          }
        }
      }
      if (el.shadowRoot) visit(el.shadowRoot, inner, off);
      visit(el, inner, off);
    }
  };
  visit(document.body, null, false);
  return problems;
})()`;

/** What is cut, off the screen or too small on the page as it is now; empty when all fits. */
export async function layoutProblems(page: Page): Promise<string[]> {
  return (await page.evaluate(CHECK)) as string[];
}

/** The fonts Chromium drew the page's text with, and how many glyphs each drew (DevTools CSS domain). */
export async function fontsUsed(page: Page): Promise<Map<string, number>> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const used = new Map<string, number>();
    const texts: number[] = [];
    const walk = (node: { nodeId: number; nodeType: number; children?: unknown[]; shadowRoots?: unknown[]; nodeName: string }) => {
      if (node.nodeType === 1 && !['STYLE', 'SCRIPT', 'TEMPLATE'].includes(node.nodeName)) texts.push(node.nodeId);
      for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) walk(child as typeof node);
    };
    walk(root as never);
    for (const nodeId of texts) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId }).catch(() => ({ fonts: [] }));
      for (const f of fonts) used.set(f.familyName, (used.get(f.familyName) ?? 0) + f.glyphCount);
    }
    return used;
  } finally {
    await cdp.detach();
  }
}

/** Turns a paged result table back to its first page; the number of pages (1 when it has no pager). */
async function firstPage(page: Page): Promise<number> {
  if ((await page.getByTestId('pager').count()) === 0) return 1;
  while (await page.getByTestId('page-previous').isEnabled()) await page.getByTestId('page-previous').click();
  return Number((await page.getByTestId('page-at').innerText()).split('/')[1]);
}

/**
 * layoutProblems() on every page of a paged result table (each named "page N of M"), or of the
 * page as it is when nothing is paged; the table is left on the page it was on.
 */
export async function layoutProblemsOnEveryPage(page: Page): Promise<string[]> {
  // Under the idle warning the page as it is is what counts (the warning takes the taps).
  if ((await page.getByTestId('pager').count()) === 0 || (await page.locator('anj-idle-overlay').count()) > 0) return layoutProblems(page);
  const shown = Number((await page.getByTestId('page-at').innerText()).split('/')[0]);
  const pages = await firstPage(page);
  const problems: string[] = [];
  for (let at = 1; at <= pages; at++) {
    if (at > 1) await page.getByTestId('page-next').click();
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    problems.push(...(await layoutProblems(page)).map((p) => `page ${at} of ${pages}: ${p}`));
  }
  for (let at = pages; at > shown; at--) await page.getByTestId('page-previous').click();
  return problems;
}

/** Turns a paged result table, from its first page, until the row of this field is in sight. */
export async function turnToRow(page: Page, key: string): Promise<void> {
  const row = page.getByTestId(`field-${key}`);
  const pages = await firstPage(page);
  for (let at = 1; at < pages && !(await row.isVisible()); at++) await page.getByTestId('page-next').click();
}
