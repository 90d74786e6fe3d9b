/**
 * Geometry checks run in the page, through every shadow root: what a person at the kiosk would
 * find cut off. Shared by the UI screen tests (stand-in daemon) and the end-to-end tests (real
 * daemon), so both measure the same way.
 *
 * - Every visible element of the page lies inside the viewport, except the rows of a region
 *   marked `data-scroll-region` (the result table), which must itself lie inside it.
 * - No element's content is larger than its box (scroll size against client size), which
 *   catches text cut by `overflow: hidden`, an ellipsis, a scrolling screen and a word that
 *   sticks out of its column. A marked scroll region may scroll up and down, never sideways.
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
  // outside: an ancestor was already reported off the screen (its contents are not repeated).
  const visit = (root, inScrollRegion, outside) => {
    for (const el of root.children) {
      if (el.tagName === 'STYLE' || el.tagName === 'SCRIPT' || el.tagName === 'AUDIO' || el.tagName === 'TEMPLATE') continue;
      if (hidden(el) || srOnly(el)) continue;
      const r = el.getBoundingClientRect();
      const scrollRegion = el.hasAttribute('data-scroll-region');
      const svgPart = el instanceof SVGElement && el.tagName !== 'svg';
      // A moving part (the indeterminate bar) slides through its track by design.
      const moving = el.getAnimations().some((a) => a.playState === 'running');
      let off = outside;
      if (r.width > 0 && r.height > 0 && !svgPart) {
        if (!inScrollRegion && !outside && !moving && (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5)) {
          problems.push(name(el) + ' lies outside the ' + vw + 'x' + vh + ' screen (' + [r.left, r.top, r.right, r.bottom].map(Math.round).join(',') + ')');
          off = true;
        }
        if (!(el instanceof SVGElement) && el.clientWidth > 0 && getComputedStyle(el).display !== 'inline') {
          if (el.scrollWidth > el.clientWidth + 1) problems.push(name(el) + ' is cut sideways (content ' + el.scrollWidth + ' px in ' + el.clientWidth + ')');
          if (!scrollRegion && el.scrollHeight > el.clientHeight + 1 && el.tagName !== 'HTML' && el.tagName !== 'BODY') {
            problems.push(name(el) + ' is cut at the bottom (content ' + el.scrollHeight + ' px in ' + el.clientHeight + ')');
          }
        }
        if (['BUTTON', 'INPUT', 'SELECT'].includes(el.tagName) && !inScrollRegion && (r.width < 47.5 || r.height < 47.5)) {
          problems.push(name(el) + ' is ' + Math.round(r.width) + 'x' + Math.round(r.height) + ', under 48 px');
        }
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
      if (el.shadowRoot) visit(el.shadowRoot, inScrollRegion || scrollRegion, off);
      visit(el, inScrollRegion || scrollRegion, off);
    }
  };
  visit(document.body, false, false);
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
