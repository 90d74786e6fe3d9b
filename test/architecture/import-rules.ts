/**
 * Which way imports may run, and the check over the import graph that `make test` runs
 * (test/architecture/imports.test.ts).
 *
 * A small script over TypeScript's own import scanner (ts.preProcessFile) rather than
 * dependency-cruiser: the rules are a table of our folders, the scanner already ships with the
 * compiler we use, and a new dependency would change package-lock.json (and so the cached
 * node_modules) on every branch in flight. Type-only and dynamic imports count like any other:
 * a circle through types is still a circle in the design.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * device/ in layers, lowest first. A module imports from its own layer and the layers below;
 * within a layer, folders must not import each other in a circle.
 */
export const DEVICE_LAYERS: ReadonlyArray<{ name: string; parts: readonly string[] }> = [
  // The vocabulary: the failure taxonomy, the card record, the registry's answers, audit codes.
  { name: 'domain', parts: ['domain'] },
  // The pure flow and the ports it talks to; logging, the configuration file, the lifecycle helper,
  // atomic file writes.
  { name: 'flow', parts: ['flow', 'log.ts', 'config.ts', 'lifecycle.ts', 'files.ts'] },
  // What the screen shows: the view protocol, its derivation, the runtime publishing it, the panel lights.
  { name: 'view', parts: ['view'] },
  // Drivers, stores and the policies that act on them; systemd's protocol; the devices' health.
  {
    name: 'parts',
    parts: [
      'card',
      'fingerprint',
      'uplink',
      'gpio',
      'store',
      'return-data',
      'report',
      'update',
      'readiness.ts',
      'firewall.ts',
      'firewall-script.ts',
      'systemd.ts',
      'health.ts',
      'crash-policy.ts',
      'disk.ts',
      'clock-sync.ts',
      'provisioning-state.ts',
    ],
  },
  // Staff features, each a plugin of the staff scope.
  { name: 'staff', parts: ['staff'] },
  // The kiosk's links outward: its two listeners (its own, the staff LAN one) and the fleet link
  // (heartbeats carry the staff overview, leases feed the quota ledger).
  { name: 'server', parts: ['server', 'fleet'] },
  // The device sets: production drivers, detached, simulators.
  { name: 'devices', parts: ['devices', 'sim', 'simulation.ts', 'simulation.production.ts'] },
  // The start-up: the list (main.ts) and the assembly of flow and policies it shares with the tests;
  // the code cache it starts with, and root's seal of it (boot.ts, code-cache.ts, seal-code-cache.ts),
  // and the heap flags set back before anything loads (heap-flags.ts).
  { name: 'start-up', parts: ['main.ts', 'kiosk.ts', 'boot.ts', 'code-cache.ts', 'seal-code-cache.ts', 'heap-flags.ts'] },
];

/** What each top-level folder may import from outside itself. */
const TOP_LEVEL: Record<string, (to: string) => boolean> = {
  device: () => false,
  // The UI talks to the daemon through the view protocol only (and the panel lights, a pure
  // function of a view the demo strip draws); the staff dashboard through the staff protocol
  // (and the PIN's format, for its sign-in form).
  ui: (to) => UI_MAY_IMPORT.includes(to),
  provisioning: (to) => to.startsWith('device/') && to !== 'device/main.ts',
  // The fleet service shares the kiosk's own code for what must be said once: the data balikan
  // wire format and delivery, the report, the fleet protocol, the edge checks; its page shares the
  // dashboard's styles and words. Never the kiosk's start-up.
  fleet: (to) => (to.startsWith('device/') && to !== 'device/main.ts' && to !== 'device/kiosk.ts') || to.startsWith('ui/'),
  test: () => true,
};

export const UI_MAY_IMPORT: readonly string[] = [
  'device/view/protocol.ts',
  'device/view/panel.ts',
  'device/staff/protocol.ts',
  'device/domain/staff-pin.ts',
];

/** Every .ts/.mts file under the top-level folders that exist, with its relative imports resolved. */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir))) {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) {
        if (name !== 'node_modules' && !name.startsWith('.')) walk(path);
      } else if (/\.m?ts$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts')) {
        const source = readFileSync(join(root, path), 'utf8');
        const imports = ts
          .preProcessFile(source, true, true)
          .importedFiles.map((i) => i.fileName)
          .filter((spec) => spec.startsWith('.'))
          .map((spec) => normalize(relative(root, resolve(root, dirname(path), spec))));
        graph.set(normalize(path), imports);
      }
    }
  };
  for (const top of Object.keys(TOP_LEVEL)) if (existsSync(join(root, top))) walk(top);
  return graph;
}

/** The part of device/ a file belongs to (its folder, or the file itself at the top), or null. */
export function devicePart(path: string): string | null {
  const parts = path.split('/');
  if (parts[0] !== 'device' || parts.length < 2) return null;
  return parts[1]!;
}

function layerOf(part: string): number {
  return DEVICE_LAYERS.findIndex((l) => l.parts.includes(part));
}

/** Each import that runs against the rules, as a sentence naming the file, the import and the rule. */
export function wrongWayImports(graph: Map<string, string[]>): string[] {
  const problems: string[] = [];
  const unplaced = new Set<string>();
  for (const [from, imports] of graph) {
    const top = from.split('/')[0]!;
    for (const to of imports) {
      const toTop = to.split('/')[0]!;
      if (toTop !== top) {
        if (!TOP_LEVEL[top]!(to)) problems.push(`${from} imports ${to}: ${top}/ may not import from ${toTop}/`);
        continue;
      }
      if (top !== 'device') continue;
      const a = devicePart(from)!;
      const b = devicePart(to)!;
      const la = layerOf(a);
      const lb = layerOf(b);
      if (la < 0) unplaced.add(a);
      if (lb < 0) unplaced.add(b);
      if (la >= 0 && lb > la) {
        problems.push(`${from} imports ${to}: ${DEVICE_LAYERS[la]!.name} (${a}) may not import ${DEVICE_LAYERS[lb]!.name} (${b})`);
      }
    }
  }
  for (const part of unplaced)
    problems.push(`device/${part} is in no layer: place it in DEVICE_LAYERS (test/architecture/import-rules.ts)`);
  return problems;
}

/** Groups of nodes that import each other in a circle (Tarjan's strongly connected components). */
export function circles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** The graph with files merged into what `group` maps them to (self-imports dropped). */
export function grouped(graph: Map<string, string[]>, group: (path: string) => string | null): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const [from, imports] of graph) {
    const a = group(from);
    if (a === null) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    for (const to of imports) {
      const b = group(to);
      if (b !== null && b !== a) edges.get(a)!.add(b);
    }
  }
  return edges;
}
