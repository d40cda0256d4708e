import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpStatusForRsc } from '../src/onem2m/rsc.js';
test('rsc table', () => { assert.equal(httpStatusForRsc(6003), 404); });
