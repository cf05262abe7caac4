import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GICS_SECTORS, resolveSector, sectorAliases } from './sectors.js';

describe('resolveSector', () => {
  it('maps every GICS name to itself regardless of case and spacing', () => {
    for (const sector of GICS_SECTORS)
      assert.equal(resolveSector(`  ${sector.toUpperCase()} `), sector);
  });

  it('accepts everyday aliases such as "technology"', () => {
    assert.equal(resolveSector('technology'), 'Information Technology');
    assert.equal(resolveSector('Healthcare'), 'Health Care');
    assert.equal(resolveSector('communication  services'), 'Telecommunication Services');
  });

  it('returns null for an unknown sector', () => {
    assert.equal(resolveSector('crypto'), null);
  });

  it('returns null for names of Object.prototype members (fuzz finding: "constructor" became a sector)', () => {
    for (const name of [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '__defineGetter__',
    ])
      assert.equal(resolveSector(name), null, name);
  });
});

describe('sectorAliases', () => {
  it('lists the aliases that resolve to a sector, and none for a sector without any', () => {
    const aliases = sectorAliases('Information Technology');
    assert.ok(aliases.includes('technology') && aliases.includes('tech'), aliases.join());
    for (const alias of aliases) assert.equal(resolveSector(alias), 'Information Technology');
    assert.deepEqual(sectorAliases('Energy'), []);
  });
});
