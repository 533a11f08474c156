//! Model specification: constructs (latent variables) measured by indicator blocks, and the
//! structural paths between constructs.
//!
//! Three ways to get a model:
//! - text in the lavaan / cSEM syntax researchers know ([`Model::parse`]):
//!   `SAT =~ SAT1 + SAT2` (reflective block, Mode A), `IMAG <~ IMAG1 + IMAG2` (formative block,
//!   Mode B), `SAT ~ EXPE + QUAL` (paths EXPE→SAT, QUAL→SAT); `#` or `!` comments; a statement may run
//!   over several lines when a line ends with, or the next starts with, `+`; `;` separates
//!   statements on one line;
//! - the consuming builder ([`Model::builder`]);
//! - presets: [`Model::acsi`], [`Model::ecsi`], with [`Model::with_indicators`] /
//!   [`Model::rename_indicators`] to map the default item names to one's own columns.
//!
//! ```
//! use csindex::Model;
//! let m = Model::parse("
//!     QUAL =~ q1 + q2      # perceived quality (comments run to the end of the line)
//!     SAT  =~ s1 + s2 +
//!             s3
//!     SAT ~ QUAL
//! ").unwrap();
//! assert_eq!(m.constructs().len(), 2);
//! assert_eq!(m.paths(), &[(0, 1)]);
//! ```

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

pub(crate) mod graph;
mod presets;
mod syntax;
pub use graph::MAX_ROUTES;

/// How a block is meant: a common factor or a composite, and how its outer weights are
/// estimated.
///
/// | model text | mode | the block is | weights | PLSc corrects it |
/// |---|---|---|---|---|
/// | `X =~ a + b` | [`Mode::A`] | a common factor (reflective) | Mode A | yes |
/// | `X <~ a + b` or `X <~ mode_b(a + b)` | [`Mode::B`] | a composite | Mode B (regression) | no |
/// | `X <~ mode_a(a + b)` | [`Mode::CompositeA`] | a composite | Mode A (correlation) | no |
/// | `X <~ unit(a + b)` | [`Mode::Unit`] | a composite | unit weights (sum of standardised items) | no |
///
/// These are seminr's `reflective()`, `composite(weights = mode_B)`, `composite(weights =
/// mode_A)` and cSEM's `.PLS_modes = "unit"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// Mode A, reflective (`=~`): a common factor; weights from covariances of the indicators
    /// with the inner proxy.
    A,
    /// Mode B, formative (`<~`): a composite; weights from the regression of the inner proxy on
    /// the indicators.
    B,
    /// A composite with Mode A weights (`<~ mode_a(...)`): never corrected by PLSc.
    CompositeA,
    /// A composite with unit weights (`<~ unit(...)`): the standardised sum of its items.
    Unit,
}

impl Mode {
    /// Whether the block is a common factor (corrected by PLSc).
    pub fn is_common_factor(self) -> bool {
        self == Mode::A
    }
    /// Whether the weights are Mode A (correlation) weights: [`Mode::A`] and
    /// [`Mode::CompositeA`] (reliability measures, HTMT and blindfolding treat these blocks
    /// as Mode A blocks).
    pub fn has_mode_a_weights(self) -> bool {
        matches!(self, Mode::A | Mode::CompositeA)
    }
    /// The mode as the model text writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::A => "A",
            Mode::B => "B",
            Mode::CompositeA => "composite A",
            Mode::Unit => "unit",
        }
    }
}

/// A construct (latent variable) and its indicator block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Construct {
    /// Name, e.g. `SAT`.
    pub name: String,
    /// Mode A or B.
    pub mode: Mode,
    /// Indicator (column) names.
    pub indicators: Vec<String>,
}

/// A validated PLS path model: constructs with blocks, and a recursive (acyclic) path set.
///
/// A model read from JSON (`serde`) goes through the same validation as model text: an
/// index out of range, a cycle, a duplicate or an empty block is an error, never a panic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ModelJson")]
pub struct Model {
    constructs: Vec<Construct>,
    /// (from, to) indices into `constructs`.
    paths: Vec<(usize, usize)>,
    /// Interaction (and quadratic) terms and the constructs they predict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    interactions: Vec<Interaction>,
    /// Higher-order constructs: their blocks name constructs (their dimensions), not items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    higher_order: Vec<String>,
}

