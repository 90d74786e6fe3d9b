/** The sensor table: a driver's true resolution, the config's word over the table's, libfprint's assumption last. */
import t from 'tap';
import { ASSUMED_SENSOR, KNOWN_SENSORS, sensorResolution } from '../../device/fingerprint/sensor-resolution.ts';

t.test('drivers that enlarge their images have their true resolution in the table', async (t) => {
  t.same(
    [sensorResolution('aes3500').dpi, sensorResolution('aes4000').dpi, sensorResolution('elanspi').dpi, sensorResolution('vfs7552').dpi],
    [1000, 1500, 1000, 1000],
  );
  t.equal(sensorResolution('uru4000').dpi, 512, 'the kiosk’s reference sensor, not enlarged');
  t.equal(sensorResolution('etes603').dpi, 508, 'as its driver source states');
  t.equal(sensorResolution('aes3500').from, 'table');
  for (const [driver, entry] of Object.entries(KNOWN_SENSORS)) {
    t.ok(
      entry.nativeDpi >= 250 && entry.nativeDpi <= 1000 && Number.isInteger(entry.enlargement) && entry.source.length > 0,
      `${driver}: a plausible entry with its source`,
    );
  }
});

t.test('the config overrides the table; an unknown driver gets libfprint’s assumed 500 dpi', async (t) => {
  t.same(sensorResolution('egis0570', { egis0570: { nativeDpi: 500, enlargement: 2 } }), {
    nativeDpi: 500,
    enlargement: 2,
    source: 'kiosk configuration',
    dpi: 1000,
    from: 'config',
  });
  t.same(sensorResolution('new_sensor'), { ...ASSUMED_SENSOR, dpi: 500, from: 'assumed' });
  t.equal(sensorResolution('__proto__').from, 'assumed', 'no inherited property is mistaken for an entry');
  t.equal(sensorResolution('toString', {}).from, 'assumed');
});
