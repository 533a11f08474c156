//! The model text: lavaan / cSEM syntax (`=~`, `<~`, `~`, comments, quoted names), read by
//! [`Model::parse`] and written back by [`Model::to_syntax`].

use super::{Construct, Mode, Model};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Reflective,
    Formative,
    Regress,
    Plus,
    /// `:` (an interaction term)
    Colon,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `;`
    Semi,
    /// end of a line
    Newline,
}

fn tokenize(text: &str) -> Result<Vec<(Tok, usize, usize)>> {
    let mut out = Vec::new();
    for (li, line) in text.lines().enumerate() {
        let line_no = li + 1;
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let col = i + 1;
            if c == '#' || c == '!' || (c == '/' && chars.get(i + 1) == Some(&'/')) {
                break;
            }
            if c.is_whitespace() {
                i += 1;
            } else if c == ';' {
                out.push((Tok::Semi, line_no, col));
                i += 1;
            } else if c == '+' {
                out.push((Tok::Plus, line_no, col));
                i += 1;
            } else if c == ':' {
                out.push((Tok::Colon, line_no, col));
                i += 1;
            } else if c == '(' {
                out.push((Tok::LParen, line_no, col));
                i += 1;
            } else if c == ')' {
                out.push((Tok::RParen, line_no, col));
                i += 1;
            } else if c == '=' && chars.get(i + 1) == Some(&'~') {
                out.push((Tok::Reflective, line_no, col));
                i += 2;
            } else if c == '<' && chars.get(i + 1) == Some(&'~') {
                out.push((Tok::Formative, line_no, col));
                i += 2;
            } else if c == '~' {
                if chars.get(i + 1) == Some(&'~') {
                    return Err(Error::Syntax {
                        line: line_no,
                        column: col,
                        message: "'~~' (covariances) is not part of a PLS path model".into(),
                    });
                }
                out.push((Tok::Regress, line_no, col));
                i += 1;
            } else if c.is_alphanumeric() || c == '_' || c == '.' {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
                {
                    i += 1;
                }
                out.push((Tok::Ident(chars[start..i].iter().collect()), line_no, col));
            } else if c == '"' || c == '\'' || c == '`' {
                let start = i + 1;
                i += 1;
                while i < chars.len() && chars[i] != c {
                    i += 1;
                }
                if i >= chars.len() {
                    return Err(Error::Syntax {
                        line: line_no,
                        column: col,
                        message: "unterminated quoted name".into(),
                    });
                }
                out.push((Tok::Ident(chars[start..i].iter().collect()), line_no, col));
                i += 1;
            } else {
                return Err(Error::Syntax {
                    line: line_no,
                    column: col,
                    message: format!("unexpected character '{c}'"),
                });
            }
        }
        out.push((Tok::Newline, line_no, chars.len() + 1));
    }
    Ok(out)
}

