//! The strongest lower bound on max utilization that ignores only integrality: a max flow.
//!
//! At utilization t a worker carries at most floor_g(t · capacity) when loads move in steps of g.
//! If cases could be split, an assignment at t would exist exactly when a flow from the units,
//! grouped by their set of allowed workers, to the workers, capped by those rounded ceilings,
//! carries the whole weight: by max-flow min-cut this is Hall's condition over every set of
//! workers at once (a scarce skill, a union of skills, a pin), not only the sets named in the
//! input. The least level at which the flow fits bounds the best max utilization from below.

use std::collections::BTreeMap;

use crate::solve::model::Program;

/// The flow network of a program, built once and checked at any utilization.
pub struct HallBound {
    /// Per distinct allowed set: its weight in steps of g, and its workers (staff indices).
    sets: Vec<(i64, Vec<usize>)>,
    /// Capacity of every worker (staff order).
    capacities: Vec<f64>,
    /// Weight granularity.
    g: f64,
    /// Total weight in steps of g.
    total: i64,
}

impl HallBound {
    /// The network of `program` when loads move in steps of `g`.
    pub fn new(program: &Program<'_>, g: f64) -> Self {
        let mut by_set: BTreeMap<Vec<usize>, i64> = BTreeMap::new();
        for unit in program.units.iter() {
            let workers: Vec<usize> = unit.allowed.iter().map(|w| w.index()).collect();
            *by_set.entry(workers).or_insert(0) += (unit.weight / g).round() as i64;
        }
        let sets: Vec<(i64, Vec<usize>)> = by_set
            .into_iter()
            .filter(|(_, weight)| *weight > 0)
            .map(|(workers, weight)| (weight, workers))
            .collect();
        let total = sets.iter().map(|(weight, _)| weight).sum();
        HallBound {
            sets,
            capacities: program.scenario.staff.iter().map(|s| s.capacity).collect(),
            g,
            total,
        }
    }

    /// True when the units, split at will, fit under every worker's ceiling at utilization `t`.
    pub fn fits(&self, t: f64) -> bool {
        let n = self.capacities.len();
        let source = 0;
        let sink = 1;
        let worker_node = |w: usize| 2 + w;
        let set_node = |s: usize| 2 + n + s;
        let mut network = Network::new(2 + n + self.sets.len());
        let mut room = 0;
        for (w, capacity) in self.capacities.iter().enumerate() {
            let ceiling = ((t * capacity) / self.g + 1e-9).floor().max(0.0) as i64;
            room += ceiling;
            network.add_edge(worker_node(w), sink, ceiling);
        }
        if room < self.total {
            return false;
        }
        for (s, (weight, workers)) in self.sets.iter().enumerate() {
            network.add_edge(source, set_node(s), *weight);
            for &w in workers {
                network.add_edge(set_node(s), worker_node(w), i64::MAX / 4);
            }
        }
        network.max_flow(source, sink) >= self.total
    }
}

/// Where demand exceeds supply in a bipartite network: the group of workers whose room is all
/// taken, and the sets of units that only they may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// Demand the workers cannot take: total weight minus the max flow.
    pub missing: i64,
    /// Per worker: inside the group.
    pub workers: Vec<bool>,
    /// Per set: all its workers are inside the group.
    pub sets: Vec<bool>,
}

/// The max flow from `sets` (weight, allowed workers) to workers with room `ceilings`, and the
/// tightest group it leaves: the workers reachable from the source in the residual network. By
/// max-flow min-cut, `missing` equals the weight of the sets inside the group minus the group's
/// room, and no other group of workers falls further short.
pub fn tightest_cut(sets: &[(i64, Vec<usize>)], ceilings: &[i64]) -> Cut {
    let n = ceilings.len();
    let source = 0;
    let sink = 1;
    let worker_node = |w: usize| 2 + w;
    let set_node = |s: usize| 2 + n + s;
    let mut network = Network::new(2 + n + sets.len());
    for (w, ceiling) in ceilings.iter().enumerate() {
        network.add_edge(worker_node(w), sink, (*ceiling).max(0));
    }
    for (s, (weight, workers)) in sets.iter().enumerate() {
        network.add_edge(source, set_node(s), *weight);
        for &w in workers {
            network.add_edge(set_node(s), worker_node(w), i64::MAX / 4);
        }
    }
    let total: i64 = sets.iter().map(|(weight, _)| weight).sum();
    let flow = network.max_flow(source, sink);
    let reached = network.reachable(source);
    Cut {
        missing: total - flow,
        workers: (0..n).map(|w| reached[worker_node(w)]).collect(),
        sets: (0..sets.len()).map(|s| reached[set_node(s)]).collect(),
    }
}

