//! The structural model as a directed acyclic graph: causal order, reachability and the routes
//! of specific indirect effects, computed once per model.
//!
//! Reachability is a transitive closure (O(J³) once, then O(1) per question) and route counts
//! come from dynamic programming in causal order, so nothing recurses over routes: a dense
//! 30-construct model has 2²⁸ routes from its first construct to its last, which are counted,
//! not walked. Routes are listed only while their total stays at most [`MAX_ROUTES`].

/// The most specific indirect effects (routes with at least one mediator) that are listed for
/// one model; above it they are counted and reported as omitted.
pub const MAX_ROUTES: usize = 10_000;

/// Causal order, reachability and route counts of a recursive structural model.
#[derive(Debug, Clone)]
pub(crate) struct Graph {
    n: usize,
    succs: Vec<Vec<usize>>,
    order: Vec<usize>,
    /// `reach[a·n + b]`: a directed route a → … → b of length ≥ 1.
    reach: Vec<bool>,
    /// `routes[a·n + b]`: directed routes a → b with at least one mediator (as f64: it can be
    /// astronomically large).
    mediated: Vec<f64>,
}

impl Graph {
    /// The graph of `n` constructs with these (from, to) paths (acyclic: validated models).
    pub(crate) fn new(n: usize, paths: &[(usize, usize)]) -> Graph {
        let mut succs = vec![Vec::new(); n];
        let mut indeg = vec![0usize; n];
        for &(a, b) in paths {
            succs[a].push(b);
            indeg[b] += 1;
        }
        // Kahn's order, smallest index first among the ready constructs (deterministic).
        let mut order = Vec::with_capacity(n);
        let mut ready: Vec<usize> = (0..n).filter(|&j| indeg[j] == 0).collect();
        let mut deg = indeg;
        while let Some(pos) = ready.iter().enumerate().min_by_key(|x| x.1).map(|x| x.0) {
            let j = ready.swap_remove(pos);
            order.push(j);
            for &m in &succs[j] {
                deg[m] -= 1;
                if deg[m] == 0 {
                    ready.push(m);
                }
            }
        }
        // Reverse causal order: every successor is done before its predecessors.
        let mut reach = vec![false; n * n];
        let mut all = vec![0.0f64; n * n]; // routes of any length ≥ 1
        for &a in order.iter().rev() {
            for &m in &succs[a] {
                reach[a * n + m] = true;
                all[a * n + m] += 1.0;
                for b in 0..n {
                    if reach[m * n + b] {
                        reach[a * n + b] = true;
                    }
                    all[a * n + b] += all[m * n + b];
                }
            }
        }
        let mut mediated = all;
        for &(a, b) in paths {
            mediated[a * n + b] -= 1.0;
        }
        Graph {
            n,
            succs,
            order,
            reach,
            mediated,
        }
    }

    /// Constructs in causal order (every predecessor first).
    pub(crate) fn order(&self) -> &[usize] {
        &self.order
    }

    /// Whether a directed route leads from `a` to `b` (`true` for a = b).
    pub(crate) fn reaches(&self, a: usize, b: usize) -> bool {
        a == b || self.reach[a * self.n + b]
    }

    /// Whether a route with at least one mediator leads from `a` to `b`.
    pub(crate) fn has_mediated_route(&self, a: usize, b: usize) -> bool {
        self.mediated[a * self.n + b] > 0.0
    }

    /// Routes with at least one mediator, over all pairs.
    pub(crate) fn mediated_routes(&self) -> f64 {
        self.mediated.iter().sum()
    }

    /// Every route from `a` to `b` with at least one mediator (cause first), walking only
    /// constructs from which `b` is reachable; call only when [`Graph::mediated_routes`] is
    /// within [`MAX_ROUTES`].
    pub(crate) fn routes(&self, a: usize, b: usize) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        if !self.has_mediated_route(a, b) {
            return out;
        }
        let mut stack = vec![a];
        self.walk(b, &mut stack, &mut out);
        out
    }

    fn walk(&self, to: usize, stack: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        let last = stack[stack.len() - 1];
        for &m in &self.succs[last] {
            if m == to {
                if stack.len() > 1 {
                    let mut r = stack.clone();
                    r.push(m);
                    out.push(r);
                }
            } else if self.reach[m * self.n + to] {
                stack.push(m);
                self.walk(to, stack, out);
                stack.pop();
            }
        }
    }

    /// Every mediated route of the model, pair by pair (a, then b, in construct order), or
    /// `None` when there are more than [`MAX_ROUTES`].
    pub(crate) fn all_routes(&self) -> Option<Vec<Vec<usize>>> {
        if self.mediated_routes() > MAX_ROUTES as f64 {
            return None;
        }
        let mut out = Vec::new();
        for a in 0..self.n {
            for b in 0..self.n {
                out.extend(self.routes(a, b));
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dense_model_is_counted_not_walked() {
        // Every earlier construct points to every later one: 2^(j-i-1) routes from i to j.
        let n = 30;
        let paths: Vec<(usize, usize)> = (0..n)
            .flat_map(|i| ((i + 1)..n).map(move |j| (i, j)))
            .collect();
        let g = Graph::new(n, &paths);
        assert_eq!(g.order(), (0..n).collect::<Vec<_>>().as_slice());
        assert!(g.reaches(0, 29) && !g.reaches(29, 0));
        // Mediated routes 0 -> 29: 2^28 - 1.
        assert_eq!(g.mediated[29], 2f64.powi(28) - 1.0);
        assert!(g.all_routes().is_none());
    }

    #[test]
    fn routes_of_a_small_model() {
        // 0 -> 1 -> 3, 0 -> 2 -> 3, 0 -> 3, 1 -> 2
        let g = Graph::new(4, &[(0, 1), (1, 3), (0, 2), (2, 3), (0, 3), (1, 2)]);
        let r = g.routes(0, 3);
        assert_eq!(r, vec![vec![0, 1, 3], vec![0, 1, 2, 3], vec![0, 2, 3]]);
        assert!(g.routes(1, 2).is_empty());
        // plus 0 -> 1 -> 2 and 1 -> 2 -> 3
        assert_eq!(g.all_routes().unwrap().len(), 5);
    }
}
