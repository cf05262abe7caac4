import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INVALID, MAX_ID_LENGTH, parseClientMessage } from './ws-protocol.js';

describe('parseClientMessage', () => {
  it('hands a frame with an id to its handler, id included', () => {
    assert.deepEqual(parseClientMessage('{"type":"subscribe","id":"r-1","scanId":"x"}'), {
      event: 'subscribe',
      data: { id: 'r-1', scanId: 'x' },
    });
  });

  it('keeps the id of a frame of unknown type for the error frame that answers it', () => {
    const { event, data } = parseClientMessage('{"type":"dance","id":"r-2"}');
    assert.equal(event, INVALID);
    assert.equal(data.id, 'r-2');
  });

  it(`refuses an id that is no string of 1 to ${MAX_ID_LENGTH} printable ASCII characters`, () => {
    for (const id of [7, null, '', 'x'.repeat(MAX_ID_LENGTH + 1), 'tab\there', 'é', { a: 1 }]) {
      const { event, data } = parseClientMessage(JSON.stringify({ type: 'scan', id }));
      assert.equal(event, INVALID, JSON.stringify(id));
      assert.match(String(data['reason']), /"id" must be a string/);
      assert.equal(data.id, undefined, 'an id that was refused is not echoed');
    }
    assert.equal(
      parseClientMessage(JSON.stringify({ type: 'scan', id: 'x'.repeat(64) })).event,
      'scan',
    );
  });
});
