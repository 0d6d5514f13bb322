import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, strategicMerge } from './patch.js';
import { StoreError } from './types.js';
import type { Json } from './objects.js';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges maps, deletes on null and replaces lists', () => {
    const target: Json = { a: 1, b: { c: 2, d: 3 }, list: [1, 2] };
    expect(applyMergePatch(target, { b: { c: null, e: 4 }, list: [3], f: 'x' })).toEqual({ a: 1, b: { d: 3, e: 4 }, list: [3], f: 'x' });
    expect(target).toEqual({ a: 1, b: { c: 2, d: 3 }, list: [1, 2] });
  });
});

describe('strategic merge patch', () => {
  const pod: Json = {
    spec: { containers: [{ name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] }, { name: 'b', image: 'b:1' }] },
    metadata: { finalizers: ['f1', 'f2'] },
  };

  it('merges containers and env by name instead of replacing the list', () => {
    const out = strategicMerge(pod, { spec: { containers: [{ name: 'a', image: 'a:2', env: [{ name: 'Y', value: '2' }] }] } });
    expect(out).toEqual({
      spec: { containers: [{ name: 'a', image: 'a:2', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }] }, { name: 'b', image: 'b:1' }] },
      metadata: { finalizers: ['f1', 'f2'] },
    });
  });

  it('honours $patch: delete, $setElementOrder and $deleteFromPrimitiveList as kubectl sends them', () => {
    const out = strategicMerge(pod, {
      spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a', $patch: 'delete' }] },
      metadata: { '$deleteFromPrimitiveList/finalizers': ['f1'] },
    });
    expect(out).toEqual({ spec: { containers: [{ name: 'b', image: 'b:1' }] }, metadata: { finalizers: ['f2'] } });
    const reordered = strategicMerge(pod, { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } }) as { spec: { containers: Array<{ name: string }> } };
    expect(reordered.spec.containers.map((c) => c.name)).toEqual(['b', 'a']);
  });

  it('replaces a map under $patch: replace and removes keys on null', () => {
    expect(strategicMerge({ a: { x: 1, y: 2 }, b: 1 }, { a: { $patch: 'replace', z: 3 }, b: null })).toEqual({ a: { z: 3 } });
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies add, remove, replace, move, copy and test', () => {
    const doc: Json = { a: { b: 1 }, list: ['x', 'y'] };
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/a/c', value: 2 },
      { op: 'add', path: '/list/1', value: 'between' },
      { op: 'add', path: '/list/-', value: 'end' },
      { op: 'remove', path: '/list/0' },
      { op: 'replace', path: '/a/b', value: 10 },
      { op: 'copy', from: '/a/b', path: '/copied' },
      { op: 'move', from: '/a/c', path: '/moved' },
      { op: 'test', path: '/moved', value: 2 },
      { op: 'add', path: '/with~1slash', value: true },
    ]);
    expect(out).toEqual({ a: { b: 10 }, list: ['between', 'y', 'end'], copied: 10, moved: 2, 'with/slash': true });
    expect(doc).toEqual({ a: { b: 1 }, list: ['x', 'y'] });
  });

  it('fails on a failed test or a missing path, and on a non-array body', () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(StoreError);
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }])).toThrow(/path not found/);
    expect(() => applyJsonPatch({ a: 1 }, { op: 'add' })).toThrow(/array/);
  });
});
