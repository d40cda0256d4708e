import { test } from 'node:test';
import assert from 'node:assert/strict';
import { converterDefinition, converterNames, converterRegistry } from '../../src/mappings/converters.js';

const FROM_DEVICE: Record<string, Array<[unknown[], unknown]>> = {
  kiloBytesToBytes: [
    [[0], 0], [[512], 512_000], [['64'], 64_000], [[BigInt(3)], 3000],
    [[-1], undefined], [[1.5], undefined], [['12kB'], undefined], [[null], undefined], [[Number.MAX_SAFE_INTEGER], undefined], [[], undefined],
  ],
  batteryStatusPlusOne: [
    [[0], 1], [[6], 7], [['3'], 4],
    [[7], undefined], [[-1], undefined], [['normal'], undefined], [[true], undefined],
  ],
  firmwareActionStatus: [
    // State, Update Result → phase: idle, downloading, downloaded (ready to update), updating, updated
    [[0, 0], { acn: 'ud', sus: 0 }], [[1, 0], { acn: 'url', sus: 3 }], [[2, 0], { acn: 'url', sus: 1 }], [[3, 0], { acn: 'ud', sus: 3 }],
    [[0, 1], { acn: 'ud', sus: 1 }],
    // download failures: flash, RAM, connection lost, integrity, package type, invalid URI, protocol, cancelled
    ...[2, 3, 4, 5, 6, 7, 9, 10].map((result): [unknown[], unknown] => [[0, result], { acn: 'url', sus: 2 }]),
    // update failed (State back to Downloaded, or Idle), update deferred
    [[2, 8], { acn: 'ud', sus: 2 }], [[0, 8], { acn: 'ud', sus: 2 }], [[2, 11], { acn: 'ud', sus: 3 }], [[0, 11], { acn: 'ud', sus: 3 }],
    [['1', '0'], { acn: 'url', sus: 3 }], [['2', '0'], { acn: 'url', sus: 1 }],
    [[4, 0], undefined], [[0, 12], undefined], [[0], undefined], [['idle', 0], undefined], [[0, -1], undefined],
  ],
  softwareInstallStatus: [
    [[0, 0], { acn: 'in', sus: 0 }], [[0, 1], { acn: 'in', sus: 3 }], [[1, 1], { acn: 'in', sus: 3 }], [[3, 3], { acn: 'in', sus: 3 }],
    [[4, 2], { acn: 'in', sus: 1 }], [[2, 50], { acn: 'in', sus: 2 }], [[4, 59], { acn: 'in', sus: 2 }],
    [[5, 0], undefined], [[0, 4], undefined], [[0, 60], undefined], [[0, 49], undefined], [[undefined, 0], undefined],
  ],
  activationStatus: [
    [[true], { acn: 'act', sus: 1 }], [[false], { acn: 'dea', sus: 1 }], [[1], { acn: 'act', sus: 1 }], [['false'], { acn: 'dea', sus: 1 }],
    [[2], undefined], [['yes'], undefined], [[null], undefined],
  ],
  fumoStateToActionStatus: [
    [[10], { acn: 'ud', sus: 0 }], [[20], { acn: 'ud', sus: 2 }], [['30'], { acn: 'ud', sus: 3 }], [[40], { acn: 'ud', sus: 3 }],
    [[50], { acn: 'ud', sus: 3 }], [[60], { acn: 'ud', sus: 3 }], [[70], { acn: 'ud', sus: 2 }], [[80], { acn: 'ud', sus: 2 }],
    [[90], { acn: 'ud', sus: 1 }], [[100], { acn: 'ud', sus: 1 }],
    [[0], undefined], [[15], undefined], [[110], undefined], [['Idle'], undefined],
  ],
  eventLogStatus: [
    [[0], 1], [[0b010], 1], [[0b001], 2], [[0b011], 2], [[0b100], 5], [[0b101], 5], [['4'], 5],
    [[256], undefined], [[-1], undefined], [['stopped'], undefined],
  ],
  logClassToLogTypeId: [
    [[1], 1], [[5], 5], [['3'], 3],
    // 0 generic (the object's default), 6 charging, reserved 7-99 and vendor 100-255 are event log entries: 3 Event
    [[0], 3], [[6], 3], [[99], 3], [[100], 3], [[255], 3],
    [[256], undefined], [[-1], undefined], [[2.5], undefined],
  ],
  lwm2mTimeToTimestamp: [
    [[0], '19700101T000000'], [[1_700_000_000], '20231114T221320'], [['1700000000'], '20231114T221320'], [[BigInt(86_400)], '19700102T000000'],
    [[253_402_300_799], '99991231T235959'], [[1_700_000_000], '20231114T221320'], [[1_700_000_001], '20231114T221321'],
    [[-1], undefined], [[253_402_300_800], undefined], [[1.5], undefined], [['yesterday'], undefined],
  ],
  opaqueToBase64: [
    [[Buffer.from('log line\n')], 'bG9nIGxpbmUK'], [[new Uint8Array([0xff, 0x00])], '/wA='], [[Buffer.alloc(0)], ''],
    [['bG9n'], undefined], [[42], undefined],
  ],
  textsToIpAddresses: [
    [[['10.0.0.7']], [{ ip4: '10.0.0.7' }]],
    [[['10.0.0.7', '2001:db8::7']], [{ ip4: '10.0.0.7' }, { ip6: '2001:db8::7' }]],
    [['192.168.1.1'], [{ ip4: '192.168.1.1' }]], [[[' ::1 ']], [{ ip6: '::1' }]], [[[]], []],
    [[['10.0.0.256']], undefined], [[['10.0.0.7', 'gateway']], undefined], [[['010.0.0.7']], undefined], [[[7]], undefined], [[null], undefined],
  ],
  firstInstance: [
    [[['iot.example.net', 'ims']], 'iot.example.net'], [['iot.example.net'], 'iot.example.net'], [[[]], undefined],
  ],
};

