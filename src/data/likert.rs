//! Answers written as words: built-in Likert wordings (English and Chinese, 5 and 7 points)
//! and the user's own (`LoadOptions::recode`).
//!
//! A text column is recoded when every answer in it is a word of one wording family
//! (satisfaction or agreement, in one language) or of the user's map. The rating items of a
//! survey share a scale, so the size is chosen for the whole family at once: the smallest
//! (5, then 7 points) whose words hold every answer of every column of that family. A column
//! that only uses the words common to both sizes ("agree", "strongly agree") is therefore
//! coded on the 7-point scale when another column uses "somewhat agree". The codes are
//! 1..k; the column's scale is declared as 1..k unless one is declared. Words are compared
//! after trimming, in lower case, with runs of blanks as one. A note lists what was recoded.
//!
//! | family | 5 points | 7 points |
//! |---|---|---|
//! | English satisfaction | very dissatisfied, dissatisfied, neutral, satisfied, very satisfied | very dissatisfied, dissatisfied, somewhat dissatisfied, neutral, somewhat satisfied, satisfied, very satisfied |
//! | English agreement | strongly disagree, disagree, neutral, agree, strongly agree | strongly disagree, disagree, somewhat disagree, neutral, somewhat agree, agree, strongly agree |
//! | 中文 满意度 | 非常不满意, 不满意, 一般, 满意, 非常满意 | 非常不满意, 不满意, 比较不满意, 一般, 比较满意, 满意, 非常满意 |
//! | 中文 同意度 | 完全不同意, 不同意, 一般, 同意, 完全同意 | 完全不同意, 不同意, 比较不同意, 一般, 比较同意, 同意, 完全同意 |
//!
//! Synonyms: "neither satisfied nor dissatisfied" / "neither agree nor disagree" for neutral;
//! "extremely" for "very"; 非常不同意 / 非常同意 for 完全不同意 / 完全同意; 中立, 说不清 and
//! 一般满意 for 一般; 有点 for 比较.

use super::{ColumnData, LoadOptions, Scale, Survey};

/// One answer's spellings.
type Words = &'static [&'static str];

/// A wording family: its name and its scales (fewest points first), each a list of answers.
struct Family {
    name: &'static str,
    scales: &'static [&'static [Words]],
}

const NEUTRAL_SAT: Words = &[
    "neutral",
    "neither satisfied nor dissatisfied",
    "neither dissatisfied nor satisfied",
];
const NEUTRAL_AGREE: Words = &[
    "neutral",
    "neither agree nor disagree",
    "neither disagree nor agree",
];
const ZH_NEUTRAL: Words = &["一般", "中立", "说不清", "一般满意", "中等"];

const FAMILIES: &[Family] = &[
    Family {
        name: "English satisfaction",
        scales: &[
            &[
                &["very dissatisfied", "extremely dissatisfied"],
                &["dissatisfied"],
                NEUTRAL_SAT,
                &["satisfied"],
                &["very satisfied", "extremely satisfied"],
            ],
            &[
                &["very dissatisfied", "extremely dissatisfied"],
                &["dissatisfied"],
                &["somewhat dissatisfied", "slightly dissatisfied"],
                NEUTRAL_SAT,
                &["somewhat satisfied", "slightly satisfied"],
                &["satisfied"],
                &["very satisfied", "extremely satisfied"],
            ],
        ],
    },
    Family {
        name: "English agreement",
        scales: &[
            &[
                &["strongly disagree"],
                &["disagree"],
                NEUTRAL_AGREE,
                &["agree"],
                &["strongly agree"],
            ],
            &[
                &["strongly disagree"],
                &["disagree"],
                &["somewhat disagree", "slightly disagree"],
                NEUTRAL_AGREE,
                &["somewhat agree", "slightly agree"],
                &["agree"],
                &["strongly agree"],
            ],
        ],
    },
    Family {
        name: "中文 满意度",
        scales: &[
            &[
                &["非常不满意"],
                &["不满意"],
                ZH_NEUTRAL,
                &["满意"],
                &["非常满意"],
            ],
            &[
                &["非常不满意"],
                &["不满意"],
                &["比较不满意", "有点不满意"],
                ZH_NEUTRAL,
                &["比较满意", "有点满意"],
                &["满意"],
                &["非常满意"],
            ],
        ],
    },
    Family {
        name: "中文 同意度",
        scales: &[
            &[
                &["完全不同意", "非常不同意"],
                &["不同意"],
                ZH_NEUTRAL,
                &["同意"],
                &["完全同意", "非常同意"],
            ],
            &[
                &["完全不同意", "非常不同意"],
                &["不同意"],
                &["比较不同意", "有点不同意"],
                ZH_NEUTRAL,
                &["比较同意", "有点同意"],
                &["同意"],
                &["完全同意", "非常同意"],
            ],
        ],
    },
];

