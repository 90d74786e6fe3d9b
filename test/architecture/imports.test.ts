/**
 * Imports run one way (test/architecture/import-rules.ts): no file imports another that imports
 * it back, no folder of device/ imports a higher layer or a sibling that imports it, and the UI
 * reaches the daemon only through its protocols. A failure names each import to remove.
 */
import t from 'tap';
import { circles, devicePart, grouped, importGraph, wrongWayImports } from './import-rules.ts';

const graph = importGraph(process.cwd());

t.test('the scan sees the code', async (t) => {
  t.ok(graph.size > 300, `${graph.size} files scanned`);
  t.ok(graph.get('device/main.ts')?.length, 'the start-up and its imports are in the graph');
});

t.test('no import runs the wrong way', async (t) => {
  t.same(wrongWayImports(graph), []);
});

t.test('no file imports itself through others', async (t) => {
  t.same(circles(grouped(graph, (p) => p)), []);
});

t.test('no two parts of device/ import each other', async (t) => {
  t.same(circles(grouped(graph, devicePart)), []);
});

t.test('the check finds what it is for', async (t) => {
  const sample = new Map<string, string[]>([
    ['device/flow/machine.ts', ['device/view/derive.ts', 'device/domain/failure.ts']],
    ['device/view/derive.ts', ['device/flow/machine.ts']],
    ['device/domain/failure.ts', ['device/domain/registry.ts']],
    ['device/domain/registry.ts', ['device/domain/failure.ts']],
    ['ui/components/demo-panel.ts', ['device/gpio/simulated.ts', 'device/view/protocol.ts']],
    ['device/newpart/thing.ts', []],
    ['device/main.ts', ['device/newpart/thing.ts']],
  ]);
  t.same(wrongWayImports(sample), [
    'device/flow/machine.ts imports device/view/derive.ts: flow (flow) may not import view (view)',
    'ui/components/demo-panel.ts imports device/gpio/simulated.ts: ui/ may not import from device/',
    'device/newpart is in no layer: place it in DEVICE_LAYERS (test/architecture/import-rules.ts)',
  ]);
  t.same(circles(grouped(sample, (p) => p)).sort(), [
    ['device/domain/failure.ts', 'device/domain/registry.ts'],
    ['device/flow/machine.ts', 'device/view/derive.ts'],
  ]);
  t.same(circles(grouped(sample, devicePart)), [['flow', 'view']]);
});