const TO_DEVICE: Record<string, Array<[unknown, unknown]>> = {
  kiloBytesToBytes: [[512_000, 512], [1499, 1], [-5, undefined], ['x', undefined]],
  batteryStatusPlusOne: [[1, 0], [7, 6], [0, undefined], [8, undefined]],
  logClassToLogTypeId: [[2, 2], [0, undefined], [6, undefined]],
  lwm2mTimeToTimestamp: [
    ['20231114T221320', 1_700_000_000], ['20231114T221320,123456', 1_700_000_000], ['19700101T000000', 0],
    ['20230230T000000', undefined], ['2023-11-14T22:13:20', undefined], ['20231314T000000', undefined], [1_700_000_000, undefined],
  ],
  opaqueToBase64: [['/wA=', Buffer.from([0xff, 0x00])], ['not base64!', undefined], ['abc', undefined], [7, undefined]],
};

test('every converter is covered by the table-driven cases', () => {
  assert.deepEqual([...converterNames].sort(), Object.keys(FROM_DEVICE).sort());
});

for (const [name, cases] of Object.entries(FROM_DEVICE)) {
  test(`${name}: device values → oneM2M, garbage → undefined`, () => {
    for (const [values, want] of cases) {
      assert.deepEqual(converterRegistry.fromDevice(name, values, 'x'), want, `${name}(${values.map(String).join(', ')})`);
    }
  });
}

for (const [name, cases] of Object.entries(TO_DEVICE)) {
  test(`${name}: oneM2M value → device, garbage → undefined`, () => {
    for (const [value, want] of cases) assert.deepEqual(converterRegistry.toDevice(name, value, 'x'), want, `${name}(${String(value)})`);
  });
}

test('read-only converters write nothing; no converter passes values through', () => {
  for (const name of converterNames) {
    if (!converterDefinition(name)!.toDevice) assert.equal(converterRegistry.toDevice(name, 1, 'x'), undefined, name);
  }
  assert.equal(converterRegistry.fromDevice(undefined, ['Acme', 'ignored'], 'man'), 'Acme');
  assert.equal(converterRegistry.toDevice(undefined, 'http://fw', 'url'), 'http://fw');
});

test('an unknown converter name is a programming error and throws', () => {
  assert.throws(() => converterRegistry.fromDevice('nope', [1], 'x'), /unknown converter "nope"/);
  assert.throws(() => converterRegistry.toDevice('nope', 1, 'x'), /unknown converter "nope"/);
});