/// A word as compared: trimmed, lower case, runs of blanks as one.
pub(crate) fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The code (1-based) of `word` on a scale.
fn code_on(scale: &[Words], word: &str) -> Option<usize> {
    scale.iter().position(|w| w.contains(&word)).map(|k| k + 1)
}

impl Survey {
    /// Recodes the text columns whose answers are all words of the user's map or of one
    /// built-in wording family (see the module documentation).
    pub(super) fn recode_words(&mut self, opts: &LoadOptions) {
        let map: Vec<(String, f64)> = opts
            .recode
            .iter()
            .map(|(w, c)| (normalize(w), *c))
            .collect();
        let mut notes = Vec::new();
        // (column, its distinct words) of the text columns that may be answers.
        let mut candidates: Vec<(usize, Vec<String>)> = Vec::new();
        for (j, col) in self.columns.iter().enumerate() {
            if opts.text_columns.contains(&col.name) {
                continue;
            }
            let ColumnData::Text { values, .. } = &col.data else {
                continue;
            };
            let mut words: Vec<String> = values.iter().flatten().map(|v| normalize(v)).collect();
            words.sort();
            words.dedup();
            if !words.is_empty() {
                candidates.push((j, words));
            }
        }
        let mut user = Vec::new();
        let mut done: Vec<usize> = Vec::new();
        if !map.is_empty() {
            for (j, words) in &candidates {
                let code = |w: &str| {
                    map.iter()
                        .find(|(m, _)| m == w)
                        .map(|x| x.1)
                        .or_else(|| w.parse::<f64>().ok())
                };
                if words.iter().all(|w| code(w).is_some()) {
                    self.recode_column(*j, |w| code(w), None);
                    user.push(self.columns[*j].name.clone());
                    done.push(*j);
                }
            }
        }
        if !user.is_empty() {
            notes.push(format!(
                "answers recoded by --recode in {}",
                user.join(", ")
            ));
        }
        for fam in FAMILIES {
            let members: Vec<&(usize, Vec<String>)> = candidates
                .iter()
                .filter(|(j, words)| {
                    !done.contains(j)
                        && words
                            .iter()
                            .all(|w| fam.scales.iter().any(|s| code_on(s, w).is_some()))
                })
                .collect();
            if members.is_empty() {
                continue;
            }
            let Some(scale) = fam.scales.iter().find(|s| {
                members
                    .iter()
                    .all(|(_, words)| words.iter().all(|w| code_on(s, w).is_some()))
            }) else {
                continue;
            };
            let k = scale.len();
            let mut names = Vec::new();
            for (j, _) in &members {
                self.recode_column(*j, |w| code_on(scale, w).map(|c| c as f64), Some(k));
                names.push(self.columns[*j].name.clone());
                done.push(*j);
            }
            notes.push(format!(
                "answer words recoded as {fam} codes 1..{k} ({} = 1 … {} = {k}) in {}",
                scale[0][0],
                scale[k - 1][0],
                names.join(", "),
                fam = fam.name
            ));
        }
        self.notes.extend(notes);
    }

    /// Replaces text column `j` by the codes of its words; `points`: declares 1..points when
    /// no scale is declared.
    fn recode_column(
        &mut self,
        j: usize,
        code: impl Fn(&str) -> Option<f64>,
        points: Option<usize>,
    ) {
        let col = &mut self.columns[j];
        let ColumnData::Text { values, .. } = &col.data else {
            return;
        };
        let v: Vec<f64> = values
            .iter()
            .map(|x| {
                x.as_deref()
                    .and_then(|w| code(&normalize(w)))
                    .unwrap_or(f64::NAN)
            })
            .collect();
        col.data = ColumnData::Numeric(std::sync::Arc::new(v));
        col.range = std::sync::OnceLock::new();
        if col.scale.is_none() {
            col.scale = points.map(|k| Scale {
                min: 1.0,
                max: k as f64,
            });
        }
    }
}
