import { describe, expect, it } from 'vitest';
import { forEachEdge } from '../../../src/graph/edge-list.ts';

function edgesOf(text: string): [string, string, number][] {
  const edges: [string, string, number][] = [];
  forEachEdge(text, (src, dst, weight) => edges.push([src, dst, weight]));
  return edges;
}

describe('forEachEdge', () => {
  it('reads SNAP lines, skipping comments and blank lines, with an optional weight', () => {
    const text = '# header\n# FromNodeId\tToNodeId\n30\t1412\n\n 7 8 2.5\r\n9 10';
    expect(edgesOf(text)).toEqual([
      ['30', '1412', 1],
      ['7', '8', 2.5],
      ['9', '10', 1],
    ]);
  });

  it('names the line of a malformed edge', () => {
    expect(() => edgesOf('1 2\n3\n')).toThrow(/line 2/);
    expect(() => edgesOf('1 2 heavy\n')).toThrow(SyntaxError);
  });

  it('reads nothing from an empty text', () => {
    expect(edgesOf('')).toEqual([]);
  });
});