/// A directed network with integer capacities; Dinic's algorithm for the max flow.
struct Network {
    /// Per node, its edges' indices.
    adjacency: Vec<Vec<usize>>,
    /// Edges in pairs (forward, reverse): head and remaining capacity.
    head: Vec<usize>,
    residual: Vec<i64>,
}

impl Network {
    fn new(nodes: usize) -> Self {
        Network {
            adjacency: vec![Vec::new(); nodes],
            head: Vec::new(),
            residual: Vec::new(),
        }
    }

    fn add_edge(&mut self, from: usize, to: usize, capacity: i64) {
        self.adjacency[from].push(self.head.len());
        self.head.push(to);
        self.residual.push(capacity);
        self.adjacency[to].push(self.head.len());
        self.head.push(from);
        self.residual.push(0);
    }

    fn max_flow(&mut self, source: usize, sink: usize) -> i64 {
        let nodes = self.adjacency.len();
        let mut flow = 0;
        loop {
            // Levels by breadth-first search over edges with room left.
            let mut level = vec![usize::MAX; nodes];
            level[source] = 0;
            let mut queue = std::collections::VecDeque::from([source]);
            while let Some(v) = queue.pop_front() {
                for &e in &self.adjacency[v] {
                    let u = self.head[e];
                    if self.residual[e] > 0 && level[u] == usize::MAX {
                        level[u] = level[v] + 1;
                        queue.push_back(u);
                    }
                }
            }
            if level[sink] == usize::MAX {
                return flow;
            }
            // A blocking flow along the levels.
            let mut next = vec![0usize; nodes];
            loop {
                let pushed = self.push(source, sink, &level, &mut next);
                if pushed == 0 {
                    break;
                }
                flow += pushed;
            }
        }
    }

    /// Nodes reachable from `from` over edges with room left.
    fn reachable(&self, from: usize) -> Vec<bool> {
        let mut seen = vec![false; self.adjacency.len()];
        seen[from] = true;
        let mut stack = vec![from];
        while let Some(v) = stack.pop() {
            for &e in &self.adjacency[v] {
                let u = self.head[e];
                if self.residual[e] > 0 && !seen[u] {
                    seen[u] = true;
                    stack.push(u);
                }
            }
        }
        seen
    }

    /// One augmenting path along increasing levels (iterative, so deep networks are safe).
    fn push(&mut self, source: usize, sink: usize, level: &[usize], next: &mut [usize]) -> i64 {
        let mut path: Vec<usize> = Vec::new(); // edges from the source
        let mut v = source;
        loop {
            if v == sink {
                let amount = path.iter().map(|&e| self.residual[e]).min().unwrap_or(0);
                for &e in &path {
                    self.residual[e] -= amount;
                    self.residual[e ^ 1] += amount;
                }
                return amount;
            }
            let mut advanced = false;
            while next[v] < self.adjacency[v].len() {
                let e = self.adjacency[v][next[v]];
                let u = self.head[e];
                if self.residual[e] > 0 && level[u] == level[v] + 1 {
                    path.push(e);
                    v = u;
                    advanced = true;
                    break;
                }
                next[v] += 1;
            }
            if !advanced {
                // A dead end: retreat and never try this node's edge again in this phase.
                let Some(e) = path.pop() else {
                    return 0;
                };
                v = self.head[e ^ 1];
                next[v] += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_flow_matches_a_hand_counted_network() {
        // 0 -> 2 (3), 0 -> 3 (2), 2 -> 3 (1), 2 -> 1 (2), 3 -> 1 (3): max flow 5.
        let mut network = Network::new(4);
        network.add_edge(0, 2, 3);
        network.add_edge(0, 3, 2);
        network.add_edge(2, 3, 1);
        network.add_edge(2, 1, 2);
        network.add_edge(3, 1, 3);
        assert_eq!(network.max_flow(0, 1), 5);
    }

    #[test]
    fn the_tightest_cut_is_the_group_that_falls_short() {
        // Set 0 (weight 10) may go to worker 0 only; set 1 (weight 4) to workers 0 or 1.
        // Worker 0 has room 6, worker 1 room 20: 4 of set 0's weight cannot be taken.
        let sets = vec![(10, vec![0]), (4, vec![0, 1])];
        let cut = tightest_cut(&sets, &[6, 20]);
        assert_eq!(cut.missing, 4);
        assert_eq!(cut.workers, vec![true, false]);
        assert_eq!(cut.sets, vec![true, false]);
        let roomy = tightest_cut(&sets, &[10, 20]);
        assert_eq!(roomy.missing, 0);
    }

    #[test]
    fn a_bottleneck_edge_limits_the_flow() {
        let mut network = Network::new(4);
        network.add_edge(0, 2, 10);
        network.add_edge(2, 3, 4);
        network.add_edge(3, 1, 10);
        assert_eq!(network.max_flow(0, 1), 4);
    }
}
