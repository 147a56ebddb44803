/**
 * Integral circulation repair. Given a directed network whose edges carry integral values
 * inside integral bounds [lo, hi], move values (within the bounds) until every node balances:
 * what flows in equals what flows out. This is a max-flow (Dinic) from the nodes with excess to
 * the nodes with deficit over the residual network. Because the network's constraint matrix is
 * totally unimodular, an integral balanced solution exists whenever a fractional one does — and
 * the exact proportional values are one — so controlled rounding always succeeds.
 *
 * Every value, bound and capacity is a whole number of Units held in a double: the plan's
 * totals are at most 10^15 Units, so every sum here stays below 2^53 and is exact. Comparisons
 * are therefore between whole numbers, with no tolerance: "has excess" is excess > 0, "has room"
 * is capacity > 0.
 */

export interface FlowEdges {
  from: Int32Array;
  to: Int32Array;
  lo: Float64Array;
  hi: Float64Array;
  /** Current values, lo ≤ val ≤ hi; changed in place. */
  val: Float64Array;
}

export interface RepairOutcome {
  balanced: boolean;
  /** Units moved to restore balance. */
  moved: number;
}

export function repairFlow(nodeCount: number, edges: FlowEdges): RepairOutcome {
  const { from, to, lo, hi, val } = edges;
  const E = from.length;
  const excess = new Float64Array(nodeCount);
  for (let e = 0; e < E; e++) {
    excess[to[e]] += val[e];
    excess[from[e]] -= val[e];
  }
  let need = 0;
  for (let v = 0; v < nodeCount; v++) if (excess[v] > 0) need += excess[v];
  if (need === 0) return { balanced: true, moved: 0 };

  const S = nodeCount;
  const T = nodeCount + 1;
  const N = nodeCount + 2;
  // Arcs come in pairs: a and a ^ 1 are each other's reverse.
  let arcCount = 0;
  for (let e = 0; e < E; e++) if (hi[e] > lo[e]) arcCount += 2;
  for (let v = 0; v < nodeCount; v++) if (excess[v] !== 0) arcCount += 2;
  const arcTo = new Int32Array(arcCount);
  const cap = new Float64Array(arcCount);
  const next = new Int32Array(arcCount);
  const head = new Int32Array(N).fill(-1);
  const edgeArc = new Int32Array(E).fill(-1);
  let a = 0;
  const addPair = (u: number, v: number, forward: number, backward: number): number => {
    arcTo[a] = v; cap[a] = forward; next[a] = head[u]; head[u] = a;
    arcTo[a + 1] = u; cap[a + 1] = backward; next[a + 1] = head[v]; head[v] = a + 1;
    a += 2;
    return a - 2;
  };
  // Excess flows in at a node and must leave it: the super source feeds nodes with excess.
  for (let v = 0; v < nodeCount; v++) {
    if (excess[v] > 0) addPair(S, v, excess[v], 0);
    else if (excess[v] < 0) addPair(v, T, -excess[v], 0);
  }
  for (let e = 0; e < E; e++) {
    if (hi[e] > lo[e]) edgeArc[e] = addPair(from[e], to[e], hi[e] - val[e], val[e] - lo[e]);
  }

  const level = new Int32Array(N);
  const it = new Int32Array(N);
  const queue = new Int32Array(N);
  const pathArcs = new Int32Array(N);
  let moved = 0;

  for (;;) {
    level.fill(-1);
    level[S] = 0;
    let qh = 0;
    let qt = 0;
    queue[qt++] = S;
    while (qh < qt) {
      const u = queue[qh++];
      for (let x = head[u]; x !== -1; x = next[x]) {
        const w = arcTo[x];
        if (cap[x] > 0 && level[w] < 0) {
          level[w] = level[u] + 1;
          queue[qt++] = w;
        }
      }
    }
    if (level[T] < 0) break;
    for (let v = 0; v < N; v++) it[v] = head[v];

    // Blocking flow by repeated path search with current-arc pointers.
    for (;;) {
      let depth = 0;
      let u = S;
      while (u !== T) {
        let x = it[u];
        while (x !== -1 && !(cap[x] > 0 && level[arcTo[x]] === level[u] + 1)) x = next[x];
        it[u] = x;
        if (x !== -1) {
          pathArcs[depth++] = x;
          u = arcTo[x];
        } else {
          if (u === S) break;
          level[u] = -1; // dead end in this phase
          const back = pathArcs[--depth];
          u = arcTo[back ^ 1];
          it[u] = next[it[u]];
        }
      }
      if (u !== T) break;
      let f = Infinity;
      for (let k = 0; k < depth; k++) f = Math.min(f, cap[pathArcs[k]]);
      for (let k = 0; k < depth; k++) {
        cap[pathArcs[k]] -= f;
        cap[pathArcs[k] ^ 1] += f;
      }
      moved += f;
    }
  }

  for (let e = 0; e < E; e++) if (edgeArc[e] >= 0) val[e] = hi[e] - cap[edgeArc[e]];
  return { balanced: moved === need, moved };
}