/// An interaction term `IV:MODERATOR` (lavaan's `:`; `X:X` is a quadratic term) predicting
/// some constructs: `LOY ~ SAT + SW + SAT:SW`. It is estimated as a construct of its own named
/// `IV:MODERATOR` (see [`InteractionMethod`](crate::pls::InteractionMethod)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    /// The predictor.
    pub iv: String,
    /// The moderator (the predictor itself for a quadratic term).
    pub moderator: String,
    /// The constructs the term predicts.
    pub targets: Vec<String>,
}

impl Interaction {
    /// The term's name, `IV:MODERATOR`: the name of its construct and of its paths' source.
    pub fn name(&self) -> String {
        format!("{}:{}", self.iv, self.moderator)
    }
}

/// Consuming builder for [`Model`].
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ModelBuilder {
    constructs: Vec<Construct>,
    paths: Vec<(String, String)>,
}

impl ModelBuilder {
    /// Adds a reflective (Mode A) construct.
    pub fn reflective(self, name: &str, indicators: &[&str]) -> Self {
        self.construct(name, Mode::A, indicators)
    }
    /// Adds a formative (Mode B) construct.
    pub fn formative(self, name: &str, indicators: &[&str]) -> Self {
        self.construct(name, Mode::B, indicators)
    }
    /// Adds a construct with the given mode.
    pub fn construct(mut self, name: &str, mode: Mode, indicators: &[&str]) -> Self {
        self.constructs.push(Construct {
            name: name.to_string(),
            mode,
            indicators: indicators.iter().map(|s| s.to_string()).collect(),
        });
        self
    }
    /// Adds a structural path `from → to`.
    pub fn path(mut self, from: &str, to: &str) -> Self {
        self.paths.push((from.to_string(), to.to_string()));
        self
    }
    /// Validates and builds the model.
    pub fn build(self) -> Result<Model> {
        Model::from_parts(self.constructs, self.paths)
    }
}

/// The JSON form of a [`Model`] before validation.
#[derive(Deserialize)]
struct ModelJson {
    constructs: Vec<Construct>,
    paths: Vec<(usize, usize)>,
    #[serde(default)]
    interactions: Vec<Interaction>,
    #[serde(default)]
    higher_order: Vec<String>,
}

impl TryFrom<ModelJson> for Model {
    type Error = Error;
    fn try_from(m: ModelJson) -> Result<Model> {
        let j = m.constructs.len();
        let mut named = Vec::with_capacity(m.paths.len());
        for (k, &(a, b)) in m.paths.iter().enumerate() {
            if a >= j || b >= j {
                return Err(Error::model(format!(
                    "path {} ({a} -> {b}) names a construct index outside 0..{j}",
                    k + 1
                )));
            }
            named.push((m.constructs[a].name.clone(), m.constructs[b].name.clone()));
        }
        let mut model = Model::from_parts_hoc(m.constructs, named, &m.higher_order)?;
        for it in m.interactions {
            for t in &it.targets {
                model.add_interaction(&it.iv, &it.moderator, t)?;
            }
        }
        Ok(model)
    }
}