impl Model {
    /// Parses the lavaan / cSEM-style model text (see the module docs).
    pub fn parse(text: &str) -> Result<Model> {
        let toks = tokenize(text)?;
        let mut constructs: Vec<Construct> = Vec::new();
        let mut paths: Vec<(String, String)> = Vec::new();
        let mut terms: Vec<(String, String, String)> = Vec::new();
        let mut i = 0;
        let syntax = |t: &(Tok, usize, usize), m: &str| Error::Syntax {
            line: t.1,
            column: t.2,
            message: m.to_string(),
        };
        let skip_newlines = |mut j: usize| {
            while j < toks.len() && toks[j].0 == Tok::Newline {
                j += 1;
            }
            j
        };
        let at_end = |j: usize| j >= toks.len() || matches!(toks[j].0, Tok::Newline | Tok::Semi);
        let last = toks.len().saturating_sub(1);
        // Reads `name (+ name)*`; a '+' at the end of a line or the start of the next continues.
        let read_list = |i: &mut usize, what: &str| -> Result<Vec<(String, usize, usize)>> {
            let mut names = Vec::new();
            loop {
                match toks.get(*i) {
                    Some((Tok::Ident(s), l, c)) => {
                        let mut name = s.clone();
                        *i += 1;
                        // `A:B`: an interaction term (kept as "A:B", resolved below).
                        while let (Some((Tok::Colon, _, _)), Some((Tok::Ident(t), _, _))) =
                            (toks.get(*i), toks.get(*i + 1))
                        {
                            name.push(':');
                            name.push_str(t);
                            *i += 2;
                        }
                        names.push((name, *l, *c));
                    }
                    Some(t) => return Err(syntax(t, &format!("expected {what} name"))),
                    None => return Err(syntax(&toks[last], &format!("expected {what} name"))),
                }
                let j = skip_newlines(*i);
                if j < toks.len() && toks[j].0 == Tok::Plus {
                    *i = skip_newlines(j + 1);
                    continue;
                }
                return Ok(names);
            }
        };
        while i < toks.len() {
            if matches!(toks[i].0, Tok::Newline | Tok::Semi) {
                i += 1;
                continue;
            }
            let lhs = read_list(&mut i, "construct")?;
            let op = toks.get(i).unwrap_or(&toks[last]);
            let op_kind = op.0.clone();
            match op_kind {
                Tok::Reflective | Tok::Formative | Tok::Regress => i += 1,
                _ => return Err(syntax(op, "expected '=~', '<~' or '~'")),
            }
            i = skip_newlines(i);
            // `<~ mode_a(...)`, `<~ mode_b(...)`, `<~ unit(...)`: how a composite is weighted.
            let mut composite_mode = None;
            if op_kind == Tok::Formative {
                if let (Some((Tok::Ident(f), l, c)), Some((Tok::LParen, _, _))) =
                    (toks.get(i), toks.get(i + 1))
                {
                    composite_mode = Some(match f.to_ascii_lowercase().as_str() {
                        "mode_a" => Mode::CompositeA,
                        "mode_b" => Mode::B,
                        "unit" => Mode::Unit,
                        _ => {
                            return Err(Error::Syntax {
                                line: *l,
                                column: *c,
                                message: format!(
                                    "unknown composite weighting '{f}' (use mode_a, mode_b or unit)"
                                ),
                            })
                        }
                    });
                    i = skip_newlines(i + 2);
                }
            }
            let rhs = read_list(&mut i, "indicator or construct")?;
            if composite_mode.is_some() {
                match toks.get(i) {
                    Some((Tok::RParen, _, _)) => i += 1,
                    Some(t) => return Err(syntax(t, "expected ')'")),
                    None => return Err(syntax(&toks[last], "expected ')'")),
                }
            }
            if !at_end(i) {
                return Err(syntax(
                    &toks[i],
                    "expected '+' or the end of the statement (a line ending with '+' continues on the next line)",
                ));
            }
            match op_kind {
                Tok::Reflective | Tok::Formative => {
                    if lhs.len() != 1 {
                        return Err(Error::Syntax {
                            line: lhs[1].1,
                            column: lhs[1].2,
                            message: "a measurement statement defines one construct".into(),
                        });
                    }
                    let (name, l, c) = &lhs[0];
                    if constructs.iter().any(|k| k.name == *name) {
                        return Err(Error::Syntax {
                            line: *l,
                            column: *c,
                            message: format!("construct '{name}' is defined twice"),
                        });
                    }
                    constructs.push(Construct {
                        name: name.clone(),
                        mode: if op_kind == Tok::Reflective {
                            Mode::A
                        } else {
                            composite_mode.unwrap_or(Mode::B)
                        },
                        indicators: rhs.into_iter().map(|x| x.0).collect(),
                    });
                }
                _ => {
                    for (to, _, _) in &lhs {
                        for (from, l, c) in &rhs {
                            match from.split_once(':') {
                                Some((iv, m)) => {
                                    if m.contains(':') {
                                        return Err(Error::Syntax {
                                            line: *l,
                                            column: *c,
                                            message: format!(
                                                "'{from}': an interaction term has two constructs"
                                            ),
                                        });
                                    }
                                    terms.push((iv.to_string(), m.to_string(), to.clone()));
                                }
                                None => paths.push((from.clone(), to.clone())),
                            }
                        }
                    }
                }
            }
        }
        // A block naming constructs is a higher-order construct (its dimensions).
        let names: Vec<String> = constructs.iter().map(|c| c.name.clone()).collect();
        let mut higher = Vec::new();
        for c in &constructs {
            let n = c.indicators.iter().filter(|i| names.contains(i)).count();
            if n == c.indicators.len() {
                higher.push(c.name.clone());
            } else if n > 0 {
                return Err(Error::model(format!(
                    "construct '{}' names both constructs and items: a higher-order construct names only its dimensions",
                    c.name
                )));
            }
        }
        let mut model = Model::from_parts_hoc(constructs, paths, &higher)?;
        for (iv, m, to) in terms {
            model.add_interaction(&iv, &m, &to)?;
        }
        Ok(model)
    }

    /// The model as text in the syntax [`Model::parse`] reads.
    pub fn to_syntax(&self) -> String {
        let mut s = String::new();
        for c in &self.constructs {
            let items: Vec<String> = c.indicators.iter().map(|n| quote(n)).collect();
            let rhs = items.join(" + ");
            let rhs = match c.mode {
                Mode::A => format!("=~ {rhs}"),
                Mode::B => format!("<~ {rhs}"),
                Mode::CompositeA => format!("<~ mode_a({rhs})"),
                Mode::Unit => format!("<~ unit({rhs})"),
            };
            s.push_str(&format!("{} {rhs}\n", quote(&c.name)));
        }
        for j in 0..self.constructs.len() {
            let preds = self.predecessors(j);
            let name = &self.constructs[j].name;
            let terms: Vec<String> = self
                .interactions
                .iter()
                .filter(|it| it.targets.iter().any(|t| t == name))
                .map(|it| format!("{}:{}", quote(&it.iv), quote(&it.moderator)))
                .collect();
            if !preds.is_empty() || !terms.is_empty() {
                let mut names: Vec<String> = preds
                    .iter()
                    .map(|&i| quote(&self.constructs[i].name))
                    .collect();
                names.extend(terms);
                s.push_str(&format!(
                    "{} ~ {}\n",
                    quote(&self.constructs[j].name),
                    names.join(" + ")
                ));
            }
        }
        s
    }
}

/// A name as the syntax reads it back: bare when it is a plain identifier, else quoted with a
/// quote character it does not contain.
fn quote(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    if plain {
        return name.to_string();
    }
    let q = ['\'', '"', '`']
        .into_iter()
        .find(|q| !name.contains(*q))
        .unwrap_or('`');
    format!("{q}{name}{q}")
}
