import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  isExecutable,
  isMultipleResource,
  isReadable,
  isWritable,
  objectModel,
  resourceModel,
  resourceType,
} from '../../src/lwm2m/objects/registry.js';
import { OMA_OBJECTS } from '../../src/lwm2m/objects/oma-objects.js';

describe('LwM2M object models', () => {
  it('knows the managed objects and their multiplicity', () => {
    const multiplicity = Object.fromEntries([0, 1, 2, 3, 4, 5, 6, 9, 15, 20].map((id) => [id, objectModel(id)?.multiple]));
    assert.deepEqual(multiplicity, { 0: true, 1: true, 2: true, 3: false, 4: false, 5: false, 6: false, 9: true, 15: true, 20: true });
    assert.equal(objectModel(31024), undefined);
  });

  it('describes resources by id, name, type, operations, multiplicity and obligation', () => {
    assert.deepEqual(resourceModel(3, 4), { id: 4, name: 'Reboot', type: 'none', operations: 'E', multiple: false, mandatory: true });
    assert.deepEqual(resourceModel(3, 11), { id: 11, name: 'Error Code', type: 'integer', operations: 'R', multiple: true, mandatory: true });
    assert.deepEqual(resourceModel(5, 1), { id: 1, name: 'Package URI', type: 'string', operations: 'RW', multiple: false, mandatory: true });
    assert.deepEqual(resourceModel(20, 4014), { id: 4014, name: 'LogData', type: 'opaque', operations: 'R', multiple: false, mandatory: true });
    assert.equal(objectModel(3)?.name, 'Device');
  });

  it('resolves resource types for the decoders', () => {
    const types = [resourceType(3, 13), resourceType(5, 1), resourceType(5, 0), resourceType(9, 12), resourceType(3, 22), resourceType(5, 13), resourceType(6, 0)];
    assert.deepEqual(types, ['time', 'string', 'opaque', 'boolean', 'objlnk', 'unsigned', 'float']);
    assert.equal(resourceType(3, 999), undefined);
    assert.equal(resourceType(31024, 0), undefined);
  });

  it('marks every executable the mgmtObj mappings trigger', () => {
    const executables: [number, number][] = [[5, 2], [3, 4], [3, 5], [9, 4], [9, 6], [9, 10], [9, 11], [15, 5], [15, 6], [20, 4011], [20, 4012], [1, 8]];
    for (const [oid, rid] of executables) assert.equal(isExecutable(oid, rid), true, `/${oid}/x/${rid}`);
    assert.equal(isExecutable(3, 0), false);
    assert.equal(isExecutable(31024, 4), false);
  });

  it('knows what can be written and read through the DM interface', () => {
    assert.deepEqual([isWritable(5, 1), isWritable(3, 13), isWritable(20, 4010), isWritable(5, 0)], [true, true, true, true]);
    assert.deepEqual([isWritable(5, 7), isWritable(3, 4), isWritable(0, 0), isWritable(31024, 1)], [false, false, false, false]);
    assert.deepEqual([isReadable(5, 3), isReadable(5, 0), isReadable(9, 14), isReadable(20, 4016)], [true, false, false, false]);
    assert.deepEqual([isMultipleResource(3, 6), isMultipleResource(4, 4), isMultipleResource(3, 9)], [true, true, false]);
  });

  it('keeps the data consistent: unique ids, executables typeless, everything else typed', () => {
    for (const definition of OMA_OBJECTS) {
      const model = objectModel(definition.id)!;
      assert.equal(model.resources.size, definition.resources.length, `duplicate resource id in /${definition.id}`);
      for (const resource of model.resources.values()) {
        assert.equal(resource.operations === 'E', resource.type === 'none', `/${definition.id}/x/${resource.id} ${resource.name}`);
      }
    }
    assert.equal(new Set(OMA_OBJECTS.map((definition) => definition.id)).size, OMA_OBJECTS.length);
  });
});
