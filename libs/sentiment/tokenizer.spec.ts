import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeForCharacters, stem, tokenize } from './tokenizer.js';

describe('tokenize', () => {
  it('folds cashtags to one token, including class shares', () => {
    assert.deepEqual(tokenize('$AAPL and $BRK.B rally'), [
      '<cashtag>',
      'and',
      '<cashtag>',
      'rally',
    ]);
  });

  it('replaces links and handles', () => {
    assert.deepEqual(tokenize('Read https://t.co/AbC123 via @WSJ www.example.com/x'), [
      'read',
      '<url>',
      'via',
      '<user>',
      '<url>',
    ]);
  });

  it('keeps the direction of signed percentages and folds other numbers', () => {
    assert.deepEqual(tokenize('ABB +4%, NVO -3.5 % and 10% after 2019 Q4'), [
      'abb',
      '<pct+>',
      'nvo',
      '<pct->',
      'and',
      '<pct>',
      'after',
      '<num>',
      'q4',
    ]);
  });

  it('reads dollar amounts as money, not as cashtags', () => {
    assert.deepEqual(tokenize('raised to $235 from $1.6 billion'), [
      'raised',
      'to',
      '<money>',
      'from',
      '<money>',
    ]);
  });

  it('marks up to three words after a negation, until punctuation', () => {
    assert.deepEqual(tokenize("Economy won't see a recession in 2020, says X"), [
      'economy',
      'wont',
      'not_see',
      'not_a',
      'not_recession',
      'in',
      '<num>',
      'says',
      'x',
    ]);
    assert.deepEqual(tokenize('not good. great'), ['not', 'not_good', 'great']);
  });

  it('keeps emoji, with skin tones and flags, as tokens', () => {
    assert.deepEqual(tokenize('$TSLA 🚀🚀 to the moon 👍🏽 🇺🇸'), [
      '<cashtag>',
      '🚀',
      '🚀',
      'to',
      'the',
      'moon',
      '👍🏽',
      '🇺🇸',
    ]);
  });

  it('lower-cases words and keeps non-ASCII letters and inner punctuation', () => {
    assert.deepEqual(tokenize("The Estée Lauder U.S. year-end CEO's"), [
      'the',
      'estée',
      'lauder',
      'u.s',
      'year-end',
      'ceo',
    ]);
  });
});

describe('stem', () => {
  it('maps inflections of one verb to one stem', () => {
    const stems = new Set(['downgrade', 'downgrades', 'downgraded', 'downgrading'].map(stem));
    assert.equal(stems.size, 1);
    assert.equal(stem('cuts'), stem('cutting'));
  });

  it('leaves placeholders alone and keeps the negation prefix', () => {
    assert.equal(stem('<cashtag>'), '<cashtag>');
    assert.equal(stem('not_raised'), `not_${stem('raised')}`);
  });
});

describe('normalizeForCharacters', () => {
  it('drops links, folds tickers and digits', () => {
    assert.equal(normalizeForCharacters('$AAPL up 5.2% https://t.co/x'), '$ up 0%');
  });
});