impl Model {
    /// Reads a model file: model text (see the module docs), or the JSON form of a `Model`
    /// when the file starts with `{`. Both are validated in the same way.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file; the errors of [`Model::parse`] or [`Model::from_json`].
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<Model> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        if text.trim_start().starts_with('{') {
            Model::from_json(&text)
        } else {
            Model::parse(&text)
        }
    }

    /// Reads the JSON form of a model (as `serde_json::to_string(&model)` writes it), with the
    /// validation of model text.
    ///
    /// # Errors
    /// [`Error::Json`] for malformed JSON; for an invalid model the error of model text
    /// ([`Error::InvalidModel`], [`Error::Cycle`], ...).
    pub fn from_json(text: &str) -> Result<Model> {
        let raw: ModelJson = serde_json::from_str(text)?;
        Model::try_from(raw)
    }

    /// Starts a builder.
    pub fn builder() -> ModelBuilder {
        ModelBuilder::default()
    }

    fn from_parts(constructs: Vec<Construct>, named_paths: Vec<(String, String)>) -> Result<Model> {
        Model::from_parts_hoc(constructs, named_paths, &[])
    }

    /// As [`Model::from_parts`], with the named constructs higher-order.
    pub(crate) fn from_parts_hoc(
        constructs: Vec<Construct>,
        named_paths: Vec<(String, String)>,
        higher_order: &[String],
    ) -> Result<Model> {
        if constructs.is_empty() {
            return Err(Error::model("the model has no constructs"));
        }
        for (a, c) in constructs.iter().enumerate() {
            if c.name.trim().is_empty() {
                return Err(Error::model(format!(
                    "construct {} has an empty name",
                    a + 1
                )));
            }
            if constructs[..a].iter().any(|k| k.name == c.name) {
                return Err(Error::model(format!(
                    "construct '{}' is defined twice",
                    c.name
                )));
            }
            if c.indicators.is_empty() {
                return Err(Error::model(format!(
                    "construct '{}' has no indicators",
                    c.name
                )));
            }
            if c.indicators.iter().any(|i| i.trim().is_empty()) {
                return Err(Error::model(format!(
                    "construct '{}' has an indicator with an empty name",
                    c.name
                )));
            }
        }
        // An indicator in two blocks (or twice in one) is an error.
        for (a, c) in constructs.iter().enumerate() {
            for (k, ind) in c.indicators.iter().enumerate() {
                if c.indicators[..k].contains(ind) {
                    return Err(Error::model(format!(
                        "indicator '{ind}' is listed twice in construct '{}'",
                        c.name
                    )));
                }
                if let Some(other) = constructs[..a].iter().find(|o| o.indicators.contains(ind)) {
                    return Err(Error::model(format!(
                        "indicator '{ind}' is in two blocks: '{}' and '{}'",
                        other.name, c.name
                    )));
                }
            }
        }
        let idx = |name: &str| -> Result<usize> {
            constructs
                .iter()
                .position(|c| c.name == name)
                .ok_or_else(|| {
                    let hint =
                        crate::data::closest(name, constructs.iter().map(|c| c.name.as_str()))
                            .map(|s| format!(" (did you mean '{s}'?)"))
                            .unwrap_or_default();
                    Error::model(format!("a path names unknown construct '{name}'{hint}"))
                })
        };
        let mut paths = Vec::new();
        for (f, t) in &named_paths {
            let (a, b) = (idx(f)?, idx(t)?);
            if a == b {
                return Err(Error::Cycle {
                    cycle: vec![f.clone(), f.clone()],
                });
            }
            if paths.contains(&(a, b)) {
                return Err(Error::model(format!("path {f} -> {t} is given twice")));
            }
            paths.push((a, b));
        }
        // The dimensions of a higher-order construct are tied to the model through it.
        let is_dimension = |name: &str| {
            higher_order.iter().any(|h| {
                constructs
                    .iter()
                    .any(|c| c.name == *h && c.indicators.iter().any(|i| i == name))
            })
        };
        for h in higher_order {
            let Some(c) = constructs.iter().find(|c| c.name == *h) else {
                return Err(Error::model(format!(
                    "higher-order construct '{h}' is not defined"
                )));
            };
            for d in &c.indicators {
                if d == h || higher_order.contains(d) {
                    return Err(Error::model(format!(
                        "higher-order construct '{h}': dimension '{d}' is itself higher-order (one level is supported)"
                    )));
                }
                if !constructs.iter().any(|k| k.name == *d) {
                    return Err(Error::model(format!(
                        "higher-order construct '{h}' names '{d}', which is not a construct"
                    )));
                }
            }
            if c.indicators.len() < 2 {
                return Err(Error::model(format!(
                    "higher-order construct '{h}' needs at least two dimensions"
                )));
            }
        }
        if constructs.len() > 1 {
            for (j, c) in constructs.iter().enumerate() {
                if is_dimension(&c.name) {
                    if paths.iter().any(|&(a, b)| a == j || b == j) {
                        return Err(Error::model(format!(
                            "construct '{}' is a dimension of a higher-order construct: give paths to that construct instead",
                            c.name
                        )));
                    }
                    continue;
                }
                if !paths.iter().any(|&(a, b)| a == j || b == j) {
                    return Err(Error::model(format!(
                        "construct '{}' has no structural path",
                        c.name
                    )));
                }
            }
        }
        let m = Model {
            constructs,
            paths,
            interactions: Vec::new(),
            higher_order: higher_order.to_vec(),
        };
        m.check_acyclic()?;
        Ok(m)
    }

    /// Adds the interaction term `iv:moderator` as a predictor of `target`.
    ///
    /// # Errors
    /// [`Error::InvalidModel`] for an unknown construct, a target that is the predictor or
    /// the moderator, or a term given twice for a target.
    pub fn add_interaction(&mut self, iv: &str, moderator: &str, target: &str) -> Result<()> {
        for name in [iv, moderator, target] {
            self.construct_index(name).map_err(|_| {
                Error::model(format!(
                    "interaction {iv}:{moderator} -> {target} names unknown construct '{name}'"
                ))
            })?;
        }
        if target == iv || target == moderator {
            return Err(Error::model(format!(
                "interaction {iv}:{moderator} cannot predict one of its own constructs"
            )));
        }
        let found = self
            .interactions
            .iter()
            .position(|it| it.iv == iv && it.moderator == moderator);
        match found {
            Some(k) if self.interactions[k].targets.iter().any(|t| t == target) => {
                Err(Error::model(format!(
                    "interaction {iv}:{moderator} -> {target} is given twice"
                )))
            }
            Some(k) => {
                self.interactions[k].targets.push(target.to_string());
                Ok(())
            }
            None => {
                self.interactions.push(Interaction {
                    iv: iv.to_string(),
                    moderator: moderator.to_string(),
                    targets: vec![target.to_string()],
                });
                Ok(())
            }
        }
    }

    /// The interaction terms.
    pub fn interactions(&self) -> &[Interaction] {
        &self.interactions
    }

    /// The model without its interaction terms.
    pub fn without_interactions(&self) -> Model {
        Model {
            constructs: self.constructs.clone(),
            paths: self.paths.clone(),
            interactions: Vec::new(),
            higher_order: self.higher_order.clone(),
        }
    }

    /// Appends a Mode A construct with paths to `targets` only (an interaction term's
    /// construct in the model that estimates it): checked as model text is (a new name, a
    /// non-empty block of new indicators, known targets). A construct without predecessors
    /// cannot close a cycle, so the rest of the model needs no second validation.
    ///
    /// # Errors
    /// [`Error::InvalidModel`] naming the construct, indicator or target at fault.
    pub(crate) fn push_source_construct(
        &mut self,
        name: &str,
        indicators: Vec<String>,
        targets: &[String],
    ) -> Result<()> {
        if name.trim().is_empty() || self.constructs.iter().any(|c| c.name == name) {
            return Err(Error::model(format!(
                "construct '{name}' is defined twice or has an empty name"
            )));
        }
        if indicators.is_empty() {
            return Err(Error::model(format!(
                "construct '{name}' has no indicators"
            )));
        }
        for (k, ind) in indicators.iter().enumerate() {
            if ind.trim().is_empty()
                || indicators[..k].contains(ind)
                || self.constructs.iter().any(|c| c.indicators.contains(ind))
            {
                return Err(Error::model(format!(
                    "indicator '{ind}' of construct '{name}' is empty, repeated or in another block"
                )));
            }
        }
        let j = self.constructs.len();
        let mut paths = Vec::with_capacity(targets.len());
        for t in targets {
            let to = self
                .construct_index(t)
                .map_err(|_| Error::model(format!("a path names unknown construct '{t}'")))?;
            if !paths.contains(&(j, to)) {
                paths.push((j, to));
            }
        }
        self.constructs.push(Construct {
            name: name.to_string(),
            mode: Mode::A,
            indicators,
        });
        self.paths.extend(paths);
        Ok(())
    }

    /// The higher-order constructs (their blocks name their dimensions).
    pub fn higher_order(&self) -> &[String] {
        &self.higher_order
    }

    fn check_acyclic(&self) -> Result<()> {
        let j = self.constructs.len();
        // 0 = unvisited, 1 = on stack, 2 = done
        let mut state = vec![0u8; j];
        let mut stack: Vec<usize> = Vec::new();
        fn dfs(
            m: &Model,
            v: usize,
            state: &mut [u8],
            stack: &mut Vec<usize>,
        ) -> Option<Vec<usize>> {
            state[v] = 1;
            stack.push(v);
            for &(a, b) in &m.paths {
                if a != v {
                    continue;
                }
                if state[b] == 1 {
                    let pos = stack.iter().position(|&x| x == b).unwrap_or(0);
                    let mut cyc = stack[pos..].to_vec();
                    cyc.push(b);
                    return Some(cyc);
                }
                if state[b] == 0 {
                    if let Some(c) = dfs(m, b, state, stack) {
                        return Some(c);
                    }
                }
            }
            stack.pop();
            state[v] = 2;
            None
        }
        for v in 0..j {
            if state[v] == 0 {
                if let Some(c) = dfs(self, v, &mut state, &mut stack) {
                    return Err(Error::Cycle {
                        cycle: c
                            .into_iter()
                            .map(|k| self.constructs[k].name.clone())
                            .collect(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Replaces the indicators of one construct (e.g. to map preset item names to one's columns).
    pub fn with_indicators(mut self, construct: &str, indicators: &[&str]) -> Result<Model> {
        let j = self.construct_index(construct)?;
        self.constructs[j].indicators = indicators.iter().map(|s| s.to_string()).collect();
        Model::from_parts(self.constructs.clone(), self.named_paths())
    }

    /// Renames indicators by (old, new) pairs; an unknown old name is an error.
    pub fn rename_indicators(mut self, map: &[(&str, &str)]) -> Result<Model> {
        for (old, new) in map {
            let mut found = false;
            for c in &mut self.constructs {
                for ind in &mut c.indicators {
                    if ind == old {
                        *ind = new.to_string();
                        found = true;
                    }
                }
            }
            if !found {
                return Err(Error::model(format!(
                    "no indicator named '{old}' to rename"
                )));
            }
        }
        Model::from_parts(self.constructs.clone(), self.named_paths())
    }

    /// Sets the mode of one construct.
    pub fn with_mode(mut self, construct: &str, mode: Mode) -> Result<Model> {
        let j = self.construct_index(construct)?;
        self.constructs[j].mode = mode;
        Ok(self)
    }

    /// A copy of the model without the path `from → to` (constructs left without any path are
    /// dropped). Used for seminr-style f².
    pub(crate) fn without_path(&self, from: usize, to: usize) -> Result<Model> {
        let keep: Vec<(usize, usize)> = self
            .paths
            .iter()
            .copied()
            .filter(|&p| p != (from, to))
            .collect();
        let constructs: Vec<Construct> = self
            .constructs
            .iter()
            .enumerate()
            .filter(|(j, _)| keep.iter().any(|&(a, b)| a == *j || b == *j))
            .map(|(_, c)| c.clone())
            .collect();
        let named = keep
            .iter()
            .map(|&(a, b)| {
                (
                    self.constructs[a].name.clone(),
                    self.constructs[b].name.clone(),
                )
            })
            .collect();
        Model::from_parts(constructs, named)
    }

    fn named_paths(&self) -> Vec<(String, String)> {
        self.paths
            .iter()
            .map(|&(a, b)| {
                (
                    self.constructs[a].name.clone(),
                    self.constructs[b].name.clone(),
                )
            })
            .collect()
    }

    /// The constructs, in declaration order.
    pub fn constructs(&self) -> &[Construct] {
        &self.constructs
    }

    /// The paths as (from, to) indices into [`Model::constructs`], in declaration order.
    pub fn paths(&self) -> &[(usize, usize)] {
        &self.paths
    }

    /// Construct indices in causal order (every predecessor before its successors).
    pub fn causal_order(&self) -> Vec<usize> {
        graph::Graph::new(self.constructs.len(), &self.paths)
            .order()
            .to_vec()
    }

    /// Index of a construct by name.
    pub fn construct_index(&self, name: &str) -> Result<usize> {
        self.constructs
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| Error::UnknownConstruct {
                name: name.to_string(),
                suggestion: crate::data::closest(
                    name,
                    self.constructs.iter().map(|c| c.name.as_str()),
                ),
            })
    }

    /// The construct an importance-performance map is drawn for when none is named: SAT
    /// when the model has it as an endogenous construct, else the last endogenous construct
    /// (`None` for a model without paths).
    pub fn default_ipma_target(&self) -> Option<String> {
        let endogenous: Vec<&str> = (0..self.constructs.len())
            .filter(|&j| self.is_endogenous(j))
            .map(|j| self.constructs[j].name.as_str())
            .collect();
        endogenous
            .iter()
            .find(|n| **n == "SAT")
            .or(endogenous.last())
            .map(|s| s.to_string())
    }

    /// All indicators, block after block.
    pub fn indicators(&self) -> Vec<String> {
        self.constructs
            .iter()
            .filter(|c| !self.higher_order.contains(&c.name))
            .flat_map(|c| c.indicators.iter().cloned())
            .collect()
    }

    /// Predecessors of construct `j` (constructs with a path into `j`), in path order.
    pub fn predecessors(&self, j: usize) -> Vec<usize> {
        self.paths
            .iter()
            .filter(|p| p.1 == j)
            .map(|p| p.0)
            .collect()
    }

    /// Whether construct `j` has at least one predecessor.
    pub fn is_endogenous(&self, j: usize) -> bool {
        self.paths.iter().any(|p| p.1 == j)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_valid() {
        let a = Model::acsi();
        assert_eq!(a.constructs().len(), 6);
        assert_eq!(a.paths().len(), 9);
        let e = Model::ecsi();
        assert_eq!(e.constructs().len(), 6);
        assert_eq!(e.paths().len(), 10);
        let back = Model::parse(&a.to_syntax()).unwrap();
        assert_eq!(back.constructs(), a.constructs());
        let odd = Model::parse("'#' =~ 'a b' + \"it's\"\n'x;y' =~ z\n'x;y' ~ '#'").unwrap();
        let again = Model::parse(&odd.to_syntax()).unwrap();
        assert_eq!(again, odd);
        assert!(Model::parse("A =~ ''\nB =~ b\nB ~ A").is_err());
    }

    #[test]
    fn syntax_errors_have_positions() {
        match Model::parse("A =~ a1\nB =~ ?") {
            Err(Error::Syntax { line, column, .. }) => assert_eq!((line, column), (2, 6)),
            other => panic!("{other:?}"),
        }
        // A dangling '+' joins the next line: 'B' is read as an indicator, then '=~' is wrong.
        match Model::parse("A =~ a1 +\nB =~ b1") {
            Err(Error::Syntax {
                line,
                column,
                message,
            }) => {
                assert_eq!((line, column), (2, 3));
                assert!(message.contains("continues"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Model::parse("A =~ a1 +"),
            Err(Error::Syntax { line: 1, .. })
        ));
        assert!(matches!(
            Model::parse("A =~"),
            Err(Error::Syntax { line: 1, .. })
        ));
        assert!(matches!(
            Model::parse("=~ a"),
            Err(Error::Syntax {
                line: 1,
                column: 1,
                ..
            })
        ));
        match Model::parse("A =~ a1 b1") {
            Err(Error::Syntax { line, column, .. }) => assert_eq!((line, column), (1, 9)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn continuation_lines() {
        let m =
            Model::parse("A =~ a1 ! lavaan comment\n  + a2\nB =~ b1 +\n b2; B ~ A\r\n").unwrap();
        assert_eq!(m.constructs()[0].indicators, vec!["a1", "a2"]);
        assert_eq!(m.constructs()[1].indicators, vec!["b1", "b2"]);
        assert_eq!(m.paths(), &[(0, 1)]);
    }

    #[test]
    fn validation() {
        let cyc = Model::parse("A =~ a\nB =~ b\nC =~ c\nB ~ A\nC ~ B\nA ~ C");
        match cyc {
            Err(Error::Cycle { cycle }) => assert_eq!(cycle, vec!["A", "B", "C", "A"]),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Model::parse("A =~ a\nB =~ a\nB ~ A"),
            Err(Error::InvalidModel { .. })
        ));
        assert!(matches!(
            Model::parse("A =~ a\nB =~ b\nC =~ c\nB ~ A"),
            Err(Error::InvalidModel { .. })
        ));
        assert!(matches!(
            Model::parse("A =~ a\nB =~ b\nB ~ X"),
            Err(Error::InvalidModel { .. })
        ));
        assert!(matches!(
            Model::parse("A ~ B"),
            Err(Error::InvalidModel { .. })
        ));
    }
}
